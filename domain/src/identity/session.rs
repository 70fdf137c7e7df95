//! Server-side sessions. The cookie holds 256 random bits; the database holds only their hash.
//! A session starts half-way (password accepted, second factor pending) and is replaced by a new
//! one, with a new id, once the second factor is accepted.

use sqlx::AnyConnection;

use crate::keys::{random_token, token_hash};
use crate::store::Tx;
use crate::{Portal, Result};

use super::RequestMeta;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Password accepted; a TOTP or recovery code is due.
    NeedsCode,
    /// Password accepted; no authenticator yet, enrollment is due.
    NeedsEnrollment,
    /// Fully signed in.
    Full,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::NeedsCode => "needs_code",
            Stage::NeedsEnrollment => "needs_enrollment",
            Stage::Full => "full",
        }
    }

    fn parse(s: &str) -> Option<Stage> {
        match s {
            "needs_code" => Some(Stage::NeedsCode),
            "needs_enrollment" => Some(Stage::NeedsEnrollment),
            "full" => Some(Stage::Full),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id_hash: String,
    pub customer_id: i64,
    pub stage: Stage,
    pub created_at: i64,
    pub absolute_expires_at: i64,
    /// When a factor was last proved in this session: at sign-in, or since (see `reauth`).
    pub authenticated_at: i64,
}

/// What the web layer turns into a cookie.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub expires_at: i64,
}

pub(crate) async fn create(
    tx: &mut Tx,
    portal: &Portal,
    customer_id: i64,
    stage: Stage,
    meta: &RequestMeta,
) -> Result<(NewSession, String)> {
    let now = portal.now();
    let lifetime = match stage {
        Stage::Full => portal.policy.session_absolute_secs,
        _ => portal.policy.half_session_secs,
    };
    let token = random_token();
    let id_hash = token_hash(&token);
    let user_agent: String = meta.user_agent.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO sessions (id_hash, customer_id, stage, created_at, last_seen_at, \
         absolute_expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
    )
    .bind(&id_hash)
    .bind(customer_id)
    .bind(stage.as_str())
    .bind(now)
    .bind(now + lifetime)
    .bind(&meta.ip)
    .bind(user_agent)
    .execute(&mut **tx)
    .await?;
    Ok((NewSession { token, expires_at: now + lifetime }, id_hash))
}

/// The columns of a session row `s`, in the order of [`SessionRow`]; a macro so that a page's
/// own statement can read the session with what it shows (one round trip instead of two).
macro_rules! session_columns {
    () => {
        "s.customer_id, s.stage, s.created_at, s.last_seen_at, s.absolute_expires_at, s.reauthenticated_at"
    };
}
pub(crate) use session_columns;

/// A session row as [`session_columns!`] reads it.
pub(crate) type SessionRow = (i64, String, i64, i64, i64, Option<i64>);

/// The live session behind a cookie value, or None (see [`live`]).
pub async fn resolve(portal: &Portal, token: &str) -> Result<Option<Session>> {
    if id_hash_of(token).is_none() {
        return Ok(None);
    }
    resolve_on(&mut *portal.store.reader().await?, portal, token).await
}

/// As [`resolve`], on the connection the rest of the page reads on: one connection taken and
/// given back per page instead of two.
#[tracing::instrument(name = "session.resolve", skip_all)]
pub async fn resolve_on(conn: &mut AnyConnection, portal: &Portal, token: &str) -> Result<Option<Session>> {
    let Some(id_hash) = id_hash_of(token) else { return Ok(None) };
    let row: Option<SessionRow> = sqlx::query_as(concat!("SELECT ", session_columns!(), " FROM sessions s WHERE s.id_hash = $1"))
        .bind(&id_hash)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => live(conn, portal, id_hash, row).await,
        None => Ok(None),
    }
}

/// What the sessions table is keyed by for a cookie value; None for a value no session can
/// have (empty, or longer than any token we issue), which is not looked up.
pub(crate) fn id_hash_of(token: &str) -> Option<String> {
    (!token.is_empty() && token.len() <= 64).then(|| token_hash(token))
}

