use leptos::prelude::*;

use crate::api::AppError;

/// Signs the customer out on every device, for a reason the customer will read.
#[server(endpoint = "staff_end_sessions")]
pub async fn staff_end_sessions(reference: String, end_reason: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    let Some(safe_ref) = super::reveal::reference_shaped(&reference) else {
        go("/staff?e=customer_not_found#find");
        return Ok(());
    };
    match domain::staff::customer_sessions::end_all(&portal, &session, &safe_ref, &end_reason, &meta()).await {
        Ok(_) => go(&format!("/staff/customers/{safe_ref}?e=customer_signed_out#sessions")),
        Err(domain::Error::NotFound) => go("/staff?e=customer_not_found#find"),
        Err(e) => go(&format!("/staff/customers/{safe_ref}?e={}#sessions", field_outcome(&e))),
    }
    Ok(())
}
