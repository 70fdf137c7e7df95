use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::api::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsView {
    pub generated: String,
    pub controller: String,
    pub data_subjects: String,
    pub activities: Vec<ActivityView>,
    pub security_measures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    pub category: String,
    pub title: String,
    pub purpose: String,
    pub legal_basis: String,
    pub source: String,
    pub retention: String,
    pub retention_days: i64,
    /// (name, role, country).
    pub recipients: Vec<(String, String, String)>,
}

/// Records of processing (Article 30 GDPR) from the data catalogue. A GET, so the JSON can be
/// downloaded from a link. DPOs only.
#[server(endpoint = "records_of_processing", input = GetUrl)]
pub async fn records_of_processing() -> Result<RecordsView, AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    let session = require_staff(&portal).await?;
    let r = domain::records::generate(&portal, &session.staff).await.map_err(internal)?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
        res.insert_header(
            http::header::CONTENT_DISPOSITION,
            http::HeaderValue::from_static("inline; filename=\"records-of-processing.json\""),
        );
    }
    Ok(RecordsView {
        generated: domain::locale::date_time(lang(), r.generated_at),
        controller: r.controller,
        data_subjects: r.data_subjects,
        activities: r
            .activities
            .into_iter()
            .map(|a| ActivityView {
                category: a.category,
                title: a.title,
                purpose: a.purpose,
                legal_basis: a.legal_basis,
                source: a.source,
                retention: a.retention,
                retention_days: a.retention_days,
                recipients: a.recipients.into_iter().map(|r| (r.name, r.role, r.country)).collect(),
            })
            .collect(),
        security_measures: r.security_measures.into_iter().map(String::from).collect(),
    })
}
