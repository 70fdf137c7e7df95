use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::confirm::LinkProblem;
use super::outcome;
use crate::api::AppError;
use crate::api::revert_email::{RevertEmail, RevertView, revert_link};
use crate::components::notice::Notice;
use crate::i18n::{message, t, use_lang};

/// From the mail to the previous address: undo an email change (the way back after a takeover).
#[component]
pub fn RevertEmailPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let data = Resource::new(token, revert_link);
    view! {
        <Title text=format!("{} · Custodia", t(lang, "revert.title"))/>
        <section class="card narrow">
            <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! { <RevertForm view=v token=token()/> }.into_any(),
                        Err(AppError::Link(code)) => view! { <LinkProblem code=code/> }.into_any(),
                        Err(e) => view! { <Failure error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RevertForm(view: RevertView, token: String) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<RevertEmail>::new();
    let notice = Signal::derive(move || code.get().map(|c| (message(lang, &c), true)));
    view! {
        <h1>{t(lang, "revert.title")}</h1>
        <Notice message=notice/>
        <dl class="fields">
            <div class="field-row"><dt>{t(lang, "revert.from")}</dt><dd id="old-email">{view.old_email.clone()}</dd></div>
            <div class="field-row"><dt>{t(lang, "revert.to")}</dt><dd id="new-email">{view.new_email.clone()}</dd></div>
        </dl>
        <p>{t(lang, "revert.explain")}</p>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                {t(lang, "revert.submit")}
            </button>
        </ActionForm>
    }
}
