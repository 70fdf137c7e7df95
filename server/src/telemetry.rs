//! Logging. Spans carry the route template and method, never a query string, a form field or an
//! identifier typed by a person: logs must hold no personal data.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).try_init();
    // The default hook prints what a panic said, which may hold personal data (a value in an
    // `expect` message); the log gets where it happened and nothing more.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        tracing::error!(at, "panicked");
    }));
}

/// One span per request, with its outcome and duration logged when it ends.
pub async fn request_span(req: Request, next: Next) -> Response {
    // The router fills in `route` (see `record_route`); unmatched paths keep only a family.
    let family = route_family(req.uri().path());
    let span = tracing::info_span!("request", method = %req.method(), route = tracing::field::Empty);
    async move {
        let started = std::time::Instant::now();
        let res = next.run(req).await;
        if res.extensions().get::<RouteRecorded>().is_none() {
            tracing::Span::current().record("route", family);
        }
        let status = res.status().as_u16();
        let ms = started.elapsed().as_millis() as u64;
        if status >= 500 {
            tracing::error!(status, ms, "request failed");
        } else if status == 401 || status == 403 {
            // Refused for want of a session or a role: a security event, kept at warning level.
            tracing::warn!(status, ms, "request refused");
        } else {
            tracing::info!(status, ms, "request");
        }
        res
    }
    .instrument(span)
    .await
}

/// Runs inside the router, where the matched route template is known.
pub async fn record_route(req: Request, next: Next) -> Response {
    let matched = req.extensions().get::<MatchedPath>().cloned();
    if let Some(path) = &matched {
        tracing::Span::current().record("route", path.as_str());
    }
    let mut res = next.run(req).await;
    if matched.is_some() {
        res.extensions_mut().insert(RouteRecorded);
    }
    res
}

#[derive(Clone, Copy)]
struct RouteRecorded;

/// Unmatched paths are logged by family only: a mistyped URL may contain anything.
fn route_family(path: &str) -> &'static str {
    if path.starts_with("/pkg/") { "/pkg/*" } else { "unmatched" }
}
