//! Telling affected customers: the DPO picks them by category and time range of the data, sees
//! how many that is, and notifies them. Each gets one mail (what Article 34 requires) and a
//! banner in the portal until they acknowledge it. Notifying again reaches only those not yet told.

use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::mail::{self, messages, templates};
use crate::staff::StaffSession;
use crate::{Error, Lang, Portal, Result};

/// Where each category's data lives and when a record of it was made.
fn source(category: &str) -> (&'static str, &'static str) {
    match category {
        "orders" => ("orders", "placed_at"),
        "support" => ("support_tickets", "opened_at"),
        "activity" => ("activity_events", "occurred_at"),
        "addresses" => ("addresses", "created_at"),
        // Account data (profile, contact, preferences, security): held while the account is.
        _ => ("customers", "created_at"),
    }
}

/// The customers holding data of any of the incident's categories recorded in [from, to].
async fn affected(portal: &Portal, categories: &[String], from: i64, to: i64) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for category in categories {
        let (table, column) = source(category);
        let id_column = if table == "customers" { "id" } else { "customer_id" };
        // Account data exists from the account's creation onwards, so it overlaps the range
        // whenever the account was made before its end.
        let condition = if table == "customers" { format!("{column} <= $2 AND $1 = $1") } else { format!("{column} >= $1 AND {column} <= $2") };
        let rows: Vec<(i64,)> = sqlx::query_as(&format!("SELECT DISTINCT {id_column} FROM {table} WHERE {condition}"))
            .bind(from)
            .bind(to)
            .fetch_all(portal.store.pool())
            .await?;
        ids.extend(rows.into_iter().map(|(id,)| id));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

fn check_range(from: i64, to: i64) -> Result<()> {
    if from <= 0 {
        return Err(Error::invalid("from", Problem::Required));
    }
    if to <= 0 {
        return Err(Error::invalid("to", Problem::Required));
    }
    if to < from {
        return Err(Error::invalid("to", Problem::Malformed));
    }
    Ok(())
}

/// How many customers a selection reaches, before anyone is told.
pub async fn preview(portal: &Portal, session: &StaffSession, incident_id: i64, from: i64, to: i64) -> Result<usize> {
    let incident = super::get(portal, session, incident_id).await?;
    check_range(from, to)?;
    Ok(affected(portal, &incident.categories, from, to).await?.len())
}

/// Notifies every affected customer not told yet; returns how many were told now. One
/// transaction: either all of this selection is told (mail queued, banner set, audited) or none.
#[tracing::instrument(name = "incidents.notify", skip_all)]
pub async fn notify(portal: &Portal, session: &StaffSession, incident_id: i64, from: i64, to: i64, ip: &str) -> Result<usize> {
    let incident = super::get(portal, session, incident_id).await?;
    check_range(from, to)?;
    let ids = affected(portal, &incident.categories, from, to).await?;
    let now = portal.now();
    let contact = format!("{}/requests/new?subject=privacy", portal.public_url);
    let mut told = 0;
    let mut tx = portal.store.begin().await?;
    for customer_id in ids {
        let inserted = sqlx::query(
            "INSERT INTO incident_notices (incident_id, customer_id, notified_at) VALUES ($1, $2, $3) \
             ON CONFLICT (incident_id, customer_id) DO NOTHING",
        )
        .bind(incident_id)
        .bind(customer_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            continue;
        }
        let crate::vault::Person { email, full_name: name, preferred_language: lang, .. } =
            crate::vault::customer::existing_person(&mut *tx, portal, customer_id).await?;
        let lang = Lang::from_code(&lang).unwrap_or_default();
        let message = messages::incident_notice(lang, &name, &incident.what_happened, &incident.consequences, &incident.measures, &contact);
        mail::enqueue(&mut tx, portal, Some(customer_id), "incident_notice", &templates::render(&email, &message)?).await?;
        let detail = format!("incident:{incident_id}");
        audit::record(&mut tx, now, Entry { actor: Actor::Staff, customer_id: Some(customer_id), action: "incidents.customer_notified", detail: &detail, ip: Some(ip) }).await?;
        told += 1;
    }
    let detail = format!("{}:incident:{incident_id}:{told}", session.staff.pseudonym);
    audit::record(&mut tx, now, Entry { actor: Actor::Staff, customer_id: None, action: "incidents.notified", detail: &detail, ip: Some(ip) }).await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(told)
}

/// What a notified customer's banner says.
#[derive(Debug, Clone)]
pub struct Banner {
    pub notice_id: i64,
    pub notified_at: i64,
    pub what_happened: String,
    pub consequences: String,
    pub measures: String,
}

/// The customer's unacknowledged notices, oldest first.
pub async fn banners<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(exec: E, customer_id: i64) -> Result<Vec<Banner>> {
    let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT n.id, n.notified_at, i.what_happened, i.consequences, i.measures FROM incident_notices n \
         JOIN incidents i ON i.id = n.incident_id WHERE n.customer_id = $1 AND n.acknowledged_at IS NULL ORDER BY n.id",
    )
    .bind(customer_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(notice_id, notified_at, what_happened, consequences, measures)| Banner { notice_id, notified_at, what_happened, consequences, measures })
        .collect())
}

/// The customer has read the notice; its banner goes. Another customer's notice is NotFound.
pub async fn acknowledge(portal: &Portal, customer_id: i64, notice_id: i64, ip: &str) -> Result<()> {
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let done = sqlx::query("UPDATE incident_notices SET acknowledged_at = $1 WHERE id = $2 AND customer_id = $3 AND acknowledged_at IS NULL")
        .bind(now)
        .bind(notice_id)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(Error::NotFound);
    }
    let detail = format!("notice:{notice_id}");
    audit::record(&mut tx, now, Entry { actor: Actor::Customer, customer_id: Some(customer_id), action: "incidents.acknowledged", detail: &detail, ip: Some(ip) }).await?;
    tx.commit().await?;
    Ok(())
}
