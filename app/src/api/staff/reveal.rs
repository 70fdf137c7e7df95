use leptos::prelude::*;

use crate::api::AppError;

/// Shows one field in full for a reason, which the customer will read. The value reaches the
/// next render of the customer's page through the session, never through the URL.
#[server(endpoint = "staff_reveal")]
pub async fn staff_reveal(reference: String, field: String, reason: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    let Some(safe_ref) = reference_shaped(&reference) else {
        go("/staff?e=customer_not_found#find");
        return Ok(());
    };
    match domain::staff::directory::reveal(&portal, &session, &safe_ref, &field, &reason, &meta()).await {
        // A fresh query string, so the hydrated page reads the record again.
        Ok(_) => go(&format!("/staff/customers/{safe_ref}?shown={}#revealed", portal.now())),
        Err(domain::Error::NotFound) => go("/staff?e=customer_not_found#find"),
        Err(e) => go(&format!("/staff/customers/{safe_ref}?e={}#reveal", field_outcome(&e))),
    }
    Ok(())
}

/// The reference, upper-cased, when it has the shape of one ("C-" and ten characters): only then
/// is it echoed into our own URLs.
#[cfg(feature = "ssr")]
pub(crate) fn reference_shaped(reference: &str) -> Option<String> {
    let r = reference.trim().to_uppercase();
    (r.starts_with("C-") && r.len() == 12 && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then_some(r)
}
