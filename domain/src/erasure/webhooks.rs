//! Telling recipients that a customer was erased (Article 19 GDPR), through an outbox like the
//! mail's: queued in the erasure's transaction, delivered with retries and a capped backoff,
//! forever, until the recipient answers 2xx. The payload identifies the customer, so it is
//! sealed at rest and erased once delivered.
//!
//! Each call is a JSON POST with `X-Custodia-Event: customer.erased` and
//! `X-Custodia-Signature: sha256=<hex HMAC of the body>`, keyed from the master key (the
//! `webhook-secret` command prints the key recipients verify with).

use std::time::Duration;

use crate::mail::outbox::backoff_secs;
use crate::store::Tx;
use crate::{Error, Portal, Result};

const PAYLOAD_CONTEXT: &str = "webhook-payload";
/// How long one instance holds a delivery before another may retry it.
const LOCK_SECS: i64 = 60;

pub(crate) async fn enqueue(tx: &mut Tx, portal: &Portal, reference: &str, recipient: &str, url: &str, payload: &serde_json::Value) -> Result<()> {
    let sealed = portal.keys.seal(PAYLOAD_CONTEXT, payload.to_string().as_bytes())?;
    sqlx::query(
        "INSERT INTO webhook_deliveries (erasure_ref, recipient, url, payload_enc, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (erasure_ref, url) DO NOTHING",
    )
    .bind(reference)
    .bind(recipient)
    .bind(url)
    .bind(sealed)
    .bind(portal.now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The key recipients verify signatures with: HMAC-SHA256 of the body under it.
pub fn signing_secret(portal: &Portal) -> String {
    portal.keys.lookup_hash("webhook-signing-key", "v1")
}

pub fn signature(portal: &Portal, body: &str) -> String {
    use hmac::Mac;
    let mut mac = crate::keys::hmac_sha256(signing_secret(portal).as_bytes());
    mac.update(body.as_bytes());
    format!("sha256={}", crate::keys::hex(&mac.finalize().into_bytes()))
}

/// An HTTPS client (rustls, ring, Mozilla's roots); no redirects, a 10-second limit.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub erasure_ref: String,
    pub recipient: String,
    pub attempts: i64,
    pub delivered_at: Option<i64>,
    pub last_status: Option<i64>,
}

pub async fn list(portal: &Portal) -> Result<Vec<Delivery>> {
    let rows: Vec<(String, String, i64, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT erasure_ref, recipient, attempts, delivered_at, last_status FROM webhook_deliveries ORDER BY id")
            .fetch_all(portal.store.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(erasure_ref, recipient, attempts, delivered_at, last_status)| Delivery { erasure_ref, recipient, attempts, delivered_at, last_status })
        .collect())
}

/// Delivers every due call once; returns how many were accepted.
#[tracing::instrument(name = "erasure.webhooks", skip_all)]
pub async fn deliver_due(portal: &Portal, client: &reqwest::Client) -> Result<usize> {
    let now = portal.now();
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM webhook_deliveries WHERE delivered_at IS NULL AND next_attempt_at <= $1 AND locked_until < $1 ORDER BY id LIMIT 50",
    )
    .bind(now)
    .fetch_all(portal.store.pool())
    .await?;
    let mut delivered = 0;
    for (id,) in due {
        let claimed = sqlx::query(
            "UPDATE webhook_deliveries SET locked_until = $1, attempts = attempts + 1 \
             WHERE id = $2 AND delivered_at IS NULL AND locked_until < $3",
        )
        .bind(now + LOCK_SECS)
        .bind(id)
        .bind(now)
        .execute(portal.store.pool())
        .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let (url, sealed, attempts): (String, Option<Vec<u8>>, i64) =
            sqlx::query_as("SELECT url, payload_enc, attempts FROM webhook_deliveries WHERE id = $1")
                .bind(id)
                .fetch_one(portal.store.pool())
                .await?;
        let Some(sealed) = sealed else { continue };
        let body = String::from_utf8(portal.keys.open(PAYLOAD_CONTEXT, &sealed)?).map_err(|_| Error::Internal("webhook payload"))?;
        let sent = client
            .post(&url)
            .header("content-type", "application/json")
            .header("x-custodia-event", "customer.erased")
            .header("x-custodia-signature", signature(portal, &body))
            .body(body)
            .send()
            .await;
        // Only the status is kept: an error's text could carry the recipient's answer.
        let status = sent.as_ref().map(|r| i64::from(r.status().as_u16())).unwrap_or(0);
        let ok = (200..300).contains(&status);
        let later = portal.now();
        if ok {
            delivered += 1;
            sqlx::query("UPDATE webhook_deliveries SET delivered_at = $1, payload_enc = NULL, last_status = $2, locked_until = 0 WHERE id = $3")
                .bind(later)
                .bind(status)
                .bind(id)
                .execute(portal.store.pool())
                .await?;
        } else {
            tracing::warn!(status, attempts, "a recipient's webhook refused or failed; retrying later");
            sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = $1, last_status = $2, locked_until = 0 WHERE id = $3")
                .bind(later + backoff_secs(attempts))
                .bind(status)
                .bind(id)
                .execute(portal.store.pool())
                .await?;
        }
    }
    Ok(delivered)
}
