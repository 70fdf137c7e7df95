use leptos::prelude::*;

use super::views::IncidentsView;
use crate::api::AppError;

/// Every incident with its 72-hour clock, and the categories the form offers. DPOs only.
#[server(endpoint = "staff_incidents")]
pub async fn staff_incidents() -> Result<IncidentsView, AppError> {
    use super::views::IncidentSummaryView;
    use crate::api::ssr::*;
    use crate::api::staff::views::convert;

    let portal = portal()?;
    let session = require_staff(&portal).await?;
    let list = domain::incidents::list(&portal, &session).await.map_err(internal)?;
    let lang = lang();
    let categories = domain::catalogue::load(&portal, lang).await.map_err(internal)?;
    Ok(IncidentsView {
        me: convert::me(&session.staff),
        incidents: list.iter().map(|i| summary(lang, portal.now(), i)).collect::<Vec<IncidentSummaryView>>(),
        categories: categories.into_iter().map(|c| (c.key, c.texts.title)).collect(),
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn summary(lang: domain::Lang, now: i64, i: &domain::incidents::Incident) -> super::views::IncidentSummaryView {
    let left = i.seconds_left(now);
    super::views::IncidentSummaryView {
        id: i.id,
        discovered: domain::locale::date_time(lang, i.discovered_at),
        what_happened: i.what_happened.clone(),
        clock: match left {
            None => "told".into(),
            Some(s) if s < 0 => "overdue".into(),
            Some(_) => "open".into(),
        },
        hours_left: left.map(|s| s.div_euclid(3600)),
        customers_notified: i.customers_notified,
    }
}
