//! The audit trail: who did what to whose data, when and from where. Never values of secrets.

use crate::store::Tx;
use crate::{Portal, Result};

/// Who acted.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    Customer,
    /// A member of staff; the entry's detail names them by pseudonym, never by email.
    Staff,
    System,
}

impl Actor {
    fn as_str(self) -> &'static str {
        match self {
            Actor::Customer => "customer",
            Actor::Staff => "staff",
            Actor::System => "system",
        }
    }
}

pub struct Entry<'a> {
    pub actor: Actor,
    pub customer_id: Option<i64>,
    pub action: &'a str,
    pub detail: &'a str,
    pub ip: Option<&'a str>,
}

/// Writes inside the caller's transaction, so the entry exists exactly when the change does.
pub async fn record(tx: &mut Tx, at: i64, entry: Entry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, customer_id, action, detail, ip) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(entry.actor.as_str())
    .bind(entry.customer_id)
    .bind(entry.action)
    .bind(entry.detail)
    .bind(entry.ip)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// For events that change nothing else (a failed sign-in), in a transaction of their own.
pub async fn record_alone(portal: &Portal, entry: Entry<'_>) -> Result<()> {
    let mut tx = portal.store.begin().await?;
    record(&mut tx, portal.now(), entry).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// The customer's own trail, newest first.
pub async fn for_customer(portal: &Portal, customer_id: i64, limit: i64) -> Result<Vec<AuditRow>> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT at, actor, action, detail FROM audit_log WHERE customer_id = $1 \
         ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(portal.store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, detail)| AuditRow { at, actor, action, detail })
        .collect())
}
