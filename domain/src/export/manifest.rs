//! `manifest.json`: what Article 15 GDPR says a copy must come with: the purposes, the
//! categories, the recipients, how long each is kept, where it came from, the customer's rights
//! (complaint to a supervisory authority included), and what the customer's consents and staff
//! reads of their data have been.

use serde_json::{Value, json};

use crate::catalogue::CategoryInfo;
use crate::consent::ledger::{PurposeState, State as Consent};
use crate::locale::iso_utc;

use super::rights::rights;
use super::snapshot::Snapshot;

/// Where each catalogue category's data is in the package.
pub fn place(category: &str) -> Option<(&'static str, &'static str)> {
    Some(match category {
        "profile" => ("profile", "profile.csv"),
        "contact" => ("contact", "contact.csv"),
        "addresses" => ("addresses", "addresses.csv"),
        "orders" => ("orders", "orders.csv"),
        "support" => ("support_tickets", "support_tickets.csv"),
        "preferences" => ("communication_preferences", "communication_preferences.csv"),
        "activity" => ("activity", "activity.csv"),
        "security" => ("security", "security.csv"),
        _ => return None,
    })
}

pub fn build(s: &Snapshot, categories: &[CategoryInfo], purposes: &[PurposeState], activity: i64, generated_at: i64, portal_url: &str) -> Value {
    let records = |key: &str| -> i64 {
        match key {
            "addresses" => s.addresses.len() as i64,
            "orders" => s.orders.len() as i64,
            "support" => s.support_tickets.len() as i64,
            "preferences" => s.communication_preferences.len() as i64,
            "activity" => activity,
            _ => 1,
        }
    };
    json!({
        "format": "custodia-manifest/1",
        "generated_at": iso_utc(generated_at),
        "customer_reference": s.customer_reference,
        "language": s.lang.code(),
        "privacy_portal": portal_url,
        "categories": categories.iter().map(|c| json!({
            "key": c.key,
            "title": c.texts.title,
            "purpose": c.texts.purpose,
            "legal_basis": c.texts.legal_basis,
            "retention": c.texts.retention,
            "retention_days": c.retention_days,
            "source": c.texts.source,
            "recipients": c.recipients.iter().map(|r| json!({ "name": r.name, "role": r.role, "country": r.country })).collect::<Vec<_>>(),
            "kept_after_erasure": c.on_erasure.as_ref().map(|e| json!({ "days": e.keep_days, "ground": c.texts.erasure_ground })),
            "records": records(&c.key),
            "in_data_json": place(&c.key).map(|p| format!("/{}", p.0)),
            "csv": place(&c.key).map(|p| p.1),
        })).collect::<Vec<_>>(),
        "consent_purposes": purposes.iter().map(|p| json!({
            "key": p.purpose.key,
            "title": p.purpose.title,
            "description": p.purpose.description,
            "legal_basis": p.purpose.legal_basis,
            "recipients": p.purpose.recipients.iter().map(|r| json!({ "name": r.name, "role": r.role, "country": r.country })).collect::<Vec<_>>(),
            "state": match p.state {
                Consent::Off => json!({ "given": false }),
                Consent::On { since } => json!({ "given": true, "since": iso_utc(since) }),
                Consent::AskedAgain { given_at } => json!({ "given": false, "asked_again": true, "given_to_earlier_wording_at": iso_utc(given_at) }),
            },
        })).collect::<Vec<_>>(),
        "automated_decision_making": "none",
        "rights": rights(s.lang).iter().map(|r| json!({ "article": r.article, "title": r.title, "text": r.text })).collect::<Vec<_>>(),
        "consent_history": s.consent_history,
        "staff_access": s.staff_access,
        "files": {
            "data.json": "everything held about you, machine-readable",
            "schema.json": "JSON Schema (draft 2020-12) describing data.json",
            "manifest.json": "this file",
            "index.html": "the same, readable in any browser, offline",
            "*.csv": "one table per category, for spreadsheets",
        },
    })
}
