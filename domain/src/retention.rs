//! Retention: records older than their category's period are deleted or anonymised, in small
//! batches, each batch one short transaction with its audit row. Period and action come from the
//! data catalogue; which table holds a category's records is schema knowledge, kept here.
//!
//! Safe on several instances at once: each batch deletes with RETURNING and writes anonymised
//! remains only from the rows it actually deleted, so a row is never counted twice.

use crate::audit::{self, Actor, Entry};
use crate::{Portal, Result};

/// Categories whose records expire one by one: (category, table, time column).
const RECORDS: [(&str, &str, &str); 3] = [
    ("orders", "orders", "placed_at"),
    ("support", "support_tickets", "opened_at"),
    ("activity", "activity_events", "occurred_at"),
];

pub const BATCH: i64 = 500;
pub const JOB: &str = "retention";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    /// (category, action, rows) for every category that had expired rows.
    pub categories: Vec<(String, String, i64)>,
}

impl Swept {
    pub fn total(&self) -> i64 {
        self.categories.iter().map(|c| c.2).sum()
    }
}

/// The columns an anonymised remain keeps: facts that identify no one.
fn kept_columns(table: &str) -> &'static str {
    match table {
        "orders" => "status, CAST(total_cents AS TEXT), currency",
        "support_tickets" => "channel, status, ''",
        _ => "kind, '', ''",
    }
}

/// Runs one sweep over every record category now.
#[tracing::instrument(name = "retention.sweep", skip_all)]
pub async fn sweep(portal: &Portal) -> Result<Swept> {
    let policies: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT key, retention_days, retention_action FROM data_categories").fetch_all(portal.store.pool()).await?;
    let mut swept = Swept::default();
    for (category, table, column) in RECORDS {
        let Some((_, days, action)) = policies.iter().find(|(k, _, _)| k == category) else { continue };
        if *days <= 0 {
            continue; // kept while the account exists; erasure handles it
        }
        let cutoff = portal.now() - days * 86_400;
        let anonymise = action == "anonymise";
        let mut total = 0;
        loop {
            let n = batch(portal, category, table, column, cutoff, anonymise).await?;
            total += n;
            if n < BATCH {
                break;
            }
        }
        if total > 0 {
            swept.categories.push((category.to_string(), action.clone(), total));
        }
    }
    // What an erasure kept because a law required it goes when that law stops requiring it.
    let expired = sqlx::query("DELETE FROM retained_records WHERE retained_until <= $1").bind(portal.now()).execute(portal.store.pool()).await?;
    if expired.rows_affected() > 0 {
        swept.categories.push(("retained_after_erasure".into(), "delete".into(), expired.rows_affected() as i64));
    }
    tracing::info!(rows = swept.total(), "retention sweep done");
    Ok(swept)
}

async fn batch(portal: &Portal, category: &str, table: &str, column: &str, cutoff: i64, anonymise: bool) -> Result<i64> {
    let mut tx = portal.store.begin().await?;
    // `table`, `column` and the kept columns come from the constants above, never from input.
    let sql = format!(
        "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {column} < $1 ORDER BY id LIMIT {BATCH}) \
         RETURNING {column}, {}",
        kept_columns(table)
    );
    let gone: Vec<(i64, String, String, String)> = sqlx::query_as(&sql).bind(cutoff).fetch_all(&mut *tx).await?;
    if gone.is_empty() {
        return Ok(0);
    }
    if anonymise {
        for (at, a, b, c) in &gone {
            let attributes = [a, b, c].iter().filter(|s| !s.is_empty()).map(|s| s.as_str()).collect::<Vec<_>>().join(";");
            sqlx::query("INSERT INTO anonymised_records (category, month, attributes) VALUES ($1, $2, $3)")
                .bind(category)
                .bind(month(*at))
                .bind(attributes)
                .execute(&mut *tx)
                .await?;
        }
    }
    let detail = format!("{category}:{}:{}", if anonymise { "anonymised" } else { "deleted" }, gone.len());
    audit::record(&mut tx, portal.now(), Entry { actor: Actor::System, customer_id: None, action: "retention.swept", detail: &detail, ip: None }).await?;
    tx.commit().await?;
    Ok(gone.len() as i64)
}

/// "2019-06": the month is as precise as an anonymised remain gets.
fn month(unix: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!("{:04}-{:02}", t.year(), t.month() as u8),
        Err(_) => String::new(),
    }
}

/// The daily job: sweeps if no instance did in the last day. Returns None when another did.
pub async fn run_daily(portal: &Portal) -> Result<Option<Swept>> {
    if !crate::jobs::claim(portal, JOB, 86_400).await? {
        return Ok(None);
    }
    sweep(portal).await.map(Some)
}

/// Checks hourly whether the daily sweep is due.
pub fn spawn(portal: Portal) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = run_daily(&portal).await {
                tracing::error!(error = %e, "retention sweep failed; next try within the hour");
            }
        }
    })
}
