use leptos::prelude::*;

use crate::api::AppError;

/// Asks for erasure: mails the single-use link that, with a code, schedules it.
#[server(endpoint = "request_erasure")]
pub async fn request_erasure() -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    match domain::erasure::request(&portal, session.customer_id, &meta()).await {
        Ok(_) => go("/erasure?e=erasure_sent"),
        Err(domain::Error::Invalid { .. }) => go("/erasure?e=erasure_already"),
        Err(e) => go(&format!("/erasure?e={}", outcome_code(&e))),
    }
    Ok(())
}
