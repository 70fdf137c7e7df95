use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::incidents::clock;
use crate::api::AppError;
use crate::api::incidents::authority_notified::StaffAuthorityNotified;
use crate::api::incidents::incident::staff_incident;
use crate::api::incidents::notify::StaffNotifyIncident;
use crate::api::incidents::views::IncidentView;
use crate::components::{notice::Notice, staff_bar::StaffBar};
use crate::i18n::{message, t, term, use_lang};
use crate::pages::outcome;

/// One incident: the clock, the draft for the authority, and notifying affected customers
/// (a preview of how many first, then the notice).
#[component]
pub fn StaffIncidentPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        (
            params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0),
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
            q.get("e"),
        )
    };
    let data = Resource::new(key, |(id, from, to, _)| staff_incident(id, from, to));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "incidents.one_title"))/>
        <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Incident data=v/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/staff/sign-in?e=expired"/> }.into_any(),
                    Err(AppError::NotFound) | Err(AppError::BadRequest) => {
                        crate::components::failure::answer(404);
                        view! { <p class="notice notice-error" role="alert">{message(lang, "invalid")}</p> }.into_any()
                    }
                    Err(e) => view! { <crate::components::failure::Failure error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Incident(data: IncidentView) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let code = outcome();
    let notify = ServerAction::<StaffNotifyIncident>::new();
    let told = ServerAction::<StaffAuthorityNotified>::new();
    let notice = Signal::derive(move || {
        code.get().map(|c| {
            let ok = ["incident_recorded", "customers_notified", "authority_noted"].contains(&c.as_str());
            (message(lang, &c), !ok)
        })
    });
    let notified_now = move || query.read().get("n").and_then(|n| n.parse::<i64>().ok());
    let from = query.read_untracked().get("from").unwrap_or_default();
    let to = query.read_untracked().get("to").unwrap_or_default();
    let id = data.summary.id;
    let s = data.summary.clone();
    view! {
        <StaffBar me=data.me.clone()/>
        <section class="card">
            <h1>{t(lang, "incidents.one_title")} " #" {id}</h1>
            <Notice message=notice/>
            {move || notified_now().map(|n| view! { <p id="notified-count">{n} " " {t(lang, "incidents.customers_told_now")}</p> })}
            <p class="clock" data-clock=s.clock.clone()><strong id="authority-clock">{clock(lang, &s.clock, s.hours_left)}</strong>
                " · " {t(lang, "incidents.deadline")} " " {data.deadline.clone()}</p>
            <dl class="fields">
                <div class="field-row"><dt>{t(lang, "incidents.discovered_at")}</dt><dd>{s.discovered.clone()}</dd></div>
                <div class="field-row"><dt>{t(lang, "incidents.what_happened")}</dt><dd>{s.what_happened.clone()}</dd></div>
                <div class="field-row"><dt>{t(lang, "incidents.categories")}</dt>
                    <dd>{data.categories.iter().map(|c| term(lang, &format!("subject_{c}"))).collect::<Vec<_>>().join(", ")}</dd></div>
                <div class="field-row"><dt>{t(lang, "incidents.approx_affected")}</dt><dd>{data.approx_affected}</dd></div>
                <div class="field-row"><dt>{t(lang, "incidents.customers_told")}</dt><dd id="customers-told">{s.customers_notified}</dd></div>
                <div class="field-row"><dt>{t(lang, "incidents.recorded_by")}</dt><dd>{data.recorded_by.clone()}</dd></div>
            </dl>
            {match data.authority_notified.clone() {
                Some(at) => view! { <p>{t(lang, "incidents.told")} ": " {at}</p> }.into_any(),
                None => view! {
                    <ActionForm action=told attr:class="form form-inline">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="button-secondary">{t(lang, "incidents.mark_told")}</button>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
        <section class="card" id="notify" aria-labelledby="notify-title">
            <h2 id="notify-title">{t(lang, "incidents.notify_title")}</h2>
            <p class="lead">{t(lang, "incidents.notify_lead")}</p>
            <form method="get" action=format!("/staff/incidents/{id}") class="form form-inline">
                <div class="field">
                    <label for="field-from">{t(lang, "incidents.from")}</label>
                    <input id="field-from" name="from" type="date" required value=from.clone()/>
                </div>
                <div class="field">
                    <label for="field-to">{t(lang, "incidents.to")}</label>
                    <input id="field-to" name="to" type="date" required value=to.clone()/>
                </div>
                <button type="submit" class="button-secondary">{t(lang, "incidents.preview")}</button>
            </form>
            {data.preview.map(|n| view! {
                <p id="preview-count"><strong>{n}</strong> " " {t(lang, "incidents.would_reach")}</p>
                <ActionForm action=notify attr:class="form form-inline">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="from" value=from.clone()/>
                    <input type="hidden" name="to" value=to.clone()/>
                    <button type="submit" class="button-primary">{t(lang, "incidents.notify")}</button>
                </ActionForm>
            })}
        </section>
        <section class="card" aria-labelledby="draft-title">
            <h2 id="draft-title">{t(lang, "incidents.draft_title")}</h2>
            <p class="lead">{t(lang, "incidents.draft_lead")}</p>
            <dl class="draft" id="article-33-draft">
                {data.draft.iter().map(|(h, text)| view! { <dt>{h.clone()}</dt><dd class="quote">{text.clone()}</dd> }).collect_view()}
            </dl>
        </section>
    }
}
