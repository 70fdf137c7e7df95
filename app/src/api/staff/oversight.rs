use leptos::prelude::*;

use super::views::OversightView;
use crate::api::AppError;

/// DPO oversight: access alerts and how customers rated closed requests.
#[server(endpoint = "staff_oversight")]
pub async fn staff_oversight() -> Result<OversightView, AppError> {
    use super::views::{AlertView, RatingView, convert};
    use crate::api::ssr::*;

    let portal = portal()?;
    let session = require_staff(&portal).await?;
    let alerts = domain::staff::alerts::recent(&portal, &session.staff).await.map_err(internal)?;
    let ratings = domain::requests::ratings::summary(&portal, &session.staff).await.map_err(internal)?;
    let lang = lang();
    Ok(OversightView {
        me: convert::me(&session.staff),
        alerts: alerts
            .into_iter()
            .map(|a| AlertView { when: domain::locale::date_time(lang, a.at), pseudonym: a.pseudonym, role: a.role, reads: a.reads })
            .collect(),
        ratings: ratings
            .into_iter()
            .map(|r| RatingView {
                kind: r.kind,
                count: r.count,
                average: format!("{}.{:02}", r.average_hundredths / 100, r.average_hundredths % 100),
            })
            .collect(),
    })
}
