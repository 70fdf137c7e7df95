use leptos::prelude::*;

use super::AppError;

/// Cancels one of the customer's pending changes; its link stops working at once.
#[server(endpoint = "cancel_change")]
pub async fn cancel_change(id: i64) -> Result<(), AppError> {
    use super::ssr::*;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    match domain::verification::cancel(&portal, session.customer_id, id, &meta().ip).await {
        Ok(()) => go("/my-data?e=change_cancelled#pending"),
        Err(domain::Error::NotFound) => go("/my-data?e=change_gone#pending"),
        Err(e) => go(&format!("/my-data?e={}#pending", outcome_code(&e))),
    }
    Ok(())
}
