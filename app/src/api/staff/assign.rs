use leptos::prelude::*;

use crate::api::AppError;

#[server(endpoint = "staff_assign")]
pub async fn staff_assign(id: i64) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let session = match require_staff(&portal).await {
        Ok(s) => s,
        Err(e) => {
            go(&session_failed(&e, "/staff/sign-in"));
            return Ok(());
        }
    };
    match domain::requests::work::assign_to_me(&portal, &session, id, &meta()).await {
        Ok(()) => go(&format!("/staff/requests/{id}?e=assigned")),
        Err(e) => go(&format!("/staff/requests/{id}?e={}", field_outcome(&e))),
    }
    Ok(())
}
