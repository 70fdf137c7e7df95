use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureView {
    pub categories: Vec<FateView>,
    /// Names of everyone who will be told to erase what they received.
    pub recipients: Vec<String>,
    pub grace_days: i64,
    pub scheduled: Option<ScheduledView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FateView {
    pub key: String,
    pub title: String,
    pub erased: i64,
    pub kept: i64,
    pub kept_until: Option<String>,
    pub ground: String,
}

/// A confirmed erasure waiting for its date; "My data" shows it with a one-click cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledView {
    pub reference: String,
    pub date: String,
    /// Unix seconds: when it happens, and the server's "now" the page was rendered at.
    pub due_at: i64,
    pub now: i64,
}
