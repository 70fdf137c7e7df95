use leptos::prelude::*;
use leptos_meta::Title;

use super::outcome;
use crate::components::{field::Field, notice::Notice};
use crate::i18n::{message, t, use_lang};

/// The second step of signing in: a code from the authenticator app, or a recovery code.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let field_error = Signal::derive(move || {
        code.get().filter(|c| c.starts_with("code") || c == "credentials").map(|c| message(lang, &c))
    });
    let notice = Signal::derive(move || {
        code.get().filter(|c| !c.starts_with("code") && c != "credentials").map(|c| (message(lang, &c), true))
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "code.title"))/>
        <section class="card narrow">
            <h1>{t(lang, "code.title")}</h1>
            <p class="lead">{t(lang, "code.lead")}</p>
            <Notice message=notice/>
            // A plain post, even when hydrated: signing in ends in a full page load, so the pages
            // that follow are rendered in the language on the customer's profile.
            <form method="post" action="/api/verify_code" class="form">
                <Field
                    name="code"
                    label=t(lang, "field.code")
                    hint=t(lang, "code.hint")
                    autocomplete="one-time-code"
                    autofocus=true
                    error=field_error
                />
                <button type="submit" class="button-primary">
                    {t(lang, "action.continue")}
                </button>
            </form>
            <p class="aside"><a href="/sign-in">{t(lang, "code.start_over")}</a></p>
        </section>
    }
}
