use leptos::prelude::*;

use crate::api::AppError;

/// The customer has read the privacy-policy summaries up to `version`; the banner goes. `back`
/// is the page the banner was on ("consent" or anything else for "My data").
#[server(endpoint = "acknowledge_policy")]
pub async fn acknowledge_policy(version: i64, back: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let page = if back == "consent" { "/consent" } else { "/my-data" };
    match domain::consent::policy::acknowledge(&portal, session.customer_id, version).await {
        Ok(()) => go(&format!("{page}?e=policy_acknowledged")),
        Err(domain::Error::NotFound) => go(&format!("{page}?e=invalid")),
        Err(e) => go(&format!("{page}?e={}", outcome_code(&e))),
    }
    Ok(())
}
