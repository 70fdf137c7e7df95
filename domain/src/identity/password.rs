//! Argon2id password hashing, run on the blocking pool so sign-ins never stall other requests.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::Problem;
use crate::{Error, Result};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 256;

pub fn check_policy(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n == 0 {
        Err(Error::invalid("password", Problem::Required))
    } else if n > MAX_LEN {
        Err(Error::invalid("password", Problem::TooLong))
    } else if n < MIN_LEN {
        Err(Error::invalid("password", Problem::Malformed))
    } else {
        Ok(())
    }
}

/// At most this many Argon2id computations at once (one per core). Each takes 19 MiB and a core
/// for a while; unbounded, a burst of sign-ins took every core and, measured under load, 1.7 GiB
/// of memory. Waiting sign-ins queue here instead of starving every other request.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| tokio::sync::Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)))
}

pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    let _slot = hashing_slots().acquire().await.map_err(|_| Error::Internal("password hashing closed"))?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|_| Error::Internal("password hashing task failed"))?
}

pub fn hash_blocking(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| Error::Crypto("password hashing failed"))
}

/// Verifies against `stored`, or, when there is no such account, against a dummy hash so the
/// answer takes as long either way.
pub async fn verify(password: &str, stored: Option<String>) -> Result<bool> {
    let password = password.to_owned();
    let _slot = hashing_slots().acquire().await.map_err(|_| Error::Internal("password hashing closed"))?;
    tokio::task::spawn_blocking(move || {
        let exists = stored.is_some();
        let hash = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        ok && exists
    })
    .await
    .map_err(|_| Error::Internal("password verification task failed"))
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_blocking(&crate::keys::random_token()).unwrap_or_else(|_| {
            // Argon2 with default parameters and a fresh salt does not fail; keep a parseable value.
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG".into()
        })
    })
}
