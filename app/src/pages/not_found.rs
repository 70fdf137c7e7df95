use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{t, use_lang};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let lang = use_lang();
    crate::components::failure::answer(404);
    view! {
        <Title text=format!("{} · Custodia", t(lang, "not_found.title"))/>
        <section class="card narrow">
            <h1>{t(lang, "not_found.title")}</h1>
            <p>{t(lang, "not_found.lead")}</p>
            <p><a href="/my-data">{t(lang, "nav.my_data")}</a></p>
        </section>
    }
}
