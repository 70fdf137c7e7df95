use leptos::prelude::*;

use crate::api::AppError;

#[server(endpoint = "staff_assign")]
pub async fn staff_assign(id: i64) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    match domain::requests::work::assign_to_me(&portal, &session, id, &meta()).await {
        Ok(()) => go(&format!("/staff/requests/{id}?e=assigned")),
        Err(e) => go(&format!("/staff/requests/{id}?e={}", field_outcome(&e))),
    }
    Ok(())
}
