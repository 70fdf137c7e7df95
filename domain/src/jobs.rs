//! Periodic jobs shared by several instances: whoever claims a run first does it; the others see
//! the claim and skip until the next period.

use crate::{Portal, Result};

/// Claims the run of `name` if none started within `period_secs`; true when this caller won.
pub async fn claim(portal: &Portal, name: &str, period_secs: i64) -> Result<bool> {
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    // Insert-or-update in one statement, conditional on the last start being old enough, so two
    // instances racing cannot both win.
    let won: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO job_runs (name, started_at) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET started_at = $2 WHERE job_runs.started_at <= $3 \
         RETURNING started_at",
    )
    .bind(name)
    .bind(now)
    .bind(now - period_secs)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(won.is_some())
}
