//! Staff signing a customer out everywhere: for an account the customer reports as taken over,
//! or one the company sees misused (ASVS 7.4.5). Every session of the customer ends at once; the
//! reason is required and the customer reads it on "Who accessed my data", like a reveal.

use super::access::{self, Read};
use super::directory::{checked_reason, find_id};
use super::session::StaffSession;
use crate::audit::{self, Actor, Entry};
use crate::identity::RequestMeta;
use crate::{Portal, Result};

/// Ends every session of the customer with this reference or email; returns how many ended.
#[tracing::instrument(name = "staff.end_customer_sessions", skip_all)]
pub async fn end_all(portal: &Portal, session: &StaffSession, public_id: &str, reason: &str, meta: &RequestMeta) -> Result<u64> {
    let reason = checked_reason("end_reason", reason)?;
    let customer = find_id(portal, public_id).await?;
    let mut tx = portal.store.begin().await?;
    let ended = sqlx::query("DELETE FROM sessions WHERE customer_id = $1").bind(customer).execute(&mut *tx).await?.rows_affected();
    access::record(&mut tx, portal, &session.staff, customer, Read::SessionsEnded, reason, meta).await?;
    let detail = format!("by {}; ended:{ended}", session.staff.pseudonym);
    audit::record(
        &mut tx,
        portal.now(),
        Entry { actor: Actor::Staff, customer_id: Some(customer), action: "staff.customer_sessions_ended", detail: &detail, ip: Some(&meta.ip) },
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}
