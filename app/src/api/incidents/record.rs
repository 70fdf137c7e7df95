use leptos::prelude::*;

use crate::api::AppError;

/// Records a breach. `categories` comes from checkboxes named `categories[]`.
#[server(endpoint = "staff_record_incident")]
pub async fn staff_record_incident(
    discovered_at: String,
    what_happened: String,
    categories: Vec<String>,
    approx_affected: String,
    consequences: String,
    measures: String,
) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    let Some(discovered_at) = super::parse_moment(&discovered_at, false) else {
        go("/staff/incidents?e=discovered_at.malformed#record");
        return Ok(());
    };
    let Ok(approx_affected) = approx_affected.trim().parse::<i64>() else {
        go("/staff/incidents?e=approx_affected.malformed#record");
        return Ok(());
    };
    let new = domain::incidents::NewIncident {
        discovered_at,
        what_happened,
        categories: categories.into_iter().filter(|c| !c.is_empty()).collect(),
        approx_affected,
        consequences,
        measures,
    };
    match domain::incidents::record(&portal, &session, &new, &meta().ip).await {
        Ok(id) => go(&format!("/staff/incidents/{id}?e=incident_recorded")),
        Err(domain::Error::Forbidden) => go("/staff?e=forbidden"),
        Err(e) => go(&format!("/staff/incidents?e={}#record", field_outcome(&e))),
    }
    Ok(())
}
