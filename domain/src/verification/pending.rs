//! Open requests as "My data" lists them, each with a cancel button.

use super::field::{self, Field};
use crate::audit::{self, Actor, Entry};
use sqlx::{Any, Executor};

use crate::{Error, Portal, Result, vault};

#[derive(Debug, Clone)]
pub struct PendingChange {
    pub id: i64,
    pub field: Field,
    pub new_value: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The customer's changes still waiting for confirmation, oldest first. One query, the
/// customer's wrapped key beside each row, so a page can run it on the connection it reads with.
pub async fn pending_for<'c, E: Executor<'c, Database = Any>>(exec: E, portal: &Portal, customer_id: i64) -> Result<Vec<PendingChange>> {
    let rows: Vec<(i64, String, Option<i64>, String, i64, i64, Vec<u8>, String)> = sqlx::query_as(
        "SELECT p.id, p.field, p.target_id, p.new_value, p.created_at, p.expires_at, k.wrapped, k.master_id \
         FROM pending_changes p JOIN customer_keys k ON k.customer_id = p.customer_id \
         WHERE p.customer_id = $1 AND p.status = 'pending' AND p.expires_at > $2 ORDER BY p.id",
    )
    .bind(customer_id)
    .bind(portal.now())
    .fetch_all(exec)
    .await?;
    let Some((.., wrapped, master_id)) = rows.first() else {
        return Ok(Vec::new());
    };
    let key = vault::customer::unwrap(portal, customer_id, wrapped, master_id)?;
    let mut pending = Vec::with_capacity(rows.len());
    for (id, field_key, target, sealed, created_at, expires_at, ..) in rows {
        let Some(field) = Field::parse(&field_key, target) else { continue };
        let value = key.open("pending_changes.new_value", &sealed)?;
        pending.push(PendingChange { id, new_value: field::display(&field, &value), field, created_at, expires_at });
    }
    Ok(pending)
}

/// Cancels one of the customer's own pending changes; its link stops working at once.
#[tracing::instrument(name = "verification.cancel", skip_all)]
pub async fn cancel(portal: &Portal, customer_id: i64, id: i64, ip: &str) -> Result<()> {
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let done: Option<(String,)> = sqlx::query_as(
        "UPDATE pending_changes SET status = 'cancelled', resolved_at = $1 \
         WHERE id = $2 AND customer_id = $3 AND status = 'pending' RETURNING field",
    )
    .bind(now)
    .bind(id)
    .bind(customer_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (field,) = done.ok_or(Error::NotFound)?;
    audit::record(
        &mut tx,
        now,
        Entry {
            actor: Actor::Customer,
            customer_id: Some(customer_id),
            action: "verification.cancelled",
            detail: &field,
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
