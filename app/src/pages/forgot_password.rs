use leptos::prelude::*;
use leptos_meta::Title;

use super::outcome;
use crate::api::password_reset::RequestPasswordReset;
use crate::components::{field::Field, notice::Notice};
use crate::i18n::{error_for, message, t, use_lang};

/// Asking for a password-reset link. The answer is the same whether or not the address has an
/// account, so the page cannot tell anyone who is a customer.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<RequestPasswordReset>::new();
    let notice = Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), c != "reset_sent")));
    let error = Signal::derive(move || error_for(lang, code.get().as_deref(), "email"));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "forgot.title"))/>
        <section class="card narrow">
            <h1>{t(lang, "forgot.title")}</h1>
            <p class="lead">{t(lang, "forgot.lead")}</p>
            <Notice message=notice/>
            <ActionForm action=action attr:class="form">
                <Field name="email" label=t(lang, "field.email") kind="email" autocomplete="username" maxlength=254 error=error/>
                <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                    {t(lang, "forgot.button")}
                </button>
            </ActionForm>
            <p class="aside"><a href="/sign-in">{t(lang, "forgot.back")}</a></p>
        </section>
    }
}
