use serde::{Deserialize, Serialize};

use crate::api::my_data::RecipientView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    pub purposes: Vec<PurposeView>,
    pub history: Vec<ReceiptView>,
    /// Policy versions published since the customer last looked; shown as a summary banner.
    pub unseen: Vec<PolicyNoticeView>,
    pub policy_version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeView {
    pub key: String,
    pub title: String,
    pub description: String,
    pub legal_basis: String,
    pub recipients: Vec<RecipientView>,
    /// "off", "on" or "asked_again".
    pub state: String,
    /// When it was given, for "on" and "asked_again".
    pub since: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub receipt_id: String,
    pub purpose: String,
    pub action: String,
    pub policy_version: i64,
    pub channel: String,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyNoticeView {
    pub version: i64,
    pub published: String,
    pub summary: String,
    /// Titles of the purposes asked for again.
    pub reworded: Vec<String>,
}
