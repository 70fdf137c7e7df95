//! Records of processing activities (Article 30 GDPR), generated from the data catalogue so they
//! cannot drift from what customers are shown. DPOs download them as JSON or read them as a page.

use serde::Serialize;

use crate::staff::Staff;
use crate::{Lang, Portal, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Records {
    pub generated_at: i64,
    pub controller: String,
    /// Article 30(1)(c): whose data.
    pub data_subjects: String,
    pub activities: Vec<Activity>,
    /// Article 30(1)(g): a general description of the security measures.
    pub security_measures: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub category: String,
    pub title: String,
    pub purpose: String,
    pub legal_basis: String,
    pub source: String,
    pub retention: String,
    pub retention_days: i64,
    pub recipients: Vec<crate::catalogue::Recipient>,
}

/// What Custodia itself does to protect the data; each line is backed by code and tests.
const SECURITY: [&str; 8] = [
    "Customers and staff sign in with a password (Argon2id) and a time-based code; staff sessions end after 15 idle minutes.",
    "Every change of personal data is confirmed by a single-use emailed link and an authenticator code, and audited.",
    "Staff see personal data masked; revealing a field needs a reason and is shown to the customer.",
    "Every staff read of a customer's data is logged and listed for that customer.",
    "Customers' names, emails, phones, dates of birth and addresses are encrypted at rest (AES-256-GCM) under a key per customer, wrapped by a master key held outside the database; erasure destroys the key. Authenticator secrets, queued mail and exports are encrypted too.",
    "Session cookies are HttpOnly and SameSite=Strict; pages carry a strict Content-Security-Policy.",
    "Cross-site form posts are refused; failed sign-ins are throttled per account and per address.",
    "Expired records are deleted or anonymised daily according to each category's retention period.",
];

pub async fn generate(portal: &Portal, viewer: &Staff) -> Result<Records> {
    viewer.require_dpo()?;
    let categories = crate::catalogue::load(portal, Lang::En).await?;
    Ok(Records {
        generated_at: portal.now(),
        controller: portal.public_url.to_string(),
        data_subjects: "Customers holding an account with the company".into(),
        activities: categories
            .into_iter()
            .map(|c| Activity {
                category: c.key,
                title: c.texts.title,
                purpose: c.texts.purpose,
                legal_basis: c.texts.legal_basis,
                source: c.texts.source,
                retention: c.texts.retention,
                retention_days: c.retention_days,
                recipients: c.recipients,
            })
            .collect(),
        security_measures: SECURITY.to_vec(),
    })
}
