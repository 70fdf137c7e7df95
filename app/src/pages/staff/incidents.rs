use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::AppError;
use crate::api::incidents::list::staff_incidents;
use crate::api::incidents::record::StaffRecordIncident;
use crate::api::incidents::views::IncidentsView;
use crate::components::{notice::Notice, staff_bar::StaffBar};
use crate::i18n::{error_for, message, t, use_lang};
use crate::pages::outcome;

/// The breach register: every incident with its 72-hour clock, and the form to record one.
#[component]
pub fn StaffIncidentsPage() -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let data = Resource::new(move || code.get(), |_| staff_incidents());
    view! {
        <Title text=format!("{} · Custodia", t(lang, "incidents.title"))/>
        <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Incidents data=v/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/staff/sign-in?e=expired"/> }.into_any(),
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Incidents(data: IncidentsView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<StaffRecordIncident>::new();
    let err = move |name: &'static str| Signal::derive(move || error_for(lang, code.get().as_deref(), name));
    let notice = Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), true)));
    let text_field = move |name: &'static str, label: &'static str, hint: &'static str| {
        let error = err(name);
        let id = format!("field-{name}");
        view! {
            <div class="field" class:has-error=move || error.get().is_some()>
                <label for=id.clone()>{t(lang, label)}</label>
                <p class="hint" id=format!("{id}-hint")>{t(lang, hint)}</p>
                <textarea id=id.clone() name=name rows="3" required maxlength="4000"
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby=format!("{id}-hint {id}-error")></textarea>
                <p class="field-error" id=format!("{id}-error") aria-live="polite">{move || error.get()}</p>
            </div>
        }
    };
    let (discovered_error, categories_error, affected_error) = (err("discovered_at"), err("categories"), err("approx_affected"));
    view! {
        <StaffBar me=data.me.clone()/>
        <section class="card" aria-labelledby="incidents-title">
            <h1 id="incidents-title">{t(lang, "incidents.title")}</h1>
            <Notice message=notice/>
            {if data.incidents.is_empty() {
                view! { <p class="empty">{t(lang, "incidents.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="incidents">
                        {data.incidents.iter().map(|i| view! {
                            <li data-clock=i.clock.clone()>
                                <a href=format!("/staff/incidents/{}", i.id)>{i.what_happened.chars().take(80).collect::<String>()}</a>
                                " · " {i.discovered.clone()} " · "
                                <strong>{clock(lang, &i.clock, i.hours_left)}</strong>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card" id="record" aria-labelledby="record-title">
            <h2 id="record-title">{t(lang, "incidents.record_title")}</h2>
            <ActionForm action=action attr:class="form">
                <div class="field" class:has-error=move || discovered_error.get().is_some()>
                    <label for="field-discovered_at">{t(lang, "incidents.discovered_at")}</label>
                    <input id="field-discovered_at" name="discovered_at" type="datetime-local" required
                        aria-invalid=move || if discovered_error.get().is_some() { "true" } else { "false" }
                        aria-describedby="field-discovered_at-error"/>
                    <p class="field-error" id="field-discovered_at-error" aria-live="polite">{move || discovered_error.get()}</p>
                </div>
                {text_field("what_happened", "incidents.what_happened", "incidents.what_hint")}
                <fieldset class="field" aria-describedby="field-categories-error">
                    <legend>{t(lang, "incidents.categories")}</legend>
                    // Always present, so no choice still reaches the server as an empty list.
                    <input type="hidden" name="categories[]" value=""/>
                    {data.categories.iter().map(|(key, title)| view! {
                        <label class="check"><input type="checkbox" name="categories[]" value=key.clone()/> " " {title.clone()}</label>
                    }).collect_view()}
                    <p class="field-error" id="field-categories-error" aria-live="polite">{move || categories_error.get()}</p>
                </fieldset>
                <div class="field" class:has-error=move || affected_error.get().is_some()>
                    <label for="field-approx_affected">{t(lang, "incidents.approx_affected")}</label>
                    <input id="field-approx_affected" name="approx_affected" type="number" min="0" inputmode="numeric" required
                        aria-invalid=move || if affected_error.get().is_some() { "true" } else { "false" }
                        aria-describedby="field-approx_affected-error"/>
                    <p class="field-error" id="field-approx_affected-error" aria-live="polite">{move || affected_error.get()}</p>
                </div>
                {text_field("consequences", "incidents.consequences", "incidents.consequences_hint")}
                {text_field("measures", "incidents.measures", "incidents.measures_hint")}
                <button type="submit" class="button-primary">{t(lang, "incidents.record")}</button>
            </ActionForm>
        </section>
    }
}

/// "31 hours left to tell the authority", "Overdue by 5 hours", "Authority told".
pub fn clock(lang: crate::i18n::Lang, state: &str, hours: Option<i64>) -> String {
    match (state, hours) {
        ("told", _) => t(lang, "incidents.told").to_string(),
        ("overdue", Some(h)) => format!("{} {}", t(lang, "incidents.overdue_by"), -h),
        (_, Some(h)) => format!("{} {}", h, t(lang, "incidents.hours_left")),
        _ => String::new(),
    }
}
