use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::i18n::{t, use_lang};

const FIELDS: [&str; 7] = ["full_name", "phone", "preferred_language", "email", "address", "date_of_birth", "erasure"];

/// After a change was applied.
#[component]
pub fn ConfirmedPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let field = move || query.read().get("field").filter(|f| FIELDS.contains(&f.as_str()));
    let recovery = move || query.read().get("recovery").is_some();
    view! {
        <Title text=format!("{} · Custodia", t(lang, "confirmed.title"))/>
        <section class="card narrow">
            <h1>{t(lang, "confirmed.title")}</h1>
            <p class="notice notice-ok" role="status">
                <span class="notice-icon" aria-hidden="true">"✓"</span>
                " "
                {t(lang, "confirmed.lead")}
            </p>
            {move || field().map(|f| view! {
                <dl class="fields">
                    <div class="field-row">
                        <dt>{t(lang, "confirmed.what")}</dt>
                        <dd id="changed-field">{t(lang, &format!("field.{f}"))}</dd>
                    </div>
                </dl>
            })}
            {move || (field().as_deref() == Some("erasure")).then(|| view! { <p id="erasure-scheduled">{t(lang, "confirmed.erasure")}</p> })}
            {move || recovery().then(|| view! { <p>{t(lang, "confirmed.recovery")}</p> })}
            <p><a class="button-primary" href="/my-data">{t(lang, "confirmed.to_my_data")}</a></p>
        </section>
    }
}
