use leptos::prelude::*;
use leptos_meta::Title;

use super::outcome;
use crate::api::sign_in::SignIn;
use crate::components::{field::Field, notice::Notice};
use crate::i18n::{message, t, use_lang};

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<SignIn>::new();
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            code.get().filter(|c| c.starts_with(field)).map(|c| message(lang, &c))
        })
    };
    let notice = Signal::derive(move || {
        code.get().filter(|c| !c.starts_with("email") && !c.starts_with("password")).map(|c| {
            (message(lang, &c), !matches!(c.as_str(), "signed_out" | "address_restored" | "reset_done"))
        })
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "sign_in.title"))/>
        <section class="card narrow">
            <h1>{t(lang, "sign_in.title")}</h1>
            <p class="lead">{t(lang, "sign_in.lead")}</p>
            <Notice message=notice/>
            <ActionForm action=action attr:class="form">
                <Field
                    name="email"
                    label=t(lang, "field.email")
                    kind="email"
                    autocomplete="username"
                    error=field_error("email")
                />
                <Field
                    name="password"
                    label=t(lang, "field.password")
                    kind="password"
                    autocomplete="current-password"
                    error=field_error("password")
                />
                <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t(lang, "action.signing_in") } else { t(lang, "action.sign_in") }}
                </button>
            </ActionForm>
            <p class="aside"><a href="/password/forgot">{t(lang, "sign_in.forgot")}</a></p>
        </section>
    }
}