/// The session a row found by its `id_hash` stands for, if it is still live. An expired one is
/// deleted on sight; activity is recorded at most once a minute, so reads stay reads under load.
pub(crate) async fn live<C: Upkeep>(conn: &mut C, portal: &Portal, id_hash: String, row: SessionRow) -> Result<Option<Session>> {
    let (customer_id, stage, created_at, last_seen_at, absolute_expires_at, reauthenticated_at) = row;
    let now = portal.now();
    let Some(stage) = Stage::parse(&stage) else {
        return Ok(None);
    };
    let idle_expired = stage == Stage::Full && now - last_seen_at > portal.policy.session_idle_secs;
    if now >= absolute_expires_at || idle_expired {
        conn.end(&id_hash).await?;
        return Ok(None);
    }
    if now - last_seen_at >= 60 {
        conn.touch(&id_hash, now).await?;
    }
    let authenticated_at = reauthenticated_at.unwrap_or(created_at).max(created_at);
    Ok(Some(Session { id_hash, customer_id, stage, created_at, absolute_expires_at, authenticated_at }))
}

/// Ends every session of the customer but `keep`, inside the caller's transaction; returns how
/// many ended.
pub(crate) async fn end_all_but(tx: &mut Tx, customer_id: i64, keep: &str) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE customer_id = $1 AND id_hash <> $2").bind(customer_id).bind(keep).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// The writes a look-up of a session may make, on whichever kind of connection the page holds:
/// sqlx's `Any` one, or the backend's own for "My data" (`Store::native_postgres`,
/// `Store::native_sqlite`).
pub(crate) trait Upkeep: Send {
    /// Ends the session (it expired).
    fn end(&mut self, id_hash: &str) -> impl Future<Output = Result<()>> + Send;
    /// Records that the session was used at `now`.
    fn touch(&mut self, id_hash: &str, now: i64) -> impl Future<Output = Result<()>> + Send;
}

/// The same statements on either connection: only the driver differs.
macro_rules! upkeep_on {
    ($connection:ty) => {
        impl Upkeep for $connection {
            async fn end(&mut self, id_hash: &str) -> Result<()> {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(self).await?;
                Ok(())
            }

            async fn touch(&mut self, id_hash: &str, now: i64) -> Result<()> {
                sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2").bind(now).bind(id_hash).execute(self).await?;
                Ok(())
            }
        }
    };
}
upkeep_on!(AnyConnection);
upkeep_on!(sqlx::PgConnection);
upkeep_on!(sqlx::SqliteConnection);

/// Keeps a value to be shown once to this session (recovery codes), sealed to the session.
pub(crate) async fn put_reveal(tx: &mut Tx, portal: &Portal, id_hash: &str, text: &str) -> Result<()> {
    let sealed = portal.keys.seal(&format!("reveal:{id_hash}"), text.as_bytes())?;
    sqlx::query("UPDATE sessions SET reveal_enc = $1 WHERE id_hash = $2")
        .bind(sealed)
        .bind(id_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Returns the value kept for this session and forgets it: it can be read once.
pub async fn take_reveal(portal: &Portal, session: &Session) -> Result<Option<String>> {
    let mut tx = portal.store.begin().await?;
    let sealed: Option<(Option<Vec<u8>>,)> =
        sqlx::query_as("SELECT reveal_enc FROM sessions WHERE id_hash = $1")
            .bind(&session.id_hash)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((Some(sealed),)) = sealed else {
        return Ok(None);
    };
    sqlx::query("UPDATE sessions SET reveal_enc = NULL WHERE id_hash = $1")
        .bind(&session.id_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let plain = portal.keys.open(&format!("reveal:{}", session.id_hash), &sealed)?;
    String::from_utf8(plain).map(Some).map_err(|_| crate::Error::Crypto("reveal not text"))
}
