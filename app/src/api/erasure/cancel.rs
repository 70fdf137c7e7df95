use leptos::prelude::*;

use crate::api::AppError;

/// One click during the grace period: the scheduled erasure will not happen.
#[server(endpoint = "cancel_erasure")]
pub async fn cancel_erasure() -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    match domain::erasure::cancel(&portal, session.customer_id, &meta().ip).await {
        Ok(()) => go("/my-data?e=erasure_cancelled"),
        Err(domain::Error::NotFound) => go("/my-data?e=erasure_gone"),
        Err(e) => go(&format!("/my-data?e={}", outcome_code(&e))),
    }
    Ok(())
}
