use serde::{Deserialize, Serialize};

use crate::api::staff::views::StaffMeView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentSummaryView {
    pub id: i64,
    pub discovered: String,
    pub what_happened: String,
    /// "overdue", "open" or "told" (the authority was notified).
    pub clock: String,
    /// Whole hours left (negative when late); None once told.
    pub hours_left: Option<i64>,
    pub customers_notified: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentsView {
    pub me: StaffMeView,
    pub incidents: Vec<IncidentSummaryView>,
    /// Catalogue categories (key, title) for the form.
    pub categories: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentView {
    pub me: StaffMeView,
    pub summary: IncidentSummaryView,
    pub deadline: String,
    pub recorded_by: String,
    pub categories: Vec<String>,
    pub approx_affected: i64,
    pub consequences: String,
    pub measures: String,
    pub authority_notified: Option<String>,
    /// The Article 33 draft: (heading, text).
    pub draft: Vec<(String, String)>,
    /// Customers a selection (from, to) would reach, when the page was asked for a preview.
    pub preview: Option<usize>,
}

/// A notice in the customer's portal until acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BannerView {
    pub notice_id: i64,
    pub notified: String,
    pub what_happened: String,
    pub consequences: String,
    pub measures: String,
}
