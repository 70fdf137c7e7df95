use leptos::prelude::*;

use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::outcome;
use crate::api::AppError;
use crate::api::authenticator::authenticator_page;
use crate::api::enrollment::EnrollmentView;
use crate::components::authenticator_key::AuthenticatorKey;
use crate::components::failure::Failure;
use crate::components::field::Field;
use crate::components::notice::Notice;
use crate::i18n::{error_for, message, t, use_lang};

/// Replacing the authenticator app: prove it is you, then add the new key and enter its code.
/// Both steps are plain posts, with or without JavaScript: each ends in a full page load, so the
/// step shown always matches what the server holds.
#[component]
pub fn AuthenticatorPage() -> impl IntoView {
    let lang = use_lang();
    // An island page: this component runs on the server only, once per request, so it awaits
    // the server function itself (as "My data" does) rather than through a resource.
    let body = Suspend::new(async move {
        match authenticator_page().await {
            Ok(None) => view! { <ProveItIsYou/> }.into_any(),
            Ok(Some(key)) => view! { <AddNewApp key=key/> }.into_any(),
            Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
            Err(e) => view! { <Failure error=e/> }.into_any(),
        }
    });
    let code = outcome();
    // Problems of one input show beside it; anything else (a lock, an outage) above the form.
    let notice = Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), true)));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "authenticator.title"))/>
        <section class="card" aria-labelledby="authenticator-title">
            <p class="aside"><a href="/sessions">{t(lang, "sessions.title")}</a></p>
            <h1 id="authenticator-title">{t(lang, "authenticator.title")}</h1>
            <Notice message=notice/>
            {body}
        </section>
    }
}

#[component]
fn ProveItIsYou() -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let error = move |name: &'static str| Signal::derive(move || error_for(lang, code.get().as_deref(), name));
    view! {
        <p class="lead">{t(lang, "authenticator.lead")}</p>
        <form method="post" action="/api/start_authenticator_change" class="form">
            <Field name="current_password" label=t(lang, "password.current") kind="password"
                autocomplete="current-password" maxlength=256 error=error("current_password")/>
            <Field name="code" label=t(lang, "authenticator.code") hint=t(lang, "authenticator.code_hint")
                autocomplete="one-time-code" maxlength=64 error=error("code")/>
            <button type="submit" class="button-primary">{t(lang, "authenticator.continue")}</button>
        </form>
    }
}

#[component]
fn AddNewApp(key: EnrollmentView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let error = Signal::derive(move || error_for(lang, code.get().as_deref(), "new_code"));
    view! {
        <p class="lead">{t(lang, "authenticator.add_lead")}</p>
        <ol class="steps">
            <li>{t(lang, "enroll.step_scan")}<AuthenticatorKey view=key/></li>
            <li>
                {t(lang, "authenticator.step_code")}
                <p class="notice notice-warn" role="note">{t(lang, "authenticator.warning")}</p>
                <form method="post" action="/api/finish_authenticator_change" class="form">
                    <Field name="new_code" label=t(lang, "authenticator.new_code") inputmode="numeric"
                        autocomplete="one-time-code" maxlength=6 error=error/>
                    <button type="submit" class="button-primary">{t(lang, "authenticator.button")}</button>
                </form>
            </li>
        </ol>
    }
}
