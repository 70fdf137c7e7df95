use leptos::prelude::*;

use crate::api::AppError;

/// The customer has read an incident notice; its banner goes.
#[server(endpoint = "acknowledge_notice")]
pub async fn acknowledge_notice(id: i64) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    match domain::incidents::notify::acknowledge(&portal, session.customer_id, id, &meta().ip).await {
        Ok(()) => go("/my-data?e=notice_acknowledged"),
        Err(_) => go("/my-data?e=invalid"),
    }
    Ok(())
}
