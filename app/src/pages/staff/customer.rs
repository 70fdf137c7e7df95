use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::AppError;
use crate::api::staff::customer::staff_customer;
use crate::api::staff::end_sessions::StaffEndSessions;
use crate::api::staff::reveal::StaffReveal;
use crate::components::notice::Notice;
use crate::api::staff::views::CustomerCardView;
use crate::components::field::Field;
use crate::components::staff_bar::StaffBar;
use crate::i18n::{error_for, message, t, term, use_lang};
use crate::pages::outcome;

/// A customer as staff see them: masked, with a reveal form per field that asks for a reason
/// the customer will read. Opening this page is itself logged for the customer.
#[component]
pub fn StaffCustomerPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || (params.read().get("reference").unwrap_or_default(), query.read().get("e"), query.read().get("shown"));
    let data = Resource::new(key, |(reference, _, _)| staff_customer(reference));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "staff.customer_title"))/>
        <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! { <Card data=c/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/staff/sign-in?e=expired"/> }.into_any(),
                    Err(AppError::NotFound) | Err(AppError::BadRequest) => {
                        crate::components::failure::answer(404);
                        view! { <p class="notice notice-error" role="alert">{message(lang, "customer_not_found")}</p> }.into_any()
                    }
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn label(lang: crate::i18n::Lang, key: &str) -> String {
    match key.split_once(':') {
        Some(("address", _)) => t(lang, "staff.address").to_string(),
        _ => term(lang, &format!("subject_{key}")).into_owned(),
    }
}

#[component]
fn Card(data: CustomerCardView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let reveal = ServerAction::<StaffReveal>::new();
    let reason_error = Signal::derive(move || error_for(lang, code.get().as_deref(), "reason"));
    let reference = data.public_id.clone();
    let revealed = data.revealed.clone();
    view! {
        <StaffBar me=data.me.clone()/>
        <section class="card" aria-labelledby="customer-title">
            <h1 id="customer-title">{t(lang, "staff.customer_title")} " " <span id="customer-ref">{data.public_id.clone()}</span></h1>
            <p class="lead">{t(lang, "staff.masked_lead")}</p>
            <p class="field-error" role="alert">{move || reason_error.get()}</p>
            <dl class="fields">
                {data.fields.clone().into_iter().map(|(key, masked)| {
                    let shown = revealed.as_ref().filter(|(f, _)| *f == key).map(|(_, v)| v.clone());
                    let reference = reference.clone();
                    let field_key = key.clone();
                    let is_revealed = shown.is_some();
                    let input_id = format!("reason-{}", key.replace(':', "-"));
                    view! {
                        <div class="field-row" data-field=key.clone()>
                            <dt>{label(lang, &key)}</dt>
                            <dd>
                                <span class="value" class:revealed=is_revealed id=is_revealed.then_some("revealed")>
                                    {shown.unwrap_or(masked)}
                                </span>
                                {(!is_revealed).then(move || view! {
                                    <ActionForm action=reveal attr:class="form form-inline reveal">
                                        <input type="hidden" name="reference" value=reference.clone()/>
                                        <input type="hidden" name="field" value=field_key/>
                                        <label for=input_id.clone()>{t(lang, "staff.reveal_reason")}</label>
                                        <input id=input_id.clone() name="reason" type="text" required minlength="5" maxlength="300"/>
                                        <button type="submit" class="button-secondary">{t(lang, "staff.reveal")}</button>
                                    </ActionForm>
                                })}
                            </dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
        </section>
        <EndSessions reference=data.public_id.clone()/>
        <section class="card" aria-labelledby="customer-requests">
            <h2 id="customer-requests">{t(lang, "requests.title")}</h2>
            <ul>
                {data.requests.iter().map(|(id, kind, status, due)| view! {
                    <li><a href=format!("/staff/requests/{id}")>{term(lang, &format!("request_{kind}"))}</a>
                        " · " {term(lang, &format!("request_status_{status}"))} " · " {due.clone()}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Signing the customer out on every device (a taken-over account), for a reason they will read.
#[component]
fn EndSessions(reference: String) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<StaffEndSessions>::new();
    let error = Signal::derive(move || error_for(lang, code.get().as_deref(), "end_reason"));
    let done = Signal::derive(move || code.get().filter(|c| c == "customer_signed_out").map(|c| (message(lang, &c), false)));
    view! {
        <section class="card" id="sessions" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t(lang, "staff.end_sessions_title")}</h2>
            <p>{t(lang, "staff.end_sessions_lead")}</p>
            <Notice message=done/>
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="reference" value=reference/>
                <Field name="end_reason" label=t(lang, "staff.reveal_reason") maxlength=300 error=error/>
                <button type="submit" class="button-secondary">{t(lang, "staff.end_sessions_button")}</button>
            </ActionForm>
        </section>
    }
}
