use leptos::prelude::*;

use crate::api::AppError;

/// Exact email or customer reference -> that customer's (masked) page. No partial matches.
#[server(endpoint = "staff_find_customer")]
pub async fn staff_find_customer(query: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    if require_staff(&portal).await.is_err() {
        go("/staff/sign-in?e=expired");
        return Ok(());
    }
    match domain::staff::directory::locate(&portal, &query).await {
        Ok(reference) => go(&format!("/staff/customers/{reference}")),
        Err(domain::Error::NotFound) => go("/staff?e=customer_not_found#find"),
        Err(e) => go(&format!("/staff?e={}#find", field_outcome(&e))),
    }
    Ok(())
}
