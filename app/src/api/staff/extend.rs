use leptos::prelude::*;

use crate::api::AppError;

/// Extends the deadline by one or two months with a reason the customer receives.
#[server(endpoint = "staff_extend")]
pub async fn staff_extend(id: i64, months: i64, reason: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    match domain::requests::work::extend(&portal, &session, id, months, &reason, &meta()).await {
        Ok(_) => go(&format!("/staff/requests/{id}?e=extended")),
        Err(e) => go(&format!("/staff/requests/{id}?e={}#extend", field_outcome(&e))),
    }
    Ok(())
}
