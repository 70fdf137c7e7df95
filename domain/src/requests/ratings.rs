//! How customers rated closed requests, per kind of request. DPOs only.

use crate::staff::Staff;
use crate::{Portal, Result};

#[derive(Debug, Clone)]
pub struct RatingSummary {
    pub kind: String,
    pub count: i64,
    /// Average in hundredths (4.25 is 425), so it travels and compares as an integer.
    pub average_hundredths: i64,
}

pub async fn summary(portal: &Portal, viewer: &Staff) -> Result<Vec<RatingSummary>> {
    viewer.require_dpo()?;
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(*), CAST(SUM(rating) AS BIGINT) FROM requests WHERE rating IS NOT NULL GROUP BY kind ORDER BY kind",
    )
    .fetch_all(portal.store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, count, sum)| RatingSummary { kind, count, average_hundredths: if count > 0 { sum * 100 / count } else { 0 } })
        .collect())
}
