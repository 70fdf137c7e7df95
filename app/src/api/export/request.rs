use leptos::prelude::*;

use crate::api::AppError;

/// Asks for an export, with a fresh code from the authenticator app. Back on the export page,
/// the progress shows.
#[server(endpoint = "request_export")]
pub async fn request_export(code: String) -> Result<(), AppError> {
    use crate::api::ssr::*;
    use domain::Error;
    use domain::error::Problem;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let to = match domain::export::request(&portal, session.customer_id, &code, &meta()).await {
        Ok(_) => "export_requested",
        Err(Error::Invalid { field: "export", problem: Problem::TooSoon }) => "export_too_soon",
        Err(Error::Invalid { field: "export", .. }) => "export_in_progress",
        Err(e) => outcome_code(&e),
    };
    // Which form the message belongs beside, when it is about the code.
    go(&format!("/export?e={to}&f=ask"));
    Ok(())
}
