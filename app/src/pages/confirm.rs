use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::outcome;
use crate::api::AppError;
use crate::api::change_link::{ChangeLinkView, ConfirmChange, change_link};
use crate::api::my_data::CellView;
use crate::components::{field::Field, notice::Notice};
use crate::i18n::{Lang, error_for, message, t, term, use_lang};

/// Where an emailed link lands: shows old -> new (writing nothing) and asks for a code.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let data = Resource::new(token, change_link);
    view! {
        <Title text=format!("{} · Custodia", t(lang, "confirm.title"))/>
        <section class="card narrow">
            <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! { <ConfirmForm view=v token=token()/> }.into_any(),
                        Err(AppError::Link(code)) => view! { <LinkProblem code=code/> }.into_any(),
                        Err(e) => view! { <Failure error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

pub(crate) fn cell(lang: Lang, v: &CellView) -> String {
    match v {
        CellView::Text(s) if s.is_empty() => t(lang, "value.none").to_string(),
        CellView::Text(s) => s.clone(),
        CellView::Term(s) => term(lang, s).into_owned(),
    }
}

#[component]
fn ConfirmForm(view: ChangeLinkView, token: String) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<ConfirmChange>::new();
    let error = Signal::derive(move || {
        let c = code.get();
        match c.as_deref() {
            Some("credentials") => Some(message(lang, "credentials")),
            other => error_for(lang, other, "code"),
        }
    });
    let notice = Signal::derive(move || {
        code.get().filter(|c| c != "credentials" && !c.contains('.')).map(|c| (message(lang, &c), true))
    });
    let minutes = t(lang, "confirm.minutes_left").replace("{minutes}", &view.minutes_left.to_string());
    view! {
        <h1>{t(lang, "confirm.title")}</h1>
        <p class="lead">{t(lang, "confirm.lead")}</p>
        <Notice message=notice/>
        <table class="change-table">
            <caption class="visually-hidden">{t(lang, "confirm.field")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(lang, "confirm.field")}</th>
                    <th scope="col">{t(lang, "confirm.old")}</th>
                    <th scope="col">{t(lang, "confirm.new")}</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <th scope="row">{t(lang, &format!("field.{}", view.field))}</th>
                    <td id="old-value">{cell(lang, &view.old_value)}</td>
                    <td id="new-value">{cell(lang, &view.new_value)}</td>
                </tr>
            </tbody>
        </table>
        <p class="muted">{minutes}</p>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="token" value=token/>
            <Field
                name="code"
                label=t(lang, "field.code")
                hint=t(lang, "confirm.code_hint")
                autocomplete="one-time-code"
                maxlength=64
                error=error
            />
            <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                {t(lang, "confirm.submit")}
            </button>
        </ActionForm>
        <p class="aside">{t(lang, "confirm.not_you")}</p>
    }
}

/// One clear page per reason a link cannot be used. A kind of link with its own wording gives
/// its message prefix (`reset_` for `msg.reset_link_expired`) and the way on from there.
#[component]
pub(crate) fn LinkProblem(
    code: String,
    #[prop(default = "")] prefix: &'static str,
    #[prop(default = "/my-data")] next: &'static str,
    #[prop(default = "change.back")] next_label: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{t(lang, "link.title")}</h1>
        <p class="notice notice-error" role="alert" data-reason=code.clone()>
            <span class="notice-icon" aria-hidden="true">"!"</span>
            " "
            {message(lang, &format!("{prefix}{code}"))}
        </p>
        <p><a href=next>{t(lang, next_label)}</a></p>
    }
}
