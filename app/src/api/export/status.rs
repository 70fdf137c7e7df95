use leptos::prelude::*;

use super::views::ExportPageView;
use crate::api::AppError;

/// The signed-in customer's latest export and whether they may ask for a new one. Reads only.
#[server(endpoint = "export_status")]
pub async fn export_status() -> Result<ExportPageView, AppError> {
    use super::views::ExportView;
    use crate::api::ssr::*;
    use domain::export::State;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    let lang = lang();
    let o = domain::export::overview(&portal, session.customer_id).await.map_err(internal)?;
    let in_flight = o.latest.as_ref().is_some_and(|e| matches!(e.state, State::Queued | State::Building));
    Ok(ExportPageView {
        can_ask: !in_flight && o.next_allowed_at.is_none(),
        next_allowed: o.next_allowed_at.map(|t| domain::locale::date_time(lang, t)),
        latest: o.latest.map(|e| ExportView {
            public_id: e.public_id,
            state: e.state.key().to_string(),
            stage: e.stage,
            progress: e.progress,
            requested: domain::locale::date_time(lang, e.requested_at),
            ready: e.ready_at.map(|t| domain::locale::date_time(lang, t)),
            expires: e.expires_at.map(|t| domain::locale::date_time(lang, t)),
            size: e.size_bytes.map(|b| megabytes(lang, b)),
        }),
    })
}

#[cfg(feature = "ssr")]
fn megabytes(lang: domain::Lang, bytes: i64) -> String {
    // Small exports in whole kilobytes (never "0.0 MB"), larger ones in megabytes with a decimal.
    if bytes < 1_048_576 {
        return format!("{} KB", ((bytes + 1023) / 1024).max(1));
    }
    let tenths = (bytes * 10 + 524_288) / 1_048_576;
    let number = format!("{}.{}", tenths / 10, tenths % 10);
    let number = if lang == domain::Lang::En { number } else { number.replace('.', ",") };
    format!("{number} MB")
}
