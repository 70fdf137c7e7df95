use leptos::prelude::*;

use super::AppError;

/// Rates a closed request once, 1 to 5, with an optional comment.
#[server(endpoint = "rate_request")]
pub async fn rate_request(id: i64, rating: i64, comment: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = match require_session(&portal, Stage::Full).await {
        Ok(s) => s,
        Err(e) => {
            go(&session_failed(&e, "/sign-in"));
            return Ok(());
        }
    };
    match domain::requests::customer::rate(&portal, session.customer_id, id, rating, &comment).await {
        Ok(()) => go(&format!("/requests/{id}?e=rated")),
        Err(domain::Error::NotFound) => go("/my-data?e=invalid"),
        Err(e) => go(&format!("/requests/{id}?e={}#rate", field_outcome(&e))),
    }
    Ok(())
}
