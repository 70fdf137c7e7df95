//! The only components that run in the browser. Everything else is server-rendered HTML that
//! works without JavaScript; these add to it.

use leptos::prelude::*;

/// Marks the page once its islands are live (`<body data-hydrated="true">`), for tests.
#[island]
pub fn HydrationMark() -> impl IntoView {
    Effect::new(|| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// Time left before a scheduled erasure, in days and hours: rendered by the server, then kept
/// current in the browser. The words come translated from the server, so the browser needs no
/// language tables.
#[island]
pub fn Countdown(due_at: i64, now: i64, days: String, hours: String) -> impl IntoView {
    let (left, set_left) = signal(due_at - now);
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        {
            let tick = move || set_left.set(due_at - (js_sys::Date::now() / 1000.0) as i64);
            tick();
            let _ = set_interval_with_handle(tick, std::time::Duration::from_secs(30));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = set_left;
    });
    view! {
        <span class="countdown" data-due=due_at>
            {move || {
                let s = left.get().max(0);
                format!("{} {days}, {} {hours}", s / 86_400, (s % 86_400) / 3_600)
            }}
        </span>
    }
}

/// An export in the making: the bar the server rendered, kept moving by asking the server every
/// two seconds; once the export is ready (or failed) the page loads again to offer the download.
/// Without JavaScript the page's refresh link does the same. Stage words come from the server.
#[island]
pub fn ExportProgress(progress: i64, stage: String, stages: Vec<(String, String)>) -> impl IntoView {
    let (now, set_now) = signal((progress, stage));
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        {
            let poll = move || {
                leptos::task::spawn_local(async move {
                    match crate::api::export::progress::export_progress().await {
                        Ok(p) if p.state == "queued" || p.state == "building" => set_now.set((p.progress, p.stage)),
                        // Ready (or failed): load the page afresh, without the "asked" message.
                        Ok(_) => {
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().set_href("/export");
                            }
                        }
                        Err(_) => {}
                    }
                });
            };
            let _ = set_interval_with_handle(poll, std::time::Duration::from_secs(2));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = set_now;
    });
    let label = move |stage: &str| stages.iter().find(|(k, _)| k == stage).map(|(_, v)| v.clone()).unwrap_or_default();
    view! {
        <div class="export-progress">
            <progress id="export-progress" max="100" value=move || now.get().0>{move || format!("{}%", now.get().0)}</progress>
            <p aria-live="polite" id="export-progress-text">{move || { let (p, s) = now.get(); format!("{p}% · {}", label(&s)) }}</p>
        </div>
    }
}
