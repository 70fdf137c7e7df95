use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::AppError;
use crate::api::access_log::{AccessView, access_log};
use crate::i18n::{Lang, t, term, use_lang};

/// "Who accessed my data": every time our staff opened the customer's record, revealed a field
/// or read one of their requests, with the reason they gave.
#[component]
pub fn AccessLogPage() -> impl IntoView {
    let lang = use_lang();
    // An island page: this component runs on the server only, once per request, so it awaits
    // the server function itself (as "My data" does) rather than through a resource.
    let body = Suspend::new(async move {
        match access_log().await {
            Ok(rows) if rows.is_empty() => view! { <p class="empty">{t(lang, "access.none")}</p> }.into_any(),
            Ok(rows) => view! { <AccessTable rows=rows/> }.into_any(),
            Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
            Err(e) => view! { <Failure error=e/> }.into_any(),
        }
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "access.title"))/>
        <section class="card">
            <p class="aside"><a href="/my-data">{t(lang, "change.back")}</a></p>
            <h1 id="access-title">{t(lang, "access.title")}</h1>
            <p class="lead">{t(lang, "access.lead")}</p>
            {body}
        </section>
    }
}

fn what(lang: Lang, code: &str) -> String {
    if let Some(field) = code.strip_prefix("revealed:") {
        let field = field.split(':').next().unwrap_or_default();
        let name = if field == "address" { t(lang, "staff.address").to_string() } else { term(lang, &format!("subject_{field}")).into_owned() };
        return format!("{}: {name}", t(lang, "access.revealed"));
    }
    if code == "sessions.ended" {
        return t(lang, "access.sessions_ended").to_string();
    }
    if code.starts_with("request.viewed:") {
        return t(lang, "access.request_viewed").to_string();
    }
    t(lang, "access.opened").to_string()
}

#[component]
fn AccessTable(rows: Vec<AccessView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-wrap" role="region" aria-labelledby="access-title" tabindex="0">
            <table class="access-log">
                <thead>
                    <tr>
                        <th scope="col">{t(lang, "access.when")}</th>
                        <th scope="col">{t(lang, "access.who")}</th>
                        <th scope="col">{t(lang, "access.what")}</th>
                        <th scope="col">{t(lang, "access.reason")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-what=r.what.clone()>
                            <td>{r.when.clone()}</td>
                            <td>{term(lang, &format!("role_{}", r.role))} " (" {r.pseudonym.clone()} ")"</td>
                            <td>{what(lang, &r.what)}</td>
                            <td>{if r.reason == "look-up" || r.reason == "request" { t(lang, &format!("access.reason_{}", r.reason.replace('-', "_"))).to_string() } else { r.reason.clone() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
