//! Undoing an email change from the previous address: the way back after an account takeover.
//! The link alone suffices (whoever changed the address may hold the authenticator too); it
//! restores the address and ends every session.

use crate::audit::{self, Actor, Entry};
use crate::error::LinkProblem;
use crate::identity::RequestMeta;
use crate::keys::token_hash;
use crate::mail::{self, messages, templates};
use crate::{Error, Portal, Result, vault};

#[derive(Debug, Clone)]
pub struct RevertPreview {
    pub old_email: String,
    pub new_email: String,
}

struct Row {
    id: i64,
    customer_id: i64,
    old_email: String,
    new_email: String,
}

async fn usable(portal: &Portal, token: &str) -> Result<Row> {
    if !crate::keys::is_token_shape(token) {
        return Err(Error::Link(LinkProblem::Unknown));
    }
    let row: Option<(i64, i64, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, customer_id, old_email, new_email, expires_at, used_at FROM email_reverts \
         WHERE token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(portal.store.pool())
    .await?;
    let (id, customer_id, old_email, new_email, expires_at, used_at) =
        row.ok_or(Error::Link(LinkProblem::Unknown))?;
    let key = vault::customer::key(portal.store.pool(), portal, customer_id).await?;
    let old_email = key.open("email_reverts.old_email", &old_email)?;
    let new_email = key.open("email_reverts.new_email", &new_email)?;
    if used_at.is_some() {
        return Err(Error::Link(LinkProblem::Used));
    }
    if expires_at <= portal.now() {
        return Err(Error::Link(LinkProblem::Expired));
    }
    Ok(Row { id, customer_id, old_email, new_email })
}

/// Reads only.
pub async fn revert_preview(portal: &Portal, token: &str) -> Result<RevertPreview> {
    let row = usable(portal, token).await?;
    Ok(RevertPreview { old_email: row.old_email, new_email: row.new_email })
}

#[tracing::instrument(name = "verification.revert_email", skip_all)]
pub async fn revert_email(portal: &Portal, token: &str, meta: &RequestMeta) -> Result<()> {
    let row = usable(portal, token).await?;
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let claimed = sqlx::query("UPDATE email_reverts SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(Error::Link(LinkProblem::Used));
    }
    if let Err(e) = vault::customer::set_email(&mut *tx, portal, row.customer_id, &row.old_email, now).await {
        // Someone registered the old address meanwhile; nothing sensible to restore to.
        return Err(if e.is_unique_violation() { Error::Link(LinkProblem::Altered) } else { e });
    }
    sqlx::query("DELETE FROM sessions WHERE customer_id = $1")
        .bind(row.customer_id)
        .execute(&mut *tx)
        .await?;
    // Open requests were made by whoever changed the address.
    sqlx::query("UPDATE pending_changes SET status = 'cancelled', resolved_at = $1 WHERE customer_id = $2 AND status = 'pending'")
        .bind(now)
        .bind(row.customer_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        now,
        Entry {
            actor: Actor::Customer,
            customer_id: Some(row.customer_id),
            action: "verification.email_reverted",
            detail: "email",
            ip: Some(&meta.ip),
        },
    )
    .await?;
    let person = vault::customer::existing_person(&mut *tx, portal, row.customer_id).await?;
    let message = messages::email_restored(person.lang(), &person.full_name);
    mail::enqueue(&mut tx, portal, Some(row.customer_id), "email_restored", &templates::render(&row.old_email, &message)?).await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(())
}
