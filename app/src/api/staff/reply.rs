use leptos::prelude::*;

use crate::api::AppError;

/// Writes to the customer and sets the status (rejecting: the message is the reason).
#[server(endpoint = "staff_reply")]
pub async fn staff_reply(id: i64, status: String, message: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let session = match require_staff(&portal).await {
        Ok(s) => s,
        Err(e) => {
            go(&session_failed(&e, "/staff/sign-in"));
            return Ok(());
        }
    };
    match domain::requests::work::reply(&portal, &session, id, &status, &message, &meta()).await {
        Ok(()) => go(&format!("/staff/requests/{id}?e=reply_sent")),
        Err(e) => go(&format!("/staff/requests/{id}?e={}#reply", field_outcome(&e))),
    }
    Ok(())
}
