//! The export job, on every instance: claims queued exports (and builds whose lease lapsed
//! because their instance died), builds them, marks them ready with a mail in one transaction,
//! and deletes files past their week. A build cut off at any point is simply built again.

use crate::audit::{self, Actor, Entry};
use crate::mail::{self, messages, templates};
use crate::{Error, Lang, Portal, Result};

use super::package::{self, Progress};

/// Builds that failed this often are given up (and the customer may ask again).
const MAX_ATTEMPTS: i64 = 3;

/// Expires old files and builds every due export; returns how many became ready.
#[tracing::instrument(name = "export.run_due", skip_all)]
pub async fn run_due(portal: &Portal) -> Result<usize> {
    expire_due(portal).await?;
    let now = portal.now();
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM exports WHERE state = 'queued' OR (state = 'building' AND locked_until < $1) \
         ORDER BY requested_at LIMIT 10",
    )
    .bind(now)
    .fetch_all(portal.store.pool())
    .await?;
    let mut ready = 0;
    for (id,) in due {
        if let Some((claim, customer_id)) = claim(portal, id).await? {
            match build(portal, id, &claim, customer_id).await {
                Ok(true) => ready += 1,
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "export build failed; it is retried once its lease lapses"),
            }
        }
    }
    Ok(ready)
}

/// Takes an export for this instance; exactly one caller gets the claim token back.
async fn claim(portal: &Portal, id: i64) -> Result<Option<(String, i64)>> {
    let now = portal.now();
    let token = crate::keys::random_token();
    let mut tx = portal.store.begin().await?;
    let claimed = sqlx::query(
        "UPDATE exports SET state = 'building', stage = 'collecting', claim_token = $1, locked_until = $2, \
         started_at = COALESCE(started_at, $3), attempts = attempts + 1 \
         WHERE id = $4 AND (state = 'queued' OR (state = 'building' AND locked_until < $3))",
    )
    .bind(&token)
    .bind(now + portal.policy.export_lease_secs)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(None);
    }
    let (customer_id, attempts): (i64, i64) = sqlx::query_as("SELECT customer_id, attempts FROM exports WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if attempts > MAX_ATTEMPTS {
        sqlx::query("UPDATE exports SET state = 'failed', stage = 'failed', locked_until = 0 WHERE id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM export_parts WHERE export_id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        tracing::error!("an export failed {MAX_ATTEMPTS} times and was given up");
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some((token, customer_id)))
}

/// Builds a claimed export. False when the export went away or another instance took it over
/// meanwhile; its parts are then left to whoever holds it.
#[tracing::instrument(name = "export.build", skip_all)]
pub async fn build(portal: &Portal, id: i64, claim: &str, customer_id: i64) -> Result<bool> {
    let progress = Progress { portal, export_id: id, claim };
    let packed = match package::write(&progress, customer_id).await {
        Ok(p) => p,
        Err(Error::NotFound) => return Ok(false),
        Err(e) => return Err(e),
    };
    let now = portal.now();
    let expires_at = now + portal.policy.export_keep_secs;
    let mut tx = portal.store.begin().await?;
    let done = sqlx::query(
        "UPDATE exports SET state = 'ready', stage = 'ready', progress = 100, ready_at = $1, expires_at = $2, \
         size_bytes = $3, file_name = $4, locked_until = 0, claim_token = NULL \
         WHERE id = $5 AND state = 'building' AND claim_token = $6",
    )
    .bind(now)
    .bind(expires_at)
    .bind(packed.size)
    .bind(&packed.file_name)
    .bind(id)
    .bind(claim)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    let (requested_at, public_id): (i64, String) = sqlx::query_as("SELECT requested_at, public_id FROM exports WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let crate::vault::Person { email, full_name: name, preferred_language: lang, .. } =
        crate::vault::customer::existing_person(&mut *tx, portal, customer_id).await?;
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let url = format!("{}/export", portal.public_url);
    let message = messages::export_ready(lang, &name, requested_at, expires_at, &url);
    mail::enqueue(&mut tx, portal, Some(customer_id), "export_ready", &templates::render(&email, &message)?).await?;
    audit::record(
        &mut tx,
        now,
        Entry { actor: Actor::System, customer_id: Some(customer_id), action: "export.ready", detail: &public_id, ip: None },
    )
    .await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(true)
}

/// Deletes the files of exports past their date; the rows stay as the record of what was given.
pub async fn expire_due(portal: &Portal) -> Result<u64> {
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    sqlx::query("DELETE FROM export_parts WHERE export_id IN (SELECT id FROM exports WHERE state = 'ready' AND expires_at <= $1)")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let expired = sqlx::query("UPDATE exports SET state = 'expired', stage = 'expired' WHERE state = 'ready' AND expires_at <= $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(expired.rows_affected())
}

/// Runs [`run_due`] every `every` until aborted.
pub fn spawn(portal: Portal, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = run_due(&portal).await {
                tracing::error!(error = %e, "export job failed; next try on the next tick");
            }
        }
    })
}
