use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::staff::sign_in::StaffSignIn;
use crate::components::{field::Field, notice::Notice};
use crate::i18n::{message, t, use_lang};
use crate::pages::outcome;

/// Staff sign in with password and authenticator code together; there is no other way in.
#[component]
pub fn StaffSignInPage() -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<StaffSignIn>::new();
    let field_error = move |field: &'static str| {
        Signal::derive(move || code.get().filter(|c| c.starts_with(field)).map(|c| message(lang, &c)))
    };
    let notice = Signal::derive(move || {
        code.get()
            .filter(|c| !["email", "password", "code"].iter().any(|f| c.starts_with(f)))
            .map(|c| (message(lang, &c), c != "signed_out"))
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "staff.sign_in_title"))/>
        <section class="card narrow">
            <h1>{t(lang, "staff.sign_in_title")}</h1>
            <p class="lead">{t(lang, "staff.sign_in_lead")}</p>
            <Notice message=notice/>
            <ActionForm action=action attr:class="form">
                <Field name="email" label=t(lang, "field.email") kind="email" autocomplete="username" error=field_error("email")/>
                <Field name="password" label=t(lang, "field.password") kind="password" autocomplete="current-password" error=field_error("password")/>
                <Field
                    name="code"
                    label=t(lang, "field.code")
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    maxlength=6
                    error=field_error("code")
                />
                <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                    {t(lang, "action.sign_in")}
                </button>
            </ActionForm>
        </section>
    }
}
