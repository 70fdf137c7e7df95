use leptos::prelude::*;

use crate::api::AppError;

/// Writes to the customer and sets the status (rejecting: the message is the reason).
#[server(endpoint = "staff_reply")]
pub async fn staff_reply(id: i64, status: String, message: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    match domain::requests::work::reply(&portal, &session, id, &status, &message, &meta()).await {
        Ok(()) => go(&format!("/staff/requests/{id}?e=reply_sent")),
        Err(e) => go(&format!("/staff/requests/{id}?e={}#reply", field_outcome(&e))),
    }
    Ok(())
}
