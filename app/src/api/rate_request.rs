use leptos::prelude::*;

use super::AppError;

/// Rates a closed request once, 1 to 5, with an optional comment.
#[server(endpoint = "rate_request")]
pub async fn rate_request(id: i64, rating: i64, comment: String) -> Result<(), AppError> {
    use super::ssr::*;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    match domain::requests::customer::rate(&portal, session.customer_id, id, rating, &comment).await {
        Ok(()) => go(&format!("/requests/{id}?e=rated")),
        Err(domain::Error::NotFound) => go("/my-data?e=invalid"),
        Err(e) => go(&format!("/requests/{id}?e={}#rate", field_outcome(&e))),
    }
    Ok(())
}
