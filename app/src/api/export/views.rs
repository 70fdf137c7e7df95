use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportPageView {
    pub latest: Option<ExportView>,
    /// May a new export be asked for now?
    pub can_ask: bool,
    /// When the once-a-day limit ends, formatted, if it holds now.
    pub next_allowed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportView {
    pub public_id: String,
    /// "queued", "building", "ready", "expired" or "failed".
    pub state: String,
    pub stage: String,
    pub progress: i64,
    pub requested: String,
    pub ready: Option<String>,
    pub expires: Option<String>,
    pub size: Option<String>,
}

/// What the progress bar polls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressView {
    pub state: String,
    pub stage: String,
    pub progress: i64,
}
