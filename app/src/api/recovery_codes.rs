use leptos::prelude::*;

use super::AppError;

/// The recovery codes issued at enrollment. They are handed out once: later calls get None.
#[server(endpoint = "recovery_codes")]
pub async fn recovery_codes() -> Result<Option<Vec<String>>, AppError> {
    use super::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    domain::identity::take_recovery_codes(&portal, &session).await.map_err(internal)
}
