use leptos::prelude::*;

use crate::api::AppError;

/// Asks for erasure: mails the single-use link that, with a code, schedules it.
#[server(endpoint = "request_erasure")]
pub async fn request_erasure() -> Result<(), AppError> {
    use crate::api::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = match require_session(&portal, Stage::Full).await {
        Ok(s) => s,
        Err(e) => {
            go(&session_failed(&e, "/sign-in"));
            return Ok(());
        }
    };
    match domain::erasure::request(&portal, session.customer_id, &meta()).await {
        Ok(_) => go("/erasure?e=erasure_sent"),
        Err(domain::Error::Invalid { .. }) => go("/erasure?e=erasure_already"),
        Err(e) => go(&format!("/erasure?e={}", outcome_code(&e))),
    }
    Ok(())
}
