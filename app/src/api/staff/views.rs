//! What staff pages receive. Dates arrive formatted in the reader's language.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItemView {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub received: String,
    pub due: String,
    /// overdue, due_soon, on_track or closed.
    pub urgency: String,
    pub customer_ref: String,
    pub assignee: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMeView {
    pub pseudonym: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub me: StaffMeView,
    pub items: Vec<QueueItemView>,
}

/// One line of a request's timeline, for customers and staff alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub when: String,
    /// customer, staff or system.
    pub actor: String,
    /// For staff: (role, pseudonym).
    pub staff: Option<(String, String)>,
    pub kind: String,
    /// A status, a field, a mail kind, a rating or a formatted date, by kind.
    pub detail: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRequestView {
    pub me: StaffMeView,
    pub item: QueueItemView,
    pub explanation: String,
    pub extension_months: i64,
    pub may_extend: bool,
    /// A correction of a field, still open: staff may propose the corrected value.
    pub may_propose: bool,
    pub timeline: Vec<EventView>,
    pub rating: Option<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCardView {
    pub me: StaffMeView,
    pub public_id: String,
    /// (field key, masked value).
    pub fields: Vec<(String, String)>,
    /// The one field revealed on the previous request, shown on this render only.
    pub revealed: Option<(String, String)>,
    /// (id, kind, status, due).
    pub requests: Vec<(i64, String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertView {
    pub when: String,
    pub pseudonym: String,
    pub role: String,
    pub reads: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingView {
    pub kind: String,
    pub count: i64,
    /// "4.25".
    pub average: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OversightView {
    pub me: StaffMeView,
    pub alerts: Vec<AlertView>,
    pub ratings: Vec<RatingView>,
}

#[cfg(feature = "ssr")]
pub mod convert {
    use super::*;

    pub fn me(s: &domain::staff::Staff) -> StaffMeView {
        StaffMeView { pseudonym: s.pseudonym.clone(), role: s.role.as_str().to_string() }
    }

    pub fn item(lang: domain::Lang, i: domain::requests::queue::QueueItem) -> QueueItemView {
        QueueItemView {
            id: i.id,
            kind: i.kind,
            subject: i.subject,
            status: i.status,
            received: domain::locale::date(lang, i.received_at),
            due: domain::locale::date(lang, i.due_at),
            urgency: i.urgency.as_str().to_string(),
            customer_ref: i.customer_ref,
            assignee: i.assignee,
        }
    }

    pub fn event(lang: domain::Lang, e: domain::requests::timeline::Event) -> EventView {
        let detail = match e.kind.as_str() {
            "extended" => e.detail.parse::<i64>().map(|t| domain::locale::date(lang, t)).unwrap_or_default(),
            _ => e.detail,
        };
        EventView { when: domain::locale::date_time(lang, e.at), actor: e.actor, staff: e.staff, kind: e.kind, detail, body: e.body }
    }
}
