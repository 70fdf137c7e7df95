use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::outcome;
use crate::api::AppError;
use crate::api::erasure::preview::erasure_preview;
use crate::api::erasure::request::RequestErasure;
use crate::api::erasure::views::{ErasureView, FateView};
use crate::components::{erasure_banner::ErasureBanner, notice::Notice};
use crate::i18n::{message, t, use_lang};

/// "Delete my account and my data": what goes, what the law makes us keep and until when, who
/// is told; then the button that mails the confirmation link.
#[component]
pub fn ErasurePage() -> impl IntoView {
    let lang = use_lang();
    // An island page: this component runs on the server only, once per request, so it awaits
    // the server function itself (as "My data" does) rather than through a resource.
    let body = Suspend::new(async move {
        match erasure_preview().await {
            Ok(v) => view! { <Erasure data=v/> }.into_any(),
            Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
            Err(e) => view! { <Failure error=e/> }.into_any(),
        }
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "erasure.title"))/>
        {body}
    }
}

#[component]
fn Erasure(data: ErasureView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let notice = Signal::derive(move || code.get().map(|c| (message(lang, &c), c != "erasure_sent")));
    let action = ServerAction::<RequestErasure>::new();
    let grace = t(lang, "erasure.grace").replace("{days}", &data.grace_days.to_string());
    let is_scheduled = data.scheduled.is_some();
    view! {
        <section class="card" aria-labelledby="erasure-page-title">
            <p class="aside"><a href="/my-data">{t(lang, "change.back")}</a></p>
            <h1 id="erasure-page-title">{t(lang, "erasure.title")}</h1>
            <p class="lead">{t(lang, "erasure.lead")}</p>
            <Notice message=notice/>
        </section>
        <ErasureBanner scheduled=data.scheduled.clone()/>
        <section class="card" aria-labelledby="erasure-what">
            <h2 id="erasure-what">{t(lang, "erasure.what")}</h2>
            <ul class="erasure-fates">
                {data.categories.into_iter().map(|c| view! { <Fate fate=c/> }).collect_view()}
            </ul>
            <h3>{t(lang, "erasure.recipients")}</h3>
            <p id="erasure-recipients">{if data.recipients.is_empty() { t(lang, "about.no_recipients").to_string() } else { data.recipients.join(", ") }}</p>
        </section>
        {(!is_scheduled).then(|| view! {
            <section class="card" aria-labelledby="erasure-how">
                <h2 id="erasure-how">{t(lang, "erasure.how")}</h2>
                <p>{grace}</p>
                <ActionForm action=action attr:class="form form-inline">
                    <button type="submit" class="button-primary">{t(lang, "erasure.request")}</button>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
fn Fate(fate: FateView) -> impl IntoView {
    let lang = use_lang();
    let erased = (fate.erased > 0 || fate.kept == 0).then(|| view! { <p class="fate-erased"><span aria-hidden="true">"✕ "</span>{t(lang, "erasure.erased")}</p> });
    let kept = (fate.kept > 0).then(|| {
        let until = fate.kept_until.clone().unwrap_or_default();
        let line = t(lang, "erasure.kept").replace("{count}", &fate.kept.to_string()).replace("{date}", &until);
        view! {
            <p class="fate-kept"><span aria-hidden="true">"⚖ "</span>{line}</p>
            <p class="muted">{fate.ground.clone()}</p>
        }
    });
    view! {
        <li data-category=fate.key.clone() data-kept=fate.kept>
            <strong>{fate.title.clone()}</strong>
            {erased}
            {kept}
        </li>
    }
}
