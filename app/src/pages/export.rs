use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::outcome;
use crate::api::AppError;
use crate::api::export::request::RequestExport;
use crate::api::export::status::export_status;
use crate::api::export::views::{ExportPageView, ExportView};
use crate::components::failure::Failure;
use crate::components::field::Field;
use crate::components::islands::ExportProgress;
use crate::components::notice::Notice;
use crate::i18n::{message, t, use_lang};

/// "Download my data": what the package holds, asking for one with a code, its progress, and
/// the download (with a fresh code) while it is kept.
#[component]
pub fn ExportPage() -> impl IntoView {
    let lang = use_lang();
    // An island page: this component runs on the server only, once per request, so it awaits
    // the server function itself (as "My data" does) rather than through a resource.
    let body = Suspend::new(async move {
        match export_status().await {
            Ok(v) => view! { <Export data=v/> }.into_any(),
            Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
            Err(e) => view! { <Failure error=e/> }.into_any(),
        }
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "export.title"))/>
        {body}
    }
}

const OK_CODES: [&str; 1] = ["export_requested"];
/// Outcomes about the code typed, shown beside that input rather than at the top.
fn is_code_problem(c: &str) -> bool {
    c.starts_with("code") || c == "credentials" || c == "locked"
}

#[component]
fn Export(data: ExportPageView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let query = use_query_map();
    let form = Memo::new(move |_| query.read().get("f").unwrap_or_default());
    let notice = Signal::derive(move || {
        code.get().filter(|c| !is_code_problem(c)).map(|c| (message(lang, &c), !OK_CODES.contains(&c.as_str())))
    });
    let error_for = move |which: &'static str| {
        Signal::derive(move || code.get().filter(|c| is_code_problem(c) && form.get() == which).map(|c| message(lang, &c)))
    };
    let latest = data.latest.clone();
    let action = ServerAction::<RequestExport>::new();
    view! {
        <section class="card" aria-labelledby="export-title">
            <p class="aside"><a href="/my-data">{t(lang, "change.back")}</a></p>
            <h1 id="export-title">{t(lang, "export.title")}</h1>
            <p class="lead">{t(lang, "export.lead")}</p>
            <ul class="export-contents">
                <li>{t(lang, "export.contents_json")}</li>
                <li>{t(lang, "export.contents_csv")}</li>
                <li>{t(lang, "export.contents_html")}</li>
                <li>{t(lang, "export.contents_manifest")}</li>
            </ul>
            <Notice message=notice/>
        </section>
        {latest.map(|e| view! { <Latest export=e error=error_for("download")/> })}
        <section class="card" aria-labelledby="export-ask">
            <h2 id="export-ask">{t(lang, "export.ask_title")}</h2>
            {if data.can_ask {
                view! {
                    <p>{t(lang, "export.ask_lead")}</p>
                    <ActionForm action=action attr:class="form">
                        <Field name="code" id="field-ask-code" label=t(lang, "field.code") hint=t(lang, "export.code_hint")
                            autocomplete="one-time-code" inputmode="numeric" maxlength=6 error=error_for("ask")/>
                        <button type="submit" class="button-primary">{t(lang, "export.ask_button")}</button>
                    </ActionForm>
                }.into_any()
            } else if let Some(when) = data.next_allowed.clone() {
                view! { <p id="export-next">{t(lang, "export.next_allowed").replace("{date}", &when)}</p> }.into_any()
            } else {
                view! { <p>{t(lang, "export.one_at_a_time")}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Latest(export: ExportView, error: Signal<Option<&'static str>>) -> impl IntoView {
    let lang = use_lang();
    let stages: Vec<(String, String)> = ["queued", "collecting", "activity", "packing"]
        .iter()
        .map(|s| (s.to_string(), t(lang, &format!("export.stage_{s}")).to_string()))
        .collect();
    let body = match export.state.as_str() {
        "queued" | "building" => view! {
            <p>{t(lang, "export.building").replace("{date}", &export.requested)}</p>
            <ExportProgress progress=export.progress stage=export.stage.clone() stages=stages/>
            <p class="muted">{t(lang, "export.mail_when_ready")} " " <a href="/export">{t(lang, "export.refresh")}</a></p>
        }
        .into_any(),
        "ready" => {
            let ready = t(lang, "export.ready")
                .replace("{date}", export.ready.as_deref().unwrap_or_default())
                .replace("{size}", export.size.as_deref().unwrap_or_default())
                .replace("{until}", export.expires.as_deref().unwrap_or_default());
            view! {
                <p id="export-ready">{ready}</p>
                // A plain post, with or without JavaScript: the answer is the file itself.
                <form method="post" action="/export/download" class="form">
                    <input type="hidden" name="export" value=export.public_id.clone()/>
                    <Field name="code" id="field-download-code" label=t(lang, "field.code") hint=t(lang, "export.download_hint")
                        autocomplete="one-time-code" inputmode="numeric" maxlength=6 error=error/>
                    <button type="submit" class="button-primary">{t(lang, "export.download_button")}</button>
                </form>
            }
            .into_any()
        }
        "expired" => view! { <p>{t(lang, "export.expired").replace("{date}", export.expires.as_deref().unwrap_or_default())}</p> }.into_any(),
        _ => view! { <p>{t(lang, "export.failed")}</p> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="export-latest" data-export-state=export.state.clone()>
            <h2 id="export-latest">{t(lang, "export.latest")}</h2>
            {body}
        </section>
    }
}
