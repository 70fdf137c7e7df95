//! Where the customer is signed in: their live full sessions, each shown with the browser, the
//! network address and when it was used, and each one they can end (or all but this one).
//! Sessions are named to the customer by a handle (the first 16 hex digits of the stored hash),
//! never by the cookie value or the whole hash. Ending another session needs a factor proved in
//! the last 15 minutes (ASVS 7.5.2): at sign-in, or again through [`reauth::confirm`].

use crate::audit::{self, Actor, Entry};
use crate::{Error, Portal, Result};

use super::{Session, reauth};

const HANDLE_LEN: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub handle: String,
    pub user_agent: String,
    pub ip: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    /// The session this list is being shown to.
    pub current: bool,
}

/// The customer's live full sessions, most recently used first.
pub async fn list(portal: &Portal, session: &Session) -> Result<Vec<Device>> {
    let now = portal.now();
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id_hash, user_agent, ip, created_at, last_seen_at FROM sessions \
         WHERE customer_id = $1 AND stage = 'full' AND absolute_expires_at > $2 AND last_seen_at > $3 \
         ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(session.customer_id)
    .bind(now)
    .bind(now - portal.policy.session_idle_secs)
    .fetch_all(portal.store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id_hash, user_agent, ip, signed_in_at, last_seen_at)| Device {
            handle: id_hash[..HANDLE_LEN].to_string(),
            current: id_hash == session.id_hash,
            user_agent,
            ip,
            signed_in_at,
            last_seen_at,
        })
        .collect())
}

/// Ends one of the customer's sessions. Another customer's handle is NotFound.
pub async fn end(portal: &Portal, session: &Session, handle: &str, ip: &str) -> Result<()> {
    if handle.len() != HANDLE_LEN || !handle.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::NotFound);
    }
    // Signing this browser out needs nothing more; ending another one needs a recent proof.
    if !session.id_hash.starts_with(&handle.to_ascii_lowercase()) {
        reauth::require_recent(portal, session)?;
    }
    let mut tx = portal.store.begin().await?;
    let ended = sqlx::query("DELETE FROM sessions WHERE customer_id = $1 AND SUBSTR(id_hash, 1, 16) = $2")
        .bind(session.customer_id)
        .bind(handle.to_ascii_lowercase())
        .execute(&mut *tx)
        .await?;
    if ended.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    audit::record(&mut tx, portal.now(), Entry { actor: Actor::Customer, customer_id: Some(session.customer_id), action: "identity.session_ended", detail: "one", ip: Some(ip) }).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the customer but this one; returns how many ended.
pub async fn end_others(portal: &Portal, session: &Session, ip: &str) -> Result<u64> {
    reauth::require_recent(portal, session)?;
    let mut tx = portal.store.begin().await?;
    let ended = super::session::end_all_but(&mut tx, session.customer_id, &session.id_hash).await?;
    let detail = format!("others:{ended}");
    audit::record(&mut tx, portal.now(), Entry { actor: Actor::Customer, customer_id: Some(session.customer_id), action: "identity.sessions_ended", detail: &detail, ip: Some(ip) }).await?;
    tx.commit().await?;
    Ok(ended)
}

/// "Firefox on Linux" from a User-Agent header; the raw text when nothing is recognised.
pub fn describe(user_agent: &str) -> String {
    let browser = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari")]
        .iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map(|(_, name)| *name);
    let system = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]
        .iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => s.to_string(),
        (None, None) => user_agent.chars().take(60).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn browsers_and_systems_by_name() {
        assert_eq!(describe("Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"), "Firefox on Linux");
        assert_eq!(
            describe("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0"),
            "Edge on Windows"
        );
        assert_eq!(describe("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1"), "Safari on iPhone");
        assert_eq!(describe("curl/8.5"), "curl/8.5");
    }
}
