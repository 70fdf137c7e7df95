use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    pub when: String,
    pub role: String,
    pub pseudonym: String,
    /// customer.opened, revealed:<field> or request.viewed:<id>.
    pub what: String,
    pub reason: String,
}

/// "Who accessed my data": every staff read of the signed-in customer's data, newest first.
#[server(endpoint = "access_log")]
pub async fn access_log() -> Result<Vec<AccessView>, AppError> {
    use super::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    let rows = domain::staff::access::for_customer(&portal, session.customer_id, 200).await.map_err(internal)?;
    let lang = lang();
    Ok(rows
        .into_iter()
        .map(|r| AccessView { when: domain::locale::date_time(lang, r.at), role: r.role, pseudonym: r.pseudonym, what: r.what, reason: r.reason })
        .collect())
}
