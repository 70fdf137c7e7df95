//! Failed attempts counted per account and per network address, with locks that grow with each
//! further failure. The account key is a keyed hash of the email, so unknown emails are throttled
//! exactly like known ones and the table holds no addresses in the clear.

use crate::{Error, Portal, Result};

pub struct Subjects {
    account: String,
    address: String,
}

impl Subjects {
    pub fn new(portal: &Portal, normalized_email: &str, ip: &str) -> Self {
        Subjects {
            account: format!("acct:{}", portal.keys.lookup_hash("throttle-account", normalized_email)),
            address: format!("addr:{}", portal.keys.lookup_hash("throttle-address", ip)),
        }
    }

    /// A short, non-reversible tag for logs.
    pub fn log_tag(&self) -> &str {
        &self.account[5..17]
    }
}

/// Refuses while either subject is locked.
pub async fn check(portal: &Portal, subjects: &Subjects) -> Result<()> {
    let now = portal.now();
    // MAX over no rows is one row holding NULL.
    let (locked,): (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(locked_until) FROM auth_throttle WHERE key IN ($1, $2) AND locked_until > $3",
    )
    .bind(&subjects.account)
    .bind(&subjects.address)
    .bind(now)
    .fetch_one(portal.store.pool())
    .await?;
    match locked {
        Some(until) if until > now => Err(Error::Throttled { retry_after: until - now }),
        _ => Ok(()),
    }
}

pub async fn record_failure(portal: &Portal, subjects: &Subjects) -> Result<()> {
    let p = &portal.policy;
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    for (key, threshold) in [
        (&subjects.account, p.account_failures_before_lock),
        (&subjects.address, p.address_failures_before_lock),
    ] {
        let (failures,): (i64,) = sqlx::query_as(
            "INSERT INTO auth_throttle (key, failures, last_failure_at, locked_until) \
             VALUES ($1, 1, $2, 0) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN auth_throttle.last_failure_at < $3 THEN 1 \
                               ELSE auth_throttle.failures + 1 END, \
               last_failure_at = $2 \
             RETURNING failures",
        )
        .bind(key)
        .bind(now)
        .bind(now - p.failure_window_secs)
        .fetch_one(&mut *tx)
        .await?;
        if failures >= threshold {
            let doublings = (failures - threshold).min(20) as u32;
            let lock = (p.lock_base_secs << doublings).min(p.lock_max_secs);
            sqlx::query("UPDATE auth_throttle SET locked_until = $1 WHERE key = $2")
                .bind(now + lock)
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A successful sign-in forgives the account's failures (not the address's).
pub async fn clear_account(portal: &Portal, subjects: &Subjects) -> Result<()> {
    sqlx::query("DELETE FROM auth_throttle WHERE key = $1")
        .bind(&subjects.account)
        .execute(portal.store.pool())
        .await?;
    Ok(())
}

/// Counts a reset ask from `ip` inside the caller's transaction, in windows of an hour that start
/// with the first ask; the seconds until the window ends once the hour's allowance is used up.
pub async fn count_reset_ask(tx: &mut crate::store::Tx, portal: &Portal, ip: &str) -> Result<Option<i64>> {
    let now = portal.now();
    let window_ended = now - 3_600;
    let key = format!("reset:{}", portal.keys.lookup_hash("throttle-address", ip));
    // last_failure_at holds the window's start here.
    let (asks, since): (i64, i64) = sqlx::query_as(
        "INSERT INTO auth_throttle (key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN auth_throttle.last_failure_at <= $3 THEN 1 ELSE auth_throttle.failures + 1 END, \
           last_failure_at = CASE WHEN auth_throttle.last_failure_at <= $3 THEN $2 ELSE auth_throttle.last_failure_at END \
         RETURNING failures, last_failure_at",
    )
    .bind(&key)
    .bind(now)
    .bind(window_ended)
    .fetch_one(&mut **tx)
    .await?;
    Ok((asks > portal.policy.reset_asks_per_address_per_hour).then(|| since + 3_600 - now))
}
