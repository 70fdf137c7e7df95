use leptos::prelude::*;

use crate::api::AppError;
use crate::i18n::{message, use_lang};

/// What a page shows when its data could not be read. When the cause is on our side (the
/// database unreachable, say) the page also answers 503 with `Retry-After`, so monitors and
/// proxies see an outage rather than a page that worked.
#[component]
pub fn Failure(error: AppError) -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if matches!(error, AppError::Unavailable) {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
            res.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from_static("30"));
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
    view! { <p class="notice notice-error" role="alert" id="unavailable">{message(lang, "unavailable")}</p> }
}
