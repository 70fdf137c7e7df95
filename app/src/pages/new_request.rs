use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::outcome;
use crate::api::submit_request::SubmitRequest;
use crate::components::notice::Notice;
use crate::i18n::{error_for, message, t, term, use_lang};

/// Ask the company to correct what the customer cannot change alone, or dispute a record.
#[component]
pub fn NewRequestPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let code = outcome();
    let action = ServerAction::<SubmitRequest>::new();
    let subject = move || query.read().get("subject").unwrap_or_default();
    let error = Signal::derive(move || error_for(lang, code.get().as_deref(), "explanation"));
    let notice = Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), true)));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "request.title"))/>
        <section class="card narrow">
            <h1>{t(lang, "request.title")}</h1>
            <p class="lead">{t(lang, "request.lead")}</p>
            <Notice message=notice/>
            <dl class="fields">
                <div class="field-row">
                    <dt>{t(lang, "requests.about")}</dt>
                    <dd id="request-subject">{move || term(lang, &format!("subject_{}", subject()))}</dd>
                </div>
            </dl>
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="subject" value=subject/>
                <div class="field" class:has-error=move || error.get().is_some()>
                    <label for="field-explanation">{t(lang, "field.explanation")}</label>
                    <p class="hint" id="field-explanation-hint">{t(lang, "request.hint")}</p>
                    <textarea
                        id="field-explanation"
                        name="explanation"
                        rows="6"
                        maxlength="2000"
                        required
                        aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                        aria-describedby="field-explanation-hint field-explanation-error"
                    ></textarea>
                    <p class="field-error" id="field-explanation-error">{move || error.get()}</p>
                </div>
                <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                    {t(lang, "request.submit")}
                </button>
            </ActionForm>
            <p class="aside"><a href="/my-data">{t(lang, "change.back")}</a></p>
        </section>
    }
}
