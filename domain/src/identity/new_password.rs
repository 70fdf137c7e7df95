//! The rules every password a customer chooses must meet, and storing it: one place for the
//! password change and the forgotten-password reset, so they cannot drift apart.

use super::{breached, guessable, password};
use crate::error::Problem;
use crate::store::Tx;
use crate::{Error, Portal, Result, vault};

/// Length, reported against the `new_password` field.
pub(crate) fn check_length(new: &str) -> Result<()> {
    password::check_policy(new).map_err(|e| match e {
        Error::Invalid { problem, .. } => Error::invalid("new_password", problem),
        other => other,
    })
}

/// Not common, not built on the customer's name or email, not in the breach corpus.
pub(crate) async fn check_not_guessable(portal: &Portal, new: &str, person: &vault::Person) -> Result<()> {
    if guessable::is_guessable(new, &[&person.full_name, &person.email]) {
        return Err(Error::invalid("new_password", Problem::Guessable));
    }
    if breached::is_breached(portal, new).await? {
        return Err(Error::invalid("new_password", Problem::Breached));
    }
    Ok(())
}

/// Replaces the stored hash, inside the caller's transaction.
pub(crate) async fn store(tx: &mut Tx, customer_id: i64, hash: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE customers SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
