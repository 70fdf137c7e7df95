use leptos::prelude::*;

use super::views::ErasureView;
use crate::api::AppError;

/// What erasing the signed-in customer would erase and keep, from the data catalogue. Reads only.
#[server(endpoint = "erasure_preview")]
pub async fn erasure_preview() -> Result<ErasureView, AppError> {
    use super::views::FateView;
    use crate::api::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    let lang = lang();
    let p = domain::erasure::preview(&portal, session.customer_id, lang).await.map_err(internal)?;
    Ok(ErasureView {
        categories: p
            .categories
            .into_iter()
            .map(|c| FateView {
                key: c.key,
                title: c.title,
                erased: c.erased,
                kept: c.kept,
                kept_until: c.kept_until.map(|t| domain::locale::date(lang, t)),
                ground: c.ground,
            })
            .collect(),
        recipients: p.recipients.into_iter().map(|r| r.name).collect(),
        grace_days: p.grace_days,
        scheduled: scheduled(&portal, domain::erasure::scheduled(portal.store.pool(), session.customer_id).await.map_err(internal)?, lang),
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn scheduled(portal: &domain::Portal, s: Option<domain::erasure::Scheduled>, lang: domain::Lang) -> Option<super::views::ScheduledView> {
    s.map(|s| super::views::ScheduledView { reference: s.reference, date: domain::locale::date(lang, s.due_at), due_at: s.due_at, now: portal.now() })
}
