use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::outcome;
use crate::api::AppError;
use crate::api::my_request::{MyRequestView, my_request};
use crate::api::rate_request::RateRequest;
use crate::api::reply_request::ReplyRequest;
use crate::components::{notice::Notice, timeline::Timeline};
use crate::i18n::{error_for, message, t, term, use_lang};

/// One of the customer's requests: its status and deadline, the same timeline staff see, a reply
/// form while it is open and a rating once it is closed.
#[component]
pub fn MyRequestPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || (params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0), query.read().get("e"));
    let data = Resource::new(key, |(id, _)| my_request(id));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "my_request.title"))/>
        <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <MyRequest data=r/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
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
fn MyRequest(data: MyRequestView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let reply = ServerAction::<ReplyRequest>::new();
    let rate = ServerAction::<RateRequest>::new();
    let message_error = Signal::derive(move || error_for(lang, code.get().as_deref(), "message"));
    let rating_error = Signal::derive(move || error_for(lang, code.get().as_deref(), "rating").or(error_for(lang, code.get().as_deref(), "comment")));
    let notice = Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), c != "reply_sent" && c != "rated")));
    let id = data.id;
    view! {
        <section class="card">
            <p class="aside"><a href="/my-data#requests">{t(lang, "change.back")}</a></p>
            <h1>{term(lang, &format!("request_{}", data.kind))} ": " {term(lang, &format!("subject_{}", data.subject))}</h1>
            <Notice message=notice/>
            <dl class="fields">
                <div class="field-row"><dt>{t(lang, "col.status")}</dt>
                    <dd id="request-status">{term(lang, &format!("request_status_{}", data.status))}</dd></div>
                <div class="field-row"><dt>{t(lang, "requests.received")}</dt><dd>{data.received.clone()}</dd></div>
                <div class="field-row"><dt>{t(lang, "requests.due")}</dt><dd id="request-due">{data.due.clone()}</dd></div>
            </dl>
            <h2>{t(lang, "my_request.your_words")}</h2>
            <p class="quote">{data.explanation.clone()}</p>
        </section>
        <Timeline events=data.timeline.clone()/>
        {(!data.closed).then(|| view! {
            <section class="card" aria-labelledby="reply-title">
                <h2 id="reply-title">{t(lang, "my_request.reply_title")}</h2>
                <ActionForm action=reply attr:class="form" attr:id="reply">
                    <input type="hidden" name="id" value=id/>
                    <div class="field" class:has-error=move || message_error.get().is_some()>
                        <label for="field-message">{t(lang, "my_request.reply_label")}</label>
                        <textarea id="field-message" name="message" rows="4" required maxlength="2000"
                            aria-invalid=move || if message_error.get().is_some() { "true" } else { "false" }
                            aria-describedby="field-message-error"></textarea>
                        <p class="field-error" id="field-message-error" aria-live="polite">{move || message_error.get()}</p>
                    </div>
                    <button type="submit" class="button-primary">{t(lang, "my_request.reply_submit")}</button>
                </ActionForm>
            </section>
        })}
        {(data.closed && data.rating.is_none()).then(|| view! {
            <section class="card" aria-labelledby="rate-title">
                <h2 id="rate-title">{t(lang, "my_request.rate_title")}</h2>
                <ActionForm action=rate attr:class="form" attr:id="rate">
                    <input type="hidden" name="id" value=id/>
                    <fieldset class="rating-choice" aria-describedby="field-rating-error">
                        <legend>{t(lang, "my_request.rate_legend")}</legend>
                        {(1..=5).map(|n| view! {
                            <label><input type="radio" name="rating" value=n required/> " " {n}</label>
                        }).collect_view()}
                    </fieldset>
                    <p class="field-error" id="field-rating-error" aria-live="polite">{move || rating_error.get()}</p>
                    <div class="field">
                        <label for="field-comment">{t(lang, "my_request.comment")}</label>
                        <textarea id="field-comment" name="comment" rows="3" maxlength="1000"></textarea>
                    </div>
                    <button type="submit" class="button-primary">{t(lang, "my_request.rate_submit")}</button>
                </ActionForm>
            </section>
        })}
        {data.rating.clone().map(|(stars, _)| view! {
            <p class="card rating" id="my-rating">{t(lang, "my_request.rated")} " " {stars} "/5"</p>
        })}
    }
}
