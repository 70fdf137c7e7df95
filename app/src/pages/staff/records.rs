use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::AppError;
use crate::api::incidents::records::{RecordsView, records_of_processing};
use crate::i18n::{t, use_lang};

/// Records of processing (Article 30 GDPR) as a readable page, with the JSON download beside it.
#[component]
pub fn StaffRecordsPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| records_of_processing());
    view! {
        <Title text=format!("{} · Custodia", t(lang, "records.title"))/>
        <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <Records data=r/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/staff/sign-in?e=expired"/> }.into_any(),
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Records(data: RecordsView) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card records">
            <p class="aside"><a href="/staff">{t(lang, "staff.queue")}</a></p>
            <h1>{t(lang, "records.title")}</h1>
            <p>{t(lang, "records.generated")} " " {data.generated.clone()} " · " {data.controller.clone()}</p>
            <p><a href="/api/records_of_processing" download="records-of-processing.json" rel="external">{t(lang, "records.download")}</a></p>
            <p><strong>{t(lang, "records.subjects")}</strong> " " {data.data_subjects.clone()}</p>
            {data.activities.iter().map(|a| view! {
                <section class="record" data-category=a.category.clone()>
                    <h2>{a.title.clone()}</h2>
                    <dl class="fields">
                        <div class="field-row"><dt>{t(lang, "about.purpose")}</dt><dd>{a.purpose.clone()}</dd></div>
                        <div class="field-row"><dt>{t(lang, "about.legal_basis")}</dt><dd>{a.legal_basis.clone()}</dd></div>
                        <div class="field-row"><dt>{t(lang, "about.source")}</dt><dd>{a.source.clone()}</dd></div>
                        <div class="field-row"><dt>{t(lang, "about.retention")}</dt><dd>{a.retention.clone()}</dd></div>
                        <div class="field-row"><dt>{t(lang, "about.recipients")}</dt>
                            <dd>{a.recipients.iter().map(|(n, r, c)| format!("{n} ({r}, {c})")).collect::<Vec<_>>().join("; ")}</dd></div>
                    </dl>
                </section>
            }).collect_view()}
            <h2>{t(lang, "records.security")}</h2>
            <ul>{data.security_measures.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
        </section>
    }
}
