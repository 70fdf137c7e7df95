use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::confirm::LinkProblem;
use super::outcome;
use crate::api::AppError;
use crate::api::password_reset::{ResetLinkView, ResetPassword, reset_link};
use crate::components::failure::Failure;
use crate::components::field::Field;
use crate::components::notice::Notice;
use crate::i18n::{error_for, message, t, use_lang};

/// From the reset mail: a new password and, for a customer with an authenticator, a code.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, reset_link);
    view! {
        <Title text=format!("{} · Custodia", t(lang, "reset.title"))/>
        <section class="card narrow">
            <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(v) => view! { <ResetForm view=v token=token()/> }.into_any(),
                        Err(AppError::Link(code)) => view! { <LinkProblem code=code prefix="reset_" next="/password/forgot" next_label="reset.ask_again"/> }.into_any(),
                        Err(e) => view! { <Failure error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ResetForm(view: ResetLinkView, token: String) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<ResetPassword>::new();
    let notice = Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), true)));
    let error = move |name: &'static str| Signal::derive(move || error_for(lang, code.get().as_deref(), name));
    view! {
        <h1>{t(lang, "reset.title")}</h1>
        <p class="lead">{t(lang, if view.needs_code { "reset.lead_code" } else { "reset.lead" })}</p>
        <Notice message=notice/>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="token" value=token/>
            <Field name="new_password" label=t(lang, "password.new") kind="password" hint=t(lang, "password.new_hint")
                autocomplete="new-password" maxlength=256 error=error("new_password")/>
            {if view.needs_code {
                view! {
                    <Field name="code" label=t(lang, "field.code") hint=t(lang, "reset.code_hint")
                        autocomplete="one-time-code" maxlength=64 error=error("code")/>
                }.into_any()
            } else {
                view! { <input type="hidden" name="code" value=""/> }.into_any()
            }}
            <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                {t(lang, "reset.button")}
            </button>
        </ActionForm>
    }
}
