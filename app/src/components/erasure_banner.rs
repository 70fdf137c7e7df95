use leptos::prelude::*;

use crate::api::erasure::cancel::CancelErasure;
use crate::api::erasure::views::ScheduledView;
use crate::components::islands::Countdown;
use crate::i18n::{t, use_lang};

/// A scheduled erasure: its date, and the one click that cancels it.
#[component]
pub fn ErasureBanner(scheduled: Option<ScheduledView>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<CancelErasure>::new();
    scheduled.map(|s| {
        view! {
            <section class="card erasure-banner" id="erasure" role="region" aria-labelledby="erasure-title">
                <h2 id="erasure-title"><span aria-hidden="true">"⏳ "</span>{t(lang, "erasure.scheduled_on")} " " {s.date.clone()}</h2>
                <p>
                    {t(lang, "erasure.time_left")} " "
                    <Countdown due_at=s.due_at now=s.now days=t(lang, "erasure.days").to_string() hours=t(lang, "erasure.hours").to_string()/>
                </p>
                <p>{t(lang, "erasure.scheduled_lead")}</p>
                <ActionForm action=action attr:class="form form-inline">
                    <button type="submit" class="button-primary">{t(lang, "erasure.cancel")}</button>
                </ActionForm>
            </section>
        }
    })
}
