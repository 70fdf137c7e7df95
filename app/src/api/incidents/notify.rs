use leptos::prelude::*;

use crate::api::AppError;

/// Notifies the customers with data of the incident's categories in [from, to].
#[server(endpoint = "staff_notify_incident")]
pub async fn staff_notify_incident(id: i64, from: String, to: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    let (Some(f), Some(t)) = (super::parse_moment(&from, false), super::parse_moment(&to, true)) else {
        go(&format!("/staff/incidents/{id}?e=from.malformed#notify"));
        return Ok(());
    };
    match domain::incidents::notify::notify(&portal, &session, id, f, t, &meta().ip).await {
        Ok(n) => go(&format!("/staff/incidents/{id}?e=customers_notified&n={n}")),
        Err(domain::Error::Forbidden) => go("/staff?e=forbidden"),
        Err(domain::Error::NotFound) => go("/staff/incidents?e=invalid"),
        Err(e) => go(&format!("/staff/incidents/{id}?e={}#notify", field_outcome(&e))),
    }
    Ok(())
}
