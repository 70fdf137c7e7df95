//! The customer's own activity log ("Activity" on My data): what they did, from where. Written
//! inside the transaction of the act it records.

use crate::Result;
use crate::identity::RequestMeta;
use crate::store::Tx;

/// Records `kind` (with an optional `detail`, never personal data) for the customer.
pub(crate) async fn record(tx: &mut Tx, customer_id: i64, now: i64, kind: &str, detail: &str, meta: &RequestMeta) -> Result<()> {
    sqlx::query("INSERT INTO activity_events (customer_id, occurred_at, kind, detail, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(customer_id)
        .bind(now)
        .bind(kind)
        .bind(detail)
        .bind(&meta.ip)
        // A browser's self-description can be any length; the page shows a short one.
        .bind(meta.user_agent.chars().take(200).collect::<String>())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
