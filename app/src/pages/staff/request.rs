use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::AppError;
use crate::api::staff::assign::StaffAssign;
use crate::api::staff::extend::StaffExtend;
use crate::api::staff::propose::StaffPropose;
use crate::api::staff::reply::StaffReply;
use crate::api::staff::request::staff_request;
use crate::api::staff::views::StaffRequestView;
use crate::components::{notice::Notice, staff_bar::StaffBar, timeline::Timeline};
use crate::i18n::{error_for, message, t, term, use_lang};
use crate::pages::outcome;

/// One request as staff work it: the customer's words, the deadline, the timeline, and the
/// actions (take it, write, extend, propose a correction).
#[component]
pub fn StaffRequestPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || (params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0), query.read().get("e"));
    let data = Resource::new(key, |(id, _)| staff_request(id));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "staff.request_title"))/>
        <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <Request data=r/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/staff/sign-in?e=expired"/> }.into_any(),
                    Err(AppError::NotFound) | Err(AppError::BadRequest) => {
                        crate::components::failure::answer(404);
                        view! { <p class="notice notice-error" role="alert">{message(lang, "request_not_found")}</p> }.into_any()
                    }
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Request(data: StaffRequestView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let assign = ServerAction::<StaffAssign>::new();
    let reply = ServerAction::<StaffReply>::new();
    let extend = ServerAction::<StaffExtend>::new();
    let propose = ServerAction::<StaffPropose>::new();
    let err = move |name: &'static str| Signal::derive(move || error_for(lang, code.get().as_deref(), name));
    let (message_error, reason_error, value_error, months_error) = (err("message"), err("reason"), err("value"), err("months"));
    let notice = Signal::derive(move || {
        code.get().filter(|c| !c.contains('.')).map(|c| {
            let ok = ["assigned", "reply_sent", "extended", "proposed"].contains(&c.as_str());
            (message(lang, &c), !ok)
        })
    });
    let closed_error = Signal::derive(move || code.get().filter(|c| c == "status.unchanged").map(|_| (message(lang, "request_closed"), true)));
    let r = data.item.clone();
    let id = r.id;
    let open = r.urgency != "closed";
    view! {
        <StaffBar me=data.me.clone()/>
        <section class="card">
            <h1>{term(lang, &format!("request_{}", r.kind))} ": " {term(lang, &format!("subject_{}", r.subject))}</h1>
            <Notice message=notice/>
            <Notice message=closed_error/>
            <dl class="fields">
                <div class="field-row"><dt>{t(lang, "staff.col_customer")}</dt>
                    <dd><a href=format!("/staff/customers/{}", r.customer_ref)>{r.customer_ref.clone()}</a></dd></div>
                <div class="field-row"><dt>{t(lang, "col.status")}</dt>
                    <dd id="request-status">{term(lang, &format!("request_status_{}", r.status))}</dd></div>
                <div class="field-row"><dt>{t(lang, "requests.received")}</dt><dd>{r.received.clone()}</dd></div>
                <div class="field-row"><dt>{t(lang, "staff.col_due")}</dt>
                    <dd id="request-due">
                        {r.due.clone()}
                        {(r.urgency == "overdue" || r.urgency == "due_soon").then(|| view! {
                            " " <strong class=format!("badge badge-{}", r.urgency)>{term(lang, &format!("urgency_{}", r.urgency))}</strong>
                        })}
                        {(data.extension_months > 0).then(|| view! { " " <span>{t(lang, "staff.extended_note")}</span> })}
                    </dd></div>
                <div class="field-row"><dt>{t(lang, "staff.col_assignee")}</dt>
                    <dd id="request-assignee">{r.assignee.clone().unwrap_or_else(|| "—".into())}</dd></div>
            </dl>
            <h2>{t(lang, "staff.explanation")}</h2>
            <p class="quote" id="request-explanation">{data.explanation.clone()}</p>
            {data.rating.clone().map(|(stars, comment)| view! {
                <p class="rating">{t(lang, "staff.rating")} ": " {stars} "/5 " {comment}</p>
            })}
        </section>
        {open.then(|| view! {
            <section class="card" aria-labelledby="work-title">
                <h2 id="work-title">{t(lang, "staff.work_title")}</h2>
                {(r.assignee.as_deref() != Some(data.me.pseudonym.as_str())).then(|| view! {
                    <ActionForm action=assign attr:class="form form-inline">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="button-secondary">{t(lang, "staff.assign")}</button>
                    </ActionForm>
                })}
                {data.may_propose.then(|| view! {
                    <ActionForm action=propose attr:class="form" attr:id="propose">
                        <input type="hidden" name="id" value=id/>
                        <div class="field" class:has-error=move || value_error.get().is_some()>
                            <label for="field-value">{t(lang, "staff.propose_label")}</label>
                            <p class="hint" id="field-value-hint">{t(lang, "staff.propose_hint")}</p>
                            <input id="field-value" name="value" type="text" required maxlength="100"
                                aria-invalid=move || if value_error.get().is_some() { "true" } else { "false" }
                                aria-describedby="field-value-hint field-value-error"/>
                            <p class="field-error" id="field-value-error" aria-live="polite">{move || value_error.get()}</p>
                        </div>
                        <button type="submit" class="button-primary">{t(lang, "staff.propose_submit")}</button>
                    </ActionForm>
                })}
                <ActionForm action=reply attr:class="form" attr:id="reply">
                    <input type="hidden" name="id" value=id/>
                    <div class="field">
                        <label for="field-status">{t(lang, "staff.new_status")}</label>
                        <select id="field-status" name="status">
                            {["in_progress", "waiting_customer", "done", "rejected"].into_iter().map(|s| {
                                let current = s == r.status;
                                view! { <option value=s selected=current>{term(lang, &format!("request_status_{s}"))}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field" class:has-error=move || message_error.get().is_some()>
                        <label for="field-message">{t(lang, "staff.message_label")}</label>
                        <p class="hint" id="field-message-hint">{t(lang, "staff.message_hint")}</p>
                        <textarea id="field-message" name="message" rows="4" required maxlength="2000"
                            aria-invalid=move || if message_error.get().is_some() { "true" } else { "false" }
                            aria-describedby="field-message-hint field-message-error"></textarea>
                        <p class="field-error" id="field-message-error" aria-live="polite">{move || message_error.get()}</p>
                    </div>
                    <button type="submit" class="button-primary">{t(lang, "staff.reply_submit")}</button>
                </ActionForm>
                {data.may_extend.then(|| view! {
                    <ActionForm action=extend attr:class="form" attr:id="extend">
                        <input type="hidden" name="id" value=id/>
                        <div class="field" class:has-error=move || months_error.get().is_some()>
                            <label for="field-months">{t(lang, "staff.extend_months")}</label>
                            <select id="field-months" name="months" aria-describedby="field-months-error">
                                <option value="1">{t(lang, "staff.one_month")}</option>
                                <option value="2">{t(lang, "staff.two_months")}</option>
                            </select>
                            <p class="field-error" id="field-months-error" aria-live="polite">{move || months_error.get()}</p>
                        </div>
                        <div class="field" class:has-error=move || reason_error.get().is_some()>
                            <label for="field-reason">{t(lang, "staff.extend_reason")}</label>
                            <p class="hint" id="field-reason-hint">{t(lang, "staff.extend_hint")}</p>
                            <textarea id="field-reason" name="reason" rows="3" required maxlength="2000"
                                aria-invalid=move || if reason_error.get().is_some() { "true" } else { "false" }
                                aria-describedby="field-reason-hint field-reason-error"></textarea>
                            <p class="field-error" id="field-reason-error" aria-live="polite">{move || reason_error.get()}</p>
                        </div>
                        <button type="submit" class="button-secondary">{t(lang, "staff.extend_submit")}</button>
                    </ActionForm>
                })}
            </section>
        })}
        <Timeline events=data.timeline.clone()/>
    }
}
