use leptos::prelude::*;

use super::views::ProgressView;
use crate::api::AppError;

/// How far the customer's export in the making is; polled by the progress bar.
#[server(endpoint = "export_progress")]
pub async fn export_progress() -> Result<ProgressView, AppError> {
    use crate::api::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    let o = domain::export::overview(&portal, session.customer_id).await.map_err(internal)?;
    Ok(match o.latest {
        Some(e) => ProgressView { state: e.state.key().to_string(), stage: e.stage, progress: e.progress },
        None => ProgressView { state: "none".into(), stage: String::new(), progress: 0 },
    })
}
