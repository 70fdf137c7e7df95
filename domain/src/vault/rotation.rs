//! Rotating the master key: every key it wraps (the portal's and each customer's) is unwrapped
//! with the previous master and wrapped again with the current one, a batch per transaction.
//! The portal keeps running throughout: its instances hold both masters while the rotation
//! runs (CUSTODIA_PREVIOUS_MASTER_KEY), and every row says which master wrapped it. A rotation
//! cut off half-way is finished by running it again.

use crate::{Error, Portal, Result};

const BATCH: i64 = 500;

/// How many keys each master wraps now, current first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub current: String,
    pub by_master: Vec<(String, i64)>,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "current master key: {}", self.current)?;
        for (id, n) in &self.by_master {
            let note = if *id == self.current { "" } else { " (to re-wrap)" };
            writeln!(f, "  {id}: {n} keys{note}")?;
        }
        Ok(())
    }
}

pub async fn status(portal: &Portal) -> Result<Status> {
    let current = portal.keys.masters().current_id().to_string();
    let mut by_master: Vec<(String, i64)> = sqlx::query_as(
        "SELECT master_id, COUNT(*) FROM (SELECT master_id FROM customer_keys UNION ALL SELECT master_id FROM key_ring) k \
         GROUP BY master_id ORDER BY master_id",
    )
    .fetch_all(portal.store.pool())
    .await?;
    by_master.sort_by_key(|(id, _)| *id != current);
    Ok(Status { current, by_master })
}

/// Re-wraps every key not yet under the current master; returns how many it re-wrapped.
#[tracing::instrument(name = "vault.rotate", skip_all, fields(rewrapped))]
pub async fn rotate(portal: &Portal) -> Result<u64> {
    let masters = portal.keys.masters();
    let current = masters.current_id().to_string();
    let mut done = 0u64;

    let ring: Vec<(String, Vec<u8>, String)> = sqlx::query_as("SELECT name, wrapped, master_id FROM key_ring WHERE master_id <> $1")
        .bind(&current)
        .fetch_all(portal.store.pool())
        .await?;
    for (name, wrapped, master_id) in ring {
        let context = format!("key-ring:{name}");
        let key = masters.unwrap(&context, &wrapped, &master_id)?;
        let (wrapped, id) = masters.wrap(&context, &key)?;
        let updated = sqlx::query("UPDATE key_ring SET wrapped = $1, master_id = $2, wrapped_at = $3 WHERE name = $4 AND master_id = $5")
            .bind(wrapped)
            .bind(id)
            .bind(portal.now())
            .bind(name)
            .bind(master_id)
            .execute(portal.store.pool())
            .await?;
        done += updated.rows_affected();
    }

    loop {
        let batch: Vec<(i64, Vec<u8>, String)> = sqlx::query_as(
            "SELECT customer_id, wrapped, master_id FROM customer_keys WHERE master_id <> $1 ORDER BY customer_id LIMIT $2",
        )
        .bind(&current)
        .bind(BATCH)
        .fetch_all(portal.store.pool())
        .await?;
        if batch.is_empty() {
            break;
        }
        let mut tx = portal.store.begin().await?;
        let now = portal.now();
        for (customer_id, wrapped, master_id) in &batch {
            let context = format!("customer-key:{customer_id}");
            let key = masters.unwrap(&context, wrapped, master_id).map_err(|_| {
                Error::Crypto("a customer key is wrapped by a master key this process does not hold; give it as CUSTODIA_PREVIOUS_MASTER_KEY")
            })?;
            let (wrapped, id) = masters.wrap(&context, &key)?;
            // Only if still as read: another rotation running at the same time did it already.
            let updated = sqlx::query(
                "UPDATE customer_keys SET wrapped = $1, master_id = $2, wrapped_at = $3 WHERE customer_id = $4 AND master_id = $5",
            )
            .bind(wrapped)
            .bind(id)
            .bind(now)
            .bind(customer_id)
            .bind(master_id)
            .execute(&mut *tx)
            .await?;
            done += updated.rows_affected();
        }
        tx.commit().await?;
    }
    tracing::Span::current().record("rewrapped", done);
    Ok(done)
}
