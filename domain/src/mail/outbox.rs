//! The outbox: mail written in the same transaction as the change it reports, so a change and
//! its mail exist together or not at all. Bodies are sealed while queued (they carry single-use
//! links) and erased once delivered.

use super::Mail;
use crate::store::Tx;
use crate::{Error, Portal, Result};

pub(crate) const SEAL_CONTEXT: &str = "outbox";
/// How long a worker may hold a claimed message before another may take it over (a worker that
/// died mid-send leaves its claim behind).
pub const LEASE_SECS: i64 = 120;
/// Retries back off from 5 s, doubling, to at most this; an outage of any length loses nothing.
pub const MAX_BACKOFF_SECS: i64 = 15 * 60;

/// Queues `mail` inside the caller's transaction. Call [`Portal::wake_mail`] after commit.
pub async fn enqueue(tx: &mut Tx, portal: &Portal, customer_id: Option<i64>, kind: &str, mail: &Mail) -> Result<()> {
    let plain = serde_json::to_vec(mail).map_err(|_| Error::Internal("mail encoding"))?;
    let sealed = portal.keys.seal(SEAL_CONTEXT, &plain)?;
    let now = portal.now();
    sqlx::query(
        "INSERT INTO outbox (customer_id, kind, content_enc, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(customer_id)
    .bind(kind)
    .bind(sealed)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub attempts: i64,
    pub mail: Mail,
}

/// Claims up to `limit` messages that are due. Safe with several workers on one database: the
/// claim re-checks its conditions on the row it updates, so two workers never take one message.
pub async fn claim_due(portal: &Portal, limit: i64) -> Result<Vec<Claimed>> {
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let rows: Vec<(i64, String, i64, Option<Vec<u8>>)> = sqlx::query_as(
        "UPDATE outbox SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
                      AND next_attempt_at <= $2 AND locked_until <= $2 ORDER BY id LIMIT $3) \
           AND sent_at IS NULL AND failed_at IS NULL AND locked_until <= $2 \
         RETURNING id, kind, attempts, content_enc",
    )
    .bind(now + LEASE_SECS)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for (id, kind, attempts, sealed) in rows {
        let mail = sealed
            .ok_or(Error::Internal("queued mail without content"))
            .and_then(|s| portal.keys.open(SEAL_CONTEXT, &s))
            .and_then(|p| serde_json::from_slice::<Mail>(&p).map_err(|_| Error::Internal("mail decoding")));
        match mail {
            Ok(mail) => claimed.push(Claimed { id, kind, attempts, mail }),
            Err(e) => {
                // Unreadable (e.g. sealed under another master key): set aside, never retried.
                tracing::error!(outbox_id = id, error = %e, "queued mail cannot be read");
                mark_failed(portal, id, attempts, true, "unreadable").await?;
            }
        }
    }
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

pub async fn mark_sent(portal: &Portal, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET sent_at = $1, content_enc = NULL, last_error = NULL, locked_until = 0 \
         WHERE id = $2",
    )
    .bind(portal.now())
    .bind(id)
    .execute(portal.store.pool())
    .await?;
    Ok(())
}

/// Schedules a retry, or sets the message aside for good when the server refused it outright.
/// `reason` is a fixed word, never the server's reply (which can quote addresses).
pub async fn mark_failed(portal: &Portal, id: i64, attempts: i64, permanent: bool, reason: &str) -> Result<()> {
    let now = portal.now();
    if permanent {
        sqlx::query(
            "UPDATE outbox SET failed_at = $1, content_enc = NULL, last_error = $2, locked_until = 0 \
             WHERE id = $3",
        )
        .bind(now)
        .bind(reason)
        .bind(id)
        .execute(portal.store.pool())
        .await?;
    } else {
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1, last_error = $2, locked_until = 0 WHERE id = $3",
        )
        .bind(now + backoff_secs(attempts))
        .bind(reason)
        .bind(id)
        .execute(portal.store.pool())
        .await?;
    }
    Ok(())
}

/// 5 s after the first failure, doubling, capped at [`MAX_BACKOFF_SECS`].
pub fn backoff_secs(attempts: i64) -> i64 {
    let exp = (attempts - 1).clamp(0, 20) as u32;
    (5i64 << exp).min(MAX_BACKOFF_SECS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

pub async fn counts(portal: &Portal) -> Result<Counts> {
    let (queued, sent, failed): (i64, i64, i64) = sqlx::query_as(
        "SELECT \
           COUNT(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 END), \
           COUNT(sent_at), COUNT(failed_at) \
         FROM outbox",
    )
    .fetch_one(portal.store.pool())
    .await?;
    Ok(Counts { queued, sent, failed })
}

#[cfg(test)]
mod tests {
    use super::backoff_secs;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_secs(1), 5);
        assert_eq!(backoff_secs(2), 10);
        assert_eq!(backoff_secs(5), 80);
        assert_eq!(backoff_secs(50), super::MAX_BACKOFF_SECS);
    }
}
