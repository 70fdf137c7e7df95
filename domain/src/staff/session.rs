//! Staff sessions: the same shape as customers' (random cookie, only its hash stored) in a table
//! of their own, with a shorter idle timeout.

use super::{Role, Staff};
use crate::identity::RequestMeta;
use crate::keys::{random_token, token_hash};
use crate::store::Tx;
use crate::{Portal, Result};

#[derive(Debug, Clone)]
pub struct StaffSession {
    pub id_hash: String,
    pub staff: Staff,
}

/// The cookie value and when it stops working.
#[derive(Debug, Clone)]
pub struct NewStaffSession {
    pub token: String,
    pub expires_at: i64,
}

pub(crate) async fn create(tx: &mut Tx, portal: &Portal, staff_id: i64, meta: &RequestMeta) -> Result<NewStaffSession> {
    let now = portal.now();
    let token = random_token();
    let expires_at = now + portal.policy.staff_absolute_secs;
    sqlx::query(
        "INSERT INTO staff_sessions (id_hash, staff_id, created_at, last_seen_at, absolute_expires_at, ip, user_agent) \
         VALUES ($1, $2, $3, $3, $4, $5, $6)",
    )
    .bind(token_hash(&token))
    .bind(staff_id)
    .bind(now)
    .bind(expires_at)
    .bind(&meta.ip)
    .bind(meta.user_agent.chars().take(200).collect::<String>())
    .execute(&mut **tx)
    .await?;
    Ok(NewStaffSession { token, expires_at })
}

/// The live staff session behind a cookie value. Idle for longer than the policy allows, past
/// its absolute end, or belonging to a disabled account: gone.
#[tracing::instrument(name = "staff.session", skip_all)]
pub async fn resolve(portal: &Portal, token: &str) -> Result<Option<StaffSession>> {
    if !crate::keys::is_token_shape(token) {
        return Ok(None);
    }
    let id_hash = token_hash(token);
    let row: Option<(i64, String, String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT s.id, s.pseudonym, s.role, ss.last_seen_at, ss.absolute_expires_at, s.disabled_at \
         FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id WHERE ss.id_hash = $1",
    )
    .bind(&id_hash)
    .fetch_optional(portal.store.pool())
    .await?;
    let Some((id, pseudonym, role, last_seen_at, absolute_expires_at, disabled_at)) = row else {
        return Ok(None);
    };
    let now = portal.now();
    let role = Role::parse(&role);
    if now - last_seen_at > portal.policy.staff_idle_secs || now >= absolute_expires_at || disabled_at.is_some() || role.is_none() {
        sqlx::query("DELETE FROM staff_sessions WHERE id_hash = $1").bind(&id_hash).execute(portal.store.pool()).await?;
        return Ok(None);
    }
    // Every request counts as activity; staff pages are few and the timeout is short.
    if now > last_seen_at {
        sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&id_hash)
            .execute(portal.store.pool())
            .await?;
    }
    let role = role.unwrap_or(Role::Agent);
    Ok(Some(StaffSession { id_hash, staff: Staff { id, pseudonym, role } }))
}

/// Keeps a revealed value for the next page this session renders, sealed to the session:
/// the value never travels in a URL, and it is shown once.
pub(crate) async fn put_reveal(portal: &Portal, id_hash: &str, text: &str) -> Result<()> {
    let sealed = portal.keys.seal(&format!("staff-reveal:{id_hash}"), text.as_bytes())?;
    sqlx::query("UPDATE staff_sessions SET reveal_enc = $1 WHERE id_hash = $2")
        .bind(sealed)
        .bind(id_hash)
        .execute(portal.store.pool())
        .await?;
    Ok(())
}

pub async fn take_reveal(portal: &Portal, session: &StaffSession) -> Result<Option<String>> {
    let mut tx = portal.store.begin().await?;
    let sealed: Option<(Option<Vec<u8>>,)> = sqlx::query_as("SELECT reveal_enc FROM staff_sessions WHERE id_hash = $1")
        .bind(&session.id_hash)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((Some(sealed),)) = sealed else {
        return Ok(None);
    };
    sqlx::query("UPDATE staff_sessions SET reveal_enc = NULL WHERE id_hash = $1")
        .bind(&session.id_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let plain = portal.keys.open(&format!("staff-reveal:{}", session.id_hash), &sealed)?;
    String::from_utf8(plain).map(Some).map_err(|_| crate::Error::Crypto("reveal not text"))
}
