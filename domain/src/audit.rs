//! The audit trail: who did what to whose data, when and from where. Never values of secrets.
//!
//! The trail is a hash chain. Each row stores the hash of the row before it (`prev_hash`) and its
//! own (`hash`, SHA-256 over the previous hash, its id, time, actor, action and detail), and
//! `audit_head` holds the newest link. Appends take the head row in their transaction, so they
//! form one line even across instances on PostgreSQL. [`verify`] recomputes the chain and names
//! the first row that was altered, or the first place a row went missing. The chain covers what
//! happened, not whom it concerned: erasure clears `customer_id` and `ip` and the chain holds.
//! The database refuses every other update, and every delete (migration 0008).

use sha2::{Digest, Sha256};

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

/// One link: JSON of the fields, so no two different rows can hash the same text.
fn link_hash(prev: &str, id: i64, at: i64, actor: &str, action: &str, detail: &str) -> String {
    let text = serde_json::json!([prev, id, at, actor, action, detail]).to_string();
    crate::keys::hex(&Sha256::digest(text.as_bytes()))
}

/// Writes inside the caller's transaction, so the entry exists exactly when the change does.
pub async fn record(tx: &mut Tx, at: i64, entry: Entry<'_>) -> Result<()> {
    // Taking the head first queues concurrent appends (a row lock on PostgreSQL; SQLite's
    // write lock already does), so each links to the one committed before it.
    let (prev,): (String,) = sqlx::query_as("UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING last_hash")
        .fetch_one(&mut **tx)
        .await?;
    let actor = entry.actor.as_str();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO audit_log (at, actor, customer_id, action, detail, ip, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, '') RETURNING id",
    )
    .bind(at)
    .bind(actor)
    .bind(entry.customer_id)
    .bind(entry.action)
    .bind(entry.detail)
    .bind(entry.ip)
    .bind(&prev)
    .fetch_one(&mut **tx)
    .await?;
    let hash = link_hash(&prev, id, at, actor, entry.action, entry.detail);
    sqlx::query("UPDATE audit_log SET hash = $1 WHERE id = $2").bind(&hash).bind(id).execute(&mut **tx).await?;
    sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1").bind(id).bind(&hash).execute(&mut **tx).await?;
    Ok(())
}

/// For events that change nothing else (a failed sign-in), in a transaction of their own.
pub async fn record_alone(portal: &Portal, entry: Entry<'_>) -> Result<()> {
    let mut tx = portal.store.begin().await?;
    record(&mut tx, portal.now(), entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Chains rows written before the chain existed (an upgraded install), oldest first. Runs at
/// start-up, before anything new is appended.
pub async fn chain_unchained(portal: &Portal) -> Result<u64> {
    let mut chained = 0;
    loop {
        let mut tx = portal.store.begin().await?;
        let (prev,): (String,) = sqlx::query_as("UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING last_hash")
            .fetch_one(&mut *tx)
            .await?;
        let rows: Vec<(i64, i64, String, String, String)> =
            sqlx::query_as("SELECT id, at, actor, action, detail FROM audit_log WHERE hash = '' ORDER BY id LIMIT 1000")
                .fetch_all(&mut *tx)
                .await?;
        if rows.is_empty() {
            tx.rollback().await?;
            return Ok(chained);
        }
        let mut prev = prev;
        let mut last = 0;
        for (id, at, actor, action, detail) in rows {
            let hash = link_hash(&prev, id, at, &actor, &action, &detail);
            sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3").bind(&prev).bind(&hash).bind(id).execute(&mut *tx).await?;
            prev = hash;
            last = id;
            chained += 1;
        }
        sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1").bind(last).bind(&prev).execute(&mut *tx).await?;
        tx.commit().await?;
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Intact { rows: i64 },
    /// This row's content no longer matches its hash.
    Altered { id: i64 },
    /// This row does not link to the row before it: something between them was removed (or
    /// altered and re-hashed).
    Broken { id: i64 },
    /// The newest rows are gone: the chain ends before the head says it does.
    TailMissing { after: i64 },
    /// A row that was never chained.
    Unchained { id: i64 },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Intact { rows } => write!(f, "the audit log is intact: {rows} rows, every link checked"),
            Finding::Altered { id } => write!(f, "row {id} was altered: its content no longer matches its hash"),
            Finding::Broken { id } => write!(f, "row {id} does not follow the row before it: a row before it is missing or was rewritten"),
            Finding::TailMissing { after } => write!(f, "rows after {after} are missing: the chain ends before its recorded head"),
            Finding::Unchained { id } => write!(f, "row {id} was never chained"),
        }
    }
}

/// Recomputes the whole chain, oldest first, in pages; stops at the first problem.
pub async fn verify(portal: &Portal) -> Result<Finding> {
    let mut prev = String::new();
    let mut after = 0;
    let mut rows = 0;
    loop {
        let page: Vec<(i64, i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, at, actor, action, detail, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000",
        )
        .bind(after)
        .fetch_all(portal.store.pool())
        .await?;
        if page.is_empty() {
            break;
        }
        for (id, at, actor, action, detail, prev_hash, hash) in page {
            if hash.is_empty() {
                return Ok(Finding::Unchained { id });
            }
            if prev_hash != prev {
                return Ok(Finding::Broken { id });
            }
            if link_hash(&prev_hash, id, at, &actor, &action, &detail) != hash {
                return Ok(Finding::Altered { id });
            }
            prev = hash;
            after = id;
            rows += 1;
        }
    }
    let (head,): (String,) = sqlx::query_as("SELECT last_hash FROM audit_head WHERE id = 1").fetch_one(portal.store.pool()).await?;
    if head != prev {
        return Ok(Finding::TailMissing { after });
    }
    Ok(Finding::Intact { rows })
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
