//! The erasure job. Each step can be repeated: a crash at any point leaves either a finished
//! erasure or one the next run picks up where it stopped.
//!
//! 1. prepare (one transaction): the receipt mail is written and sealed, and the recipients'
//!    webhook calls queued, while the data they describe still exists;
//! 2. bulk rows (activity) are deleted in committed batches, so a customer with a million rows
//!    never holds a long write lock;
//! 3. finish (one transaction): records a law makes us keep are copied, stripped, to
//!    `retained_records`; audit entries lose their link and address; the customer row goes and
//!    every table that hangs off it with it; the consent ledger follows; the receipt is queued;
//!    the erasure becomes a tombstone.

use sqlx::Row;

use crate::audit::{self, Actor, Entry};
use crate::catalogue::{self, CategoryInfo};
use crate::mail::{self, Mail, messages, templates};
use crate::{Error, Lang, Portal, Result};

use super::{preview, webhooks};

const RECEIPT_CONTEXT: &str = "erasure-receipt";
/// Rows per committed batch of bulk deletion.
pub const BATCH: i64 = 10_000;
/// How long a claimed erasure is ours before another instance may take it over.
const LOCK_SECS: i64 = 15 * 60;

/// Sends due reminders and carries out every due erasure; returns how many finished.
#[tracing::instrument(name = "erasure.run_due", skip_all)]
pub async fn run_due(portal: &Portal) -> Result<usize> {
    remind_due(portal).await?;
    let now = portal.now();
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM erasures WHERE (state = 'scheduled' AND due_at <= $1) OR (state = 'erasing' AND locked_until < $1) \
         ORDER BY due_at LIMIT 20",
    )
    .bind(now)
    .fetch_all(portal.store.pool())
    .await?;
    let mut done = 0;
    for (id,) in due {
        if claim(portal, id).await? {
            execute(portal, id, None).await?;
            done += 1;
        }
    }
    Ok(done)
}

