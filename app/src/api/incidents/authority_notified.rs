use leptos::prelude::*;

use crate::api::AppError;

/// Notes that the supervisory authority was told; the 72-hour clock stops.
#[server(endpoint = "staff_authority_notified")]
pub async fn staff_authority_notified(id: i64) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    match domain::incidents::authority_notified(&portal, &session, id, &meta().ip).await {
        Ok(()) => go(&format!("/staff/incidents/{id}?e=authority_noted")),
        Err(domain::Error::Forbidden) => go("/staff?e=forbidden"),
        Err(_) => go(&format!("/staff/incidents/{id}?e=invalid")),
    }
    Ok(())
}
