use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::AppError;
use crate::api::staff::find_customer::StaffFindCustomer;
use crate::api::staff::queue::staff_queue;
use crate::api::staff::views::QueueView;
use crate::components::{notice::Notice, staff_bar::StaffBar};
use crate::i18n::{error_for, message, t, term, use_lang};
use crate::pages::outcome;

const SHOWS: [&str; 5] = ["open", "overdue", "mine", "closed", "all"];

/// The queue, nearest deadline first; overdue and due-soon requests stand out (by words and
/// marks, not only colour). Also the customer look-up.
#[component]
pub fn StaffQueuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        (q.get("show").unwrap_or_else(|| "open".into()), q.get("order").unwrap_or_else(|| "deadline".into()), q.get("e"))
    };
    let data = Resource::new(key, |(show, order, _)| staff_queue(show, order));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "staff.queue"))/>
        <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(q) => view! { <Queue data=q/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/staff/sign-in?e=expired"/> }.into_any(),
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Queue(data: QueueView) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let code = outcome();
    let find = ServerAction::<StaffFindCustomer>::new();
    let show = move || query.read().get("show").unwrap_or_else(|| "open".into());
    let order = move || query.read().get("order").unwrap_or_else(|| "deadline".into());
    let find_error = Signal::derive(move || {
        code.get().and_then(|c| {
            if c == "customer_not_found" { Some(message(lang, &c)) } else { error_for(lang, Some(&c), "query") }
        })
    });
    let notice = Signal::derive(move || code.get().filter(|c| c == "forbidden").map(|c| (message(lang, &c), true)));
    view! {
        <StaffBar me=data.me.clone()/>
        <Notice message=notice/>
        <section class="card" id="find" aria-labelledby="find-title">
            <h2 id="find-title">{t(lang, "staff.find_title")}</h2>
            <ActionForm action=find attr:class="form form-inline">
                <div class="field" class:has-error=move || find_error.get().is_some()>
                    <label for="field-query">{t(lang, "staff.find_label")}</label>
                    <p class="hint" id="field-query-hint">{t(lang, "staff.find_hint")}</p>
                    <input
                        id="field-query"
                        name="query"
                        type="search"
                        required
                        maxlength="254"
                        autocomplete="off"
                        aria-invalid=move || if find_error.get().is_some() { "true" } else { "false" }
                        aria-describedby="field-query-hint field-query-error"
                    />
                    <p class="field-error" id="field-query-error" aria-live="polite">{move || find_error.get()}</p>
                </div>
                <button type="submit" class="button-primary">{t(lang, "staff.find_submit")}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="queue-title">
            <h1 id="queue-title">{t(lang, "staff.queue")}</h1>
            <nav class="filters" aria-label=t(lang, "staff.filters")>
                <ul>
                    {SHOWS.into_iter().map(|s| view! {
                        <li>
                            <a href=move || format!("/staff?show={s}&order={}", order()) aria-current=move || (show() == s).then_some("page")>
                                {term(lang, &format!("show_{s}"))}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
                <p>
                    {t(lang, "staff.sort")} " "
                    <a href=move || format!("/staff?show={}&order=deadline", show()) aria-current=move || (order() != "received").then_some("true")>
                        {t(lang, "staff.sort_deadline")}
                    </a>
                    " · "
                    <a href=move || format!("/staff?show={}&order=received", show()) aria-current=move || (order() == "received").then_some("true")>
                        {t(lang, "staff.sort_received")}
                    </a>
                </p>
            </nav>
            {if data.items.is_empty() {
                view! { <p class="empty">{t(lang, "staff.queue_empty")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" role="region" aria-labelledby="queue-title" tabindex="0">
                        <table class="queue">
                            <thead>
                                <tr>
                                    <th scope="col">{t(lang, "staff.col_request")}</th>
                                    <th scope="col">{t(lang, "staff.col_customer")}</th>
                                    <th scope="col">{t(lang, "col.status")}</th>
                                    <th scope="col">{t(lang, "requests.received")}</th>
                                    <th scope="col">{t(lang, "staff.col_due")}</th>
                                    <th scope="col">{t(lang, "staff.col_assignee")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {data.items.into_iter().map(|r| view! {
                                    <tr class=format!("urgency-{}", r.urgency) data-request=r.id>
                                        <td>
                                            <a href=format!("/staff/requests/{}", r.id)>
                                                {term(lang, &format!("request_{}", r.kind))} ": " {term(lang, &format!("subject_{}", r.subject))}
                                            </a>
                                        </td>
                                        <td>{r.customer_ref.clone()}</td>
                                        <td>{term(lang, &format!("request_status_{}", r.status))}</td>
                                        <td>{r.received.clone()}</td>
                                        <td class="due">
                                            {r.due.clone()}
                                            {(r.urgency == "overdue" || r.urgency == "due_soon").then(|| view! {
                                                " " <strong class=format!("badge badge-{}", r.urgency)>{term(lang, &format!("urgency_{}", r.urgency))}</strong>
                                            })}
                                        </td>
                                        <td>{r.assignee.clone().unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
