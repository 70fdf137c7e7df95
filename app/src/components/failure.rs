use leptos::prelude::*;

use crate::api::AppError;
use crate::i18n::{message, use_lang};

/// Sets the page's HTTP status (server side), so what a page says and what its status says agree:
/// a page refused or not found is not a 200.
pub fn answer(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(code)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(status)) {
        res.set_status(code);
        if status == 503 {
            res.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from_static("30"));
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// What a page shows when its data could not be read: refused by role (403), or a failure on
/// our side (503 with `Retry-After`, so monitors and proxies see an outage, not a page that
/// worked).
#[component]
pub fn Failure(error: AppError) -> impl IntoView {
    let lang = use_lang();
    if matches!(error, AppError::Forbidden) {
        answer(403);
        return view! { <p class="notice notice-error" role="alert" id="forbidden">{message(lang, "forbidden")}</p> }.into_any();
    }
    answer(503);
    view! { <p class="notice notice-error" role="alert" id="unavailable">{message(lang, "unavailable")}</p> }.into_any()
}
