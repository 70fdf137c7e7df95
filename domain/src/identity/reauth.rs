//! Proving a factor again inside a session before acts that could lock the customer's other
//! devices out (ending sessions): a session is "recent" for 15 minutes after its sign-in or after
//! a fresh authenticator code, so a cookie stolen hours ago cannot sign the owner out everywhere.

use super::{RequestMeta, Session, Stage, step_up};
use crate::error::Problem;
use crate::{Error, Portal, Result};

pub const WINDOW_SECS: i64 = 15 * 60;

/// Whether a factor was proved in this session within the window.
pub fn is_recent(portal: &Portal, session: &Session) -> bool {
    portal.now() - session.authenticated_at <= WINDOW_SECS
}

/// `Invalid { field: "reauth", Required }` when the session is not recent: the page then asks
/// for a code and repeats the act.
pub fn require_recent(portal: &Portal, session: &Session) -> Result<()> {
    if is_recent(portal, session) { Ok(()) } else { Err(Error::invalid("reauth", Problem::Required)) }
}

/// Checks a fresh authenticator code (used up, and counted toward the lock when wrong) and marks
/// the session recent from now.
#[tracing::instrument(name = "identity.reauthenticate", skip_all)]
pub async fn confirm(portal: &Portal, session: &Session, code: &str, meta: &RequestMeta) -> Result<Session> {
    if session.stage != Stage::Full {
        return Err(Error::Unauthenticated);
    }
    let step = step_up::check(portal, session.customer_id, code, "re-authentication code", meta).await?;
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    if !step.consume(&mut tx).await? {
        tx.rollback().await?;
        return Err(step.refuse(portal, "re-authentication code", meta).await?);
    }
    sqlx::query("UPDATE sessions SET reauthenticated_at = $1 WHERE id_hash = $2").bind(now).bind(&session.id_hash).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Session { authenticated_at: now, ..session.clone() })
}
