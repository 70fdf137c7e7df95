use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::api::AppError;

/// One consent receipt as the customer downloads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptFile {
    pub receipt_id: String,
    pub purpose: String,
    pub purpose_version: i64,
    pub action: String,
    pub privacy_policy_version: i64,
    pub channel: String,
    /// RFC 3339, UTC.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptsFile {
    pub customer_reference: String,
    pub generated_at: String,
    pub receipts: Vec<ReceiptFile>,
}

/// The signed-in customer's consent receipts as a JSON file. A GET, so it is a plain link.
#[server(endpoint = "consent_receipts", input = GetUrl)]
pub async fn consent_receipts() -> Result<ReceiptsFile, AppError> {
    use crate::api::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    let receipts = domain::consent::ledger::history(&portal, session.customer_id).await.map_err(internal)?;
    let reference = domain::profile::public_id(&portal, session.customer_id).await.map_err(internal)?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
        res.insert_header(
            http::header::CONTENT_DISPOSITION,
            http::HeaderValue::from_static("attachment; filename=\"consent-receipts.json\""),
        );
    }
    Ok(ReceiptsFile {
        customer_reference: reference,
        generated_at: domain::locale::iso_utc(portal.now()),
        receipts: receipts
            .into_iter()
            .map(|r| ReceiptFile {
                receipt_id: r.receipt_id,
                purpose: r.purpose_key,
                purpose_version: r.purpose_version,
                action: r.action,
                privacy_policy_version: r.policy_version,
                channel: r.channel,
                at: domain::locale::iso_utc(r.at),
            })
            .collect(),
    })
}
