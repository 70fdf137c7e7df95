//! What the customer's consent center shows, read on the caller's one connection: the page
//! needs four reads, and under load each wait for a pooled connection cost more than its query.

use crate::store::Connection;
use crate::{Lang, Result};

use super::{ledger, policy, purposes, PolicyVersion, PurposeState, Receipt};

pub struct Center {
    /// Every purpose with the customer's current choice, in catalogue order.
    pub purposes: Vec<PurposeState>,
    /// Their receipts, newest first.
    pub history: Vec<Receipt>,
    /// Privacy-policy versions published since they joined that they have not seen.
    pub unseen: Vec<PolicyVersion>,
    /// The version in force, which a new receipt will name.
    pub policy_version: i64,
}

pub async fn read(conn: &mut Connection, customer_id: i64, lang: Lang) -> Result<Center> {
    let purposes = purposes::load(&mut *conn, lang).await?;
    let history = ledger::history_on(&mut *conn, customer_id).await?;
    let unseen = policy::unseen(&mut *conn, customer_id, lang).await?;
    let policy_version = policy::current_version(&mut *conn).await?;
    Ok(Center { purposes: ledger::overview_from(purposes, &history), history, unseen, policy_version })
}
