use leptos::prelude::*;

use crate::api::AppError;

/// Proposes the corrected value; the customer confirms it by link and code before it is written.
#[server(endpoint = "staff_propose")]
pub async fn staff_propose(id: i64, value: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    match domain::requests::work::propose(&portal, &session, id, &value, &meta()).await {
        Ok(_) => go(&format!("/staff/requests/{id}?e=proposed")),
        Err(e) => go(&format!("/staff/requests/{id}?e={}#propose", field_outcome(&e))),
    }
    Ok(())
}