/// Takes an erasure for this instance: exactly one instance gets past this statement.
pub async fn claim(portal: &Portal, id: i64) -> Result<bool> {
    let now = portal.now();
    let claimed = sqlx::query(
        "UPDATE erasures SET state = 'erasing', started_at = COALESCE(started_at, $1), locked_until = $2 \
         WHERE id = $3 AND ((state = 'scheduled' AND due_at <= $1) OR (state = 'erasing' AND locked_until < $1))",
    )
    .bind(now)
    .bind(now + LOCK_SECS)
    .bind(id)
    .execute(portal.store.pool())
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Carries out a claimed erasure. `max_batches` stops after that many bulk batches, as a crash
/// would (tests use it; the job passes `None`).
#[tracing::instrument(name = "erasure.execute", skip_all)]
pub async fn execute(portal: &Portal, id: i64, max_batches: Option<usize>) -> Result<()> {
    let row: Option<(String, Option<i64>, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT reference, customer_id, receipt_enc FROM erasures WHERE id = $1 AND state = 'erasing'")
            .bind(id)
            .fetch_optional(portal.store.pool())
            .await?;
    let Some((reference, Some(customer_id), receipt)) = row else { return Ok(()) };
    if receipt.is_none() {
        prepare(portal, id, &reference, customer_id).await?;
    }
    let mut batches = 0;
    loop {
        if max_batches.is_some_and(|m| batches >= m) {
            return Ok(());
        }
        // No ORDER BY: the customer index hands out the next batch without sorting what is left.
        let deleted = sqlx::query(
            "DELETE FROM activity_events WHERE id IN \
             (SELECT id FROM activity_events WHERE customer_id = $1 LIMIT $2)",
        )
        .bind(customer_id)
        .bind(BATCH)
        .execute(portal.store.pool())
        .await?;
        batches += 1;
        if deleted.rows_affected() == 0 {
            break;
        }
    }
    finish(portal, id, &reference, customer_id).await
}

async fn prepare(portal: &Portal, id: i64, reference: &str, customer_id: i64) -> Result<()> {
    let now = portal.now();
    let (public_id,): (String,) =
        sqlx::query_as("SELECT public_id FROM customers WHERE id = $1").bind(customer_id).fetch_one(portal.store.pool()).await?;
    let crate::vault::Person { email, full_name: name, preferred_language: lang, .. } =
        crate::vault::customer::existing_person(portal.store.pool(), portal, customer_id).await?;
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let p = preview(portal, customer_id, lang).await?;
    let erased: Vec<String> = p.categories.iter().filter(|c| c.erased > 0).map(|c| c.title.clone()).collect();
    let kept: Vec<(String, i64, String)> = p
        .categories
        .iter()
        .filter(|c| c.kept > 0)
        .map(|c| (format!("{} ({})", c.title, c.kept), c.kept_until.unwrap_or(now), c.ground.clone()))
        .collect();
    let names: Vec<String> = p.recipients.iter().map(|r| r.name.clone()).collect();
    let mail = templates::render(&email, &messages::erasure_done(lang, &name, reference, now, &erased, &kept, &names))?;
    let plain = serde_json::to_vec(&mail).map_err(|_| Error::Internal("receipt"))?;
    let sealed = portal.keys.seal(RECEIPT_CONTEXT, &plain)?;
    let summary = serde_json::json!(p
        .categories
        .iter()
        .map(|c| (c.key.clone(), serde_json::json!({ "erased": c.erased, "kept": c.kept })))
        .collect::<serde_json::Map<_, _>>())
    .to_string();
    let categories: Vec<String> = p.categories.iter().map(|c| c.key.clone()).collect();

    let mut tx = portal.store.begin().await?;
    for r in &p.recipients {
        if let Some(url) = &r.webhook {
            let payload = serde_json::json!({
                "event": "customer.erased",
                "erasure_reference": reference,
                "customer_reference": public_id,
                "customer_email": email,
                "categories": categories,
                "erased_at": crate::locale::iso_utc(now),
            });
            webhooks::enqueue(&mut tx, portal, reference, &r.name, url, &payload).await?;
        }
    }
    sqlx::query("UPDATE erasures SET receipt_enc = $1, summary = $2 WHERE id = $3 AND receipt_enc IS NULL")
        .bind(sealed)
        .bind(summary)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn finish(portal: &Portal, id: i64, reference: &str, customer_id: i64) -> Result<()> {
    let now = portal.now();
    let catalogue = catalogue::load(portal, Lang::En).await?;
    let mut tx = portal.store.begin().await?;
    let row: Option<(Option<Vec<u8>>,)> = sqlx::query_as("SELECT receipt_enc FROM erasures WHERE id = $1 AND state = 'erasing'")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((Some(sealed),)) = row else {
        return Ok(()); // finished by someone else meanwhile
    };
    for c in &catalogue {
        retain(&mut tx, reference, customer_id, c, now).await?;
    }
    // Mail not yet sent to this customer would outlive them; the receipt below replaces it.
    sqlx::query("DELETE FROM outbox WHERE customer_id = $1 AND sent_at IS NULL").bind(customer_id).execute(&mut *tx).await?;
    sqlx::query("UPDATE audit_log SET customer_id = NULL, ip = NULL WHERE customer_id = $1").bind(customer_id).execute(&mut *tx).await?;
    // The customer's key first, said outright: with it goes every copy of their sealed fields,
    // including those in backups and replicas (the cascade below would remove it too).
    sqlx::query("DELETE FROM customer_keys WHERE customer_id = $1").bind(customer_id).execute(&mut *tx).await?;
    // Every table holding the customer's rows references customers with ON DELETE CASCADE.
    sqlx::query("DELETE FROM customers WHERE id = $1").bind(customer_id).execute(&mut *tx).await?;
    // The ledger allows deletion only once the account is gone (migration 0006).
    sqlx::query("DELETE FROM consent_receipts WHERE customer_id = $1").bind(customer_id).execute(&mut *tx).await?;
    let plain = portal.keys.open(RECEIPT_CONTEXT, &sealed)?;
    let mail: Mail = serde_json::from_slice(&plain).map_err(|_| Error::Internal("receipt"))?;
    mail::enqueue(&mut tx, portal, None, "erasure_done", &mail).await?;
    sqlx::query(
        "UPDATE erasures SET state = 'done', customer_id = NULL, receipt_enc = NULL, completed_at = $1, locked_until = 0 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::record(&mut tx, now, Entry { actor: Actor::System, customer_id: None, action: "erasure.completed", detail: reference, ip: None }).await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(())
}

/// Copies the records of `category` a law makes us keep, stripped to the fields the catalogue
/// names, into `retained_records`, each until its own date plus the kept period.
async fn retain(tx: &mut crate::store::Tx, reference: &str, customer_id: i64, category: &CategoryInfo, now: i64) -> Result<()> {
    let (Some(rule), Some((table, date))) = (&category.on_erasure, super::table_of(&category.key)) else {
        return Ok(());
    };
    if !rule.keep_fields.iter().all(|f| super::is_identifier(f)) {
        return Err(Error::Internal("catalogue names a field that is not a column name"));
    }
    let keep = rule.keep_days * 86_400;
    let columns = if rule.keep_fields.is_empty() { String::new() } else { format!(", {}", rule.keep_fields.join(", ")) };
    let rows = sqlx::query(&format!("SELECT {date}{columns} FROM {table} WHERE customer_id = $1 AND {date} + $2 > $3"))
        .bind(customer_id)
        .bind(keep)
        .bind(now)
        .fetch_all(&mut **tx)
        .await?;
    for row in rows {
        let dated: i64 = row.try_get(0)?;
        let mut record = serde_json::Map::new();
        for (i, field) in rule.keep_fields.iter().enumerate() {
            let value = match row.try_get::<Option<String>, _>(i + 1) {
                Ok(v) => serde_json::json!(v),
                Err(_) => serde_json::json!(row.try_get::<Option<i64>, _>(i + 1)?),
            };
            record.insert(field.clone(), value);
        }
        sqlx::query("INSERT INTO retained_records (erasure_ref, category, record, retained_until) VALUES ($1, $2, $3, $4)")
            .bind(reference)
            .bind(&category.key)
            .bind(serde_json::Value::Object(record).to_string())
            .bind(dated + keep)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The reminder, once, `erasure_reminder_secs` before the date.
async fn remind_due(portal: &Portal) -> Result<()> {
    let now = portal.now();
    let due: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT e.id, e.customer_id, e.due_at FROM erasures e \
         WHERE e.state = 'scheduled' AND e.reminded_at IS NULL AND e.due_at - $1 <= $2 AND e.due_at > $2",
    )
    .bind(portal.policy.erasure_reminder_secs)
    .bind(now)
    .fetch_all(portal.store.pool())
    .await?;
    for (id, customer_id, due_at) in due {
        let mut tx = portal.store.begin().await?;
        let crate::vault::Person { email, full_name: name, preferred_language: lang, .. } =
            crate::vault::customer::existing_person(&mut *tx, portal, customer_id).await?;
        let claimed = sqlx::query("UPDATE erasures SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL AND state = 'scheduled'")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() == 1 {
            let lang = Lang::from_code(&lang).unwrap_or_default();
            let url = format!("{}/my-data#erasure", portal.public_url);
            let message = messages::erasure_scheduled(lang, &name, due_at, &url, true);
            // Tied to the customer, so an erasure that follows before it is sent withdraws it.
            mail::enqueue(&mut tx, portal, Some(customer_id), "erasure_reminder", &templates::render(&email, &message)?).await?;
        }
        tx.commit().await?;
    }
    portal.wake_mail();
    Ok(())
}

/// Runs due erasures and webhook deliveries every `every`.
pub fn spawn(portal: Portal, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = webhooks::client();
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = run_due(&portal).await {
                tracing::error!(error = %e, "erasure job failed; next try on the next tick");
            }
            if let Err(e) = webhooks::deliver_due(&portal, &client).await {
                tracing::error!(error = %e, "webhook delivery failed; next try on the next tick");
            }
        }
    })
}
