//! Unusual reading: more look-ups and reveals by one staff member in an hour than the policy
//! allows raises an alert DPOs see in the console. One alert per member per hour.

use super::Staff;
use crate::store::Tx;
use crate::{Portal, Result};

pub(crate) async fn check(tx: &mut Tx, portal: &Portal, staff: &Staff) -> Result<()> {
    let now = portal.now();
    let hour_ago = now - 3600;
    let (reads,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM access_log WHERE staff_id = $1 AND at > $2 AND what NOT LIKE 'request.viewed:%'",
    )
    .bind(staff.id)
    .bind(hour_ago)
    .fetch_one(&mut **tx)
    .await?;
    if reads <= portal.policy.staff_reads_per_hour_alert {
        return Ok(());
    }
    let (recent,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff_alerts WHERE staff_id = $1 AND at > $2")
        .bind(staff.id)
        .bind(hour_ago)
        .fetch_one(&mut **tx)
        .await?;
    if recent == 0 {
        tracing::warn!(staff = %staff.pseudonym, reads, "staff access alert raised");
        sqlx::query("INSERT INTO staff_alerts (at, staff_id, reads) VALUES ($1, $2, $3)")
            .bind(now)
            .bind(staff.id)
            .bind(reads)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Alert {
    pub at: i64,
    pub pseudonym: String,
    pub role: String,
    pub reads: i64,
}

/// The last 30 days of alerts, newest first. DPOs only.
pub async fn recent(portal: &Portal, viewer: &Staff) -> Result<Vec<Alert>> {
    viewer.require_dpo()?;
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT a.at, s.pseudonym, s.role, a.reads FROM staff_alerts a JOIN staff s ON s.id = a.staff_id \
         WHERE a.at > $1 ORDER BY a.at DESC, a.id DESC LIMIT 100",
    )
    .bind(portal.now() - 30 * 86_400)
    .fetch_all(portal.store.pool())
    .await?;
    Ok(rows.into_iter().map(|(at, pseudonym, role, reads)| Alert { at, pseudonym, role, reads }).collect())
}
