use leptos::prelude::*;

use super::views::IncidentView;
use crate::api::AppError;

/// One incident: the clock, the Article 33 draft, and (given a range) how many customers a
/// notice would reach. DPOs only.
#[server(endpoint = "staff_incident")]
pub async fn staff_incident(id: i64, from: String, to: String) -> Result<IncidentView, AppError> {
    use crate::api::ssr::*;
    use crate::api::staff::views::convert;

    let portal = portal()?;
    let session = require_staff(&portal).await?;
    let i = domain::incidents::get(&portal, &session, id).await.map_err(internal)?;
    let lang = lang();
    let now = portal.now();
    let preview = match (super::parse_moment(&from, false), super::parse_moment(&to, true)) {
        (Some(f), Some(t)) => domain::incidents::notify::preview(&portal, &session, id, f, t).await.ok(),
        _ => None,
    };
    let contact = format!("{} (data protection officer, via the staff console)", session.staff.pseudonym);
    Ok(IncidentView {
        me: convert::me(&session.staff),
        summary: super::list::summary(lang, now, &i),
        deadline: domain::locale::date_time(lang, i.authority_deadline),
        recorded_by: i.recorded_by.clone(),
        categories: i.categories.clone(),
        approx_affected: i.approx_affected,
        consequences: i.consequences.clone(),
        measures: i.measures.clone(),
        authority_notified: i.authority_notified_at.map(|t| domain::locale::date_time(lang, t)),
        draft: domain::incidents::draft::article_33(&i, now, &contact).into_iter().map(|(h, t)| (h.to_string(), t)).collect(),
        preview,
    })
}
