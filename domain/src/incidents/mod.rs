//! Personal-data breaches: the DPO records what happened, watches the 72-hour clock for telling
//! the supervisory authority (Article 33 GDPR), and tells affected customers (Article 34) by mail
//! and by a banner in their portal until they acknowledge it. Every step is audited.

pub mod draft;
pub mod notify;

use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::requests::clean_text;
use crate::staff::StaffSession;
use crate::{Error, Portal, Result};

/// Hours the law allows between discovering a breach and telling the authority.
pub const AUTHORITY_DEADLINE_SECS: i64 = 72 * 3600;
pub const MAX_TEXT: usize = 4000;

#[derive(Debug, Clone, Default)]
pub struct NewIncident {
    /// When it was discovered (Unix seconds, UTC).
    pub discovered_at: i64,
    pub what_happened: String,
    /// Keys of the data catalogue's categories.
    pub categories: Vec<String>,
    pub approx_affected: i64,
    pub consequences: String,
    pub measures: String,
}

#[derive(Debug, Clone)]
pub struct Incident {
    pub id: i64,
    pub recorded_at: i64,
    pub recorded_by: String,
    pub discovered_at: i64,
    pub what_happened: String,
    pub categories: Vec<String>,
    pub approx_affected: i64,
    pub consequences: String,
    pub measures: String,
    pub authority_notified_at: Option<i64>,
    /// discovered_at + 72 hours.
    pub authority_deadline: i64,
    pub customers_notified: i64,
}

impl Incident {
    /// Seconds left to tell the authority; negative when late; None once told.
    pub fn seconds_left(&self, now: i64) -> Option<i64> {
        self.authority_notified_at.is_none().then(|| self.authority_deadline - now)
    }
}

/// Records an incident. DPOs only.
#[tracing::instrument(name = "incidents.record", skip_all)]
pub async fn record(portal: &Portal, session: &StaffSession, new: &NewIncident, ip: &str) -> Result<i64> {
    session.staff.require_dpo()?;
    let now = portal.now();
    if new.discovered_at <= 0 {
        return Err(Error::invalid("discovered_at", Problem::Required));
    }
    if new.discovered_at > now + 300 {
        return Err(Error::invalid("discovered_at", Problem::Malformed));
    }
    let what = clean_text("what_happened", &new.what_happened, 10, MAX_TEXT)?;
    let consequences = clean_text("consequences", &new.consequences, 10, MAX_TEXT)?;
    let measures = clean_text("measures", &new.measures, 10, MAX_TEXT)?;
    if !(0..=1_000_000_000).contains(&new.approx_affected) {
        return Err(Error::invalid("approx_affected", Problem::Malformed));
    }
    let known: Vec<(String,)> = sqlx::query_as("SELECT key FROM data_categories").fetch_all(portal.store.pool()).await?;
    if new.categories.is_empty() {
        return Err(Error::invalid("categories", Problem::Required));
    }
    if !new.categories.iter().all(|c| known.iter().any(|(k,)| k == c)) {
        return Err(Error::invalid("categories", Problem::Malformed));
    }
    let mut categories = new.categories.clone();
    categories.sort();
    categories.dedup();

    let mut tx = portal.store.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO incidents (recorded_at, recorded_by, discovered_at, what_happened, categories, approx_affected, consequences, measures) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(now)
    .bind(session.staff.id)
    .bind(new.discovered_at)
    .bind(&what)
    .bind(categories.join(","))
    .bind(new.approx_affected)
    .bind(&consequences)
    .bind(&measures)
    .fetch_one(&mut *tx)
    .await?;
    let detail = format!("{}:incident:{id}", session.staff.pseudonym);
    audit::record(&mut tx, now, Entry { actor: Actor::Staff, customer_id: None, action: "incidents.recorded", detail: &detail, ip: Some(ip) }).await?;
    tx.commit().await?;
    Ok(id)
}

type Row = (i64, i64, String, i64, String, String, i64, String, String, Option<i64>, i64);

const SELECT: &str = "SELECT i.id, i.recorded_at, s.pseudonym, i.discovered_at, i.what_happened, i.categories, i.approx_affected, \
     i.consequences, i.measures, i.authority_notified_at, \
     (SELECT COUNT(*) FROM incident_notices n WHERE n.incident_id = i.id) \
     FROM incidents i JOIN staff s ON s.id = i.recorded_by";

fn incident(r: Row) -> Incident {
    Incident {
        id: r.0,
        recorded_at: r.1,
        recorded_by: r.2,
        discovered_at: r.3,
        what_happened: r.4,
        categories: r.5.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
        approx_affected: r.6,
        consequences: r.7,
        measures: r.8,
        authority_notified_at: r.9,
        authority_deadline: r.3 + AUTHORITY_DEADLINE_SECS,
        customers_notified: r.10,
    }
}

/// Every incident, newest first. DPOs only.
pub async fn list(portal: &Portal, session: &StaffSession) -> Result<Vec<Incident>> {
    session.staff.require_dpo()?;
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY i.discovered_at DESC, i.id DESC")).fetch_all(portal.store.pool()).await?;
    Ok(rows.into_iter().map(incident).collect())
}

pub async fn get(portal: &Portal, session: &StaffSession, id: i64) -> Result<Incident> {
    session.staff.require_dpo()?;
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE i.id = $1")).bind(id).fetch_optional(portal.store.pool()).await?;
    row.map(incident).ok_or(Error::NotFound)
}

/// Notes that the supervisory authority was told (once).
pub async fn authority_notified(portal: &Portal, session: &StaffSession, id: i64, ip: &str) -> Result<()> {
    session.staff.require_dpo()?;
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let done = sqlx::query("UPDATE incidents SET authority_notified_at = $1 WHERE id = $2 AND authority_notified_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(Error::NotFound);
    }
    let detail = format!("{}:incident:{id}", session.staff.pseudonym);
    audit::record(&mut tx, now, Entry { actor: Actor::Staff, customer_id: None, action: "incidents.authority_notified", detail: &detail, ip: Some(ip) }).await?;
    tx.commit().await?;
    Ok(())
}
