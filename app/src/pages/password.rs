use leptos::prelude::*;

use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::outcome;
use crate::api::AppError;
use crate::api::password::{ChangePassword, password_page};
use crate::components::failure::Failure;
use crate::components::field::Field;
use crate::components::notice::Notice;
use crate::i18n::{error_for, message, t, use_lang};

/// Changing the password: the current one, the new one and a code from the authenticator app.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let lang = use_lang();
    // An island page: this component runs on the server only, once per request, so it awaits
    // the server function itself (as "My data" does) rather than through a resource.
    let body = Suspend::new(async move {
        match password_page().await {
            Ok(()) => view! { <PasswordForm/> }.into_any(),
            Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
            Err(e) => view! { <Failure error=e/> }.into_any(),
        }
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "password.title"))/>
        {body}
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    // Problems of one input show beside it; anything else (a lock, an outage) above the form.
    let notice = Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), true)));
    let error = move |name: &'static str| Signal::derive(move || error_for(lang, code.get().as_deref(), name));
    let action = ServerAction::<ChangePassword>::new();
    view! {
        <section class="card" aria-labelledby="password-title">
            <p class="aside"><a href="/sessions">{t(lang, "sessions.title")}</a></p>
            <h1 id="password-title">{t(lang, "password.title")}</h1>
            <p class="lead">{t(lang, "password.lead")}</p>
            <Notice message=notice/>
            <ActionForm action=action attr:class="form">
                <Field name="current_password" label=t(lang, "password.current") kind="password"
                    autocomplete="current-password" maxlength=256 error=error("current_password")/>
                <Field name="new_password" label=t(lang, "password.new") kind="password" hint=t(lang, "password.new_hint")
                    autocomplete="new-password" maxlength=256 error=error("new_password")/>
                <Field name="code" label=t(lang, "field.code") hint=t(lang, "password.code_hint")
                    autocomplete="one-time-code" inputmode="numeric" maxlength=6 error=error("code")/>
                <button type="submit" class="button-primary">{t(lang, "password.button")}</button>
            </ActionForm>
        </section>
    }
}
