//! Erasure: "delete my account and my data". A preview says what goes and what the law makes us
//! keep (from the data catalogue); the request is confirmed like any change (emailed link plus
//! a TOTP code); a grace period follows in which one click cancels; then the erasure job deletes
//! or strips every row, tells the recipients through webhooks (Article 19 GDPR) and sends a
//! receipt. What remains is a tombstone with a reference and counts, nothing that identifies.

pub mod job;
pub mod preview;
pub mod webhooks;

use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::identity::RequestMeta;
use crate::mail::{self, messages, templates};
use crate::store::Tx;
use crate::verification::{self, Field, NewValue, field::ERASE};
use crate::{Error, Lang, Portal, Result};

pub use preview::{CategoryFate, Preview, preview};

/// An erasure confirmed and waiting for its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub reference: String,
    pub due_at: i64,
}

/// Where a category's records live and the date each is counted from; `None`: account data in
/// the customer's own row.
pub(crate) fn table_of(category: &str) -> Option<(&'static str, &'static str)> {
    Some(match category {
        "orders" => ("orders", "placed_at"),
        "support" => ("support_tickets", "opened_at"),
        "activity" => ("activity_events", "occurred_at"),
        "addresses" => ("addresses", "created_at"),
        "preferences" => ("communication_preferences", "updated_at"),
        _ => return None,
    })
}

/// Column names come from the catalogue file; only plain identifiers reach SQL.
pub(crate) fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.len() <= 63 && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
}

/// Step one: mails the confirmation link, as for any change. Refused while one is scheduled.
pub async fn request(portal: &Portal, customer_id: i64, meta: &RequestMeta) -> Result<i64> {
    if scheduled(portal.store.pool(), customer_id).await?.is_some() {
        return Err(Error::invalid("erasure", Problem::Unchanged));
    }
    verification::request_change(portal, customer_id, Field::Erasure, NewValue::Text(ERASE.into()), meta).await
}

/// The customer's scheduled erasure, if any.
pub async fn scheduled<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(exec: E, customer_id: i64) -> Result<Option<Scheduled>> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT reference, due_at FROM erasures WHERE customer_id = $1 AND state = 'scheduled'")
            .bind(customer_id)
            .fetch_optional(exec)
            .await?;
    Ok(row.map(|(reference, due_at)| Scheduled { reference, due_at }))
}

/// Called by the confirmation of an erasure request, inside its transaction.
pub(crate) async fn schedule(tx: &mut Tx, portal: &Portal, customer_id: i64, email: &str, name: &str, lang: Lang) -> Result<()> {
    let now = portal.now();
    let due_at = now + portal.policy.erasure_grace_secs;
    let reference = format!("ER-{}", &crate::keys::random_token()[..12]);
    let inserted = sqlx::query(
        "INSERT INTO erasures (reference, customer_id, state, confirmed_at, due_at) VALUES ($1, $2, 'scheduled', $3, $4)",
    )
    .bind(&reference)
    .bind(customer_id)
    .bind(now)
    .bind(due_at)
    .execute(&mut **tx)
    .await;
    if let Err(e) = inserted {
        let e = Error::from(e);
        // One open erasure per customer (a unique index): a second confirmation changes nothing.
        return Err(if e.is_unique_violation() { Error::invalid("erasure", Problem::Unchanged) } else { e });
    }
    let url = format!("{}/my-data#erasure", portal.public_url);
    let message = messages::erasure_scheduled(lang, name, due_at, &url, false);
    mail::enqueue(tx, portal, Some(customer_id), "erasure_scheduled", &templates::render(email, &message)?).await
}

/// One click during the grace period: the erasure will not happen.
#[tracing::instrument(name = "erasure.cancel", skip_all)]
pub async fn cancel(portal: &Portal, customer_id: i64, ip: &str) -> Result<()> {
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let done = sqlx::query("UPDATE erasures SET state = 'cancelled', cancelled_at = $1 WHERE customer_id = $2 AND state = 'scheduled'")
        .bind(now)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(Error::NotFound);
    }
    let crate::vault::Person { email, full_name: name, preferred_language: lang, .. } =
            crate::vault::customer::existing_person(&mut *tx, portal, customer_id).await?;
    let lang = Lang::from_code(&lang).unwrap_or_default();
    mail::enqueue(&mut tx, portal, Some(customer_id), "erasure_cancelled", &templates::render(&email, &messages::erasure_cancelled(lang, &name))?).await?;
    audit::record(&mut tx, now, Entry { actor: Actor::Customer, customer_id: Some(customer_id), action: "erasure.cancelled", detail: "", ip: Some(ip) }).await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(())
}
