//! The access log: every staff read of a customer's personal data, with its reason. The
//! customer reads it on "Who accessed my data"; staff are shown there by role and pseudonym.

use super::Staff;
use crate::identity::RequestMeta;
use crate::store::Tx;
use crate::{Portal, Result};

/// What was read (or done). Stored as a short code; pages translate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read<'a> {
    /// The customer's record was opened (masked).
    Opened,
    /// One field was shown in full.
    Revealed(&'a str),
    /// A request showing the customer's data was viewed.
    Request(i64),
    /// Every session of the customer was ended (not a read, but the customer sees it here too).
    SessionsEnded,
}

impl Read<'_> {
    fn code(&self) -> String {
        match self {
            Read::Opened => "customer.opened".into(),
            Read::Revealed(field) => format!("revealed:{field}"),
            Read::Request(id) => format!("request.viewed:{id}"),
            Read::SessionsEnded => "sessions.ended".into(),
        }
    }

    /// Look-ups and reveals count towards the hourly alert; working one's own queue does not.
    fn counts_for_alert(&self) -> bool {
        !matches!(self, Read::Request(_) | Read::SessionsEnded)
    }
}

/// Records a read inside the caller's transaction, and raises an alert when this staff member
/// crosses the hourly threshold.
pub async fn record(tx: &mut Tx, portal: &Portal, staff: &Staff, customer_id: i64, read: Read<'_>, reason: &str, meta: &RequestMeta) -> Result<()> {
    let now = portal.now();
    sqlx::query("INSERT INTO access_log (at, staff_id, customer_id, what, reason, ip) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now)
        .bind(staff.id)
        .bind(customer_id)
        .bind(read.code())
        .bind(reason)
        .bind(&meta.ip)
        .execute(&mut **tx)
        .await?;
    if read.counts_for_alert() {
        super::alerts::check(tx, portal, staff).await?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct AccessRow {
    pub at: i64,
    pub role: String,
    pub pseudonym: String,
    /// `customer.opened`, `revealed:<field>`, `request.viewed:<id>` or `sessions.ended`.
    pub what: String,
    pub reason: String,
}

/// What the customer sees: who (by role and pseudonym) read what, when and why. Newest first.
pub async fn for_customer(portal: &Portal, customer_id: i64, limit: i64) -> Result<Vec<AccessRow>> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT a.at, s.role, s.pseudonym, a.what, a.reason FROM access_log a JOIN staff s ON s.id = a.staff_id \
         WHERE a.customer_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2",
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(portal.store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, role, pseudonym, what, reason)| AccessRow { at, role, pseudonym, what, reason })
        .collect())
}
