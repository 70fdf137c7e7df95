use leptos::prelude::*;

use crate::api::staff::views::EventView;
use crate::i18n::{Lang, t, term, use_lang};

/// A request's timeline, oldest first: the same list for the customer and for staff.
#[component]
pub fn Timeline(events: Vec<EventView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t(lang, "timeline.title")}</h2>
            <ol class="timeline">
                {events.into_iter().map(|e| {
                    let who = who(lang, &e);
                    let what = what(lang, &e);
                    let body = (!e.body.is_empty()).then(|| e.body.clone());
                    view! {
                        <li class="timeline-event" data-kind=e.kind.clone()>
                            <p class="timeline-head">
                                <span class="timeline-what">{what}</span>
                                " · "
                                <span class="timeline-who">{who}</span>
                                " · "
                                <time>{e.when.clone()}</time>
                            </p>
                            {body.map(|b| view! { <p class="timeline-body">{b}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// "You", "Support (agent staff-3fa2b1c9)" or "Custodia".
pub fn who(lang: Lang, e: &EventView) -> String {
    match (e.actor.as_str(), &e.staff) {
        ("customer", _) => t(lang, "timeline.customer").to_string(),
        ("staff", Some((role, pseudonym))) => format!("{} ({pseudonym})", term(lang, &format!("role_{role}"))),
        _ => t(lang, "timeline.system").to_string(),
    }
}

fn what(lang: Lang, e: &EventView) -> String {
    match e.kind.as_str() {
        "status" => format!("{}: {}", t(lang, "timeline.status"), term(lang, &format!("request_status_{}", e.detail))),
        "mail" => format!("{}: {}", t(lang, "timeline.mail"), term(lang, &format!("mail_{}", e.detail))),
        "extended" => format!("{} {}", t(lang, "timeline.extended"), e.detail),
        "proposed" => format!("{}: {}", t(lang, "timeline.proposed"), term(lang, &format!("subject_{}", e.detail))),
        "confirmed" => format!("{}: {}", t(lang, "timeline.confirmed"), term(lang, &format!("subject_{}", e.detail))),
        "rated" => format!("{}: {}/5", t(lang, "timeline.rated"), e.detail),
        other => term(lang, &format!("event_{other}")).into_owned(),
    }
}
