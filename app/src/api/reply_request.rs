use leptos::prelude::*;

use super::AppError;

/// The customer answers staff on one of their open requests.
#[server(endpoint = "reply_request")]
pub async fn reply_request(id: i64, message: String) -> Result<(), AppError> {
    use super::ssr::*;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    match domain::requests::customer::reply(&portal, session.customer_id, id, &message, &meta()).await {
        Ok(()) => go(&format!("/requests/{id}?e=reply_sent")),
        Err(domain::Error::NotFound) => go("/my-data?e=invalid"),
        Err(e) => go(&format!("/requests/{id}?e={}#reply", field_outcome(&e))),
    }
    Ok(())
}
