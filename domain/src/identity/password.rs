//! Argon2id password hashing, on threads of its own at a lower CPU priority so sign-ins never
//! stall other requests.

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
    on_hashing_thread(move || hash_blocking(&password)).await?
}

/// Runs one Argon2id computation on a thread of its own, niced below the threads that serve
/// pages: when the cores are saturated, signed-in customers' pages go first and sign-ins wait
/// (the load benchmark compares other pages' p99 with and without sign-ins). A thread per hash
/// costs microseconds beside a hash's tens of milliseconds, and a pool's threads (tokio's
/// blocking pool, which also does file I/O) would keep the lowered priority for other work.
async fn on_hashing_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let _slot = hashing_slots().acquire().await.map_err(|_| Error::Internal("password hashing closed"))?;
    let (done, answer) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("argon2".into())
        .spawn(move || {
            lower_priority();
            let _ = done.send(work());
        })
        .map_err(|_| Error::Internal("password hashing thread not started"))?;
    answer.await.map_err(|_| Error::Internal("password hashing thread failed"))
}

/// How far below the serving threads the hashing threads run: at nice 10 against 0, weight 110
/// against 1,024, so under full load a hash gets about a tenth of a core's share, and all of an
/// idle core.
pub const HASHING_NICE: i32 = 10;

#[cfg(target_os = "linux")]
fn lower_priority() {
    // nice() adds to the calling thread's own nice value (per thread on Linux), up to 19, so a
    // server started niced keeps hashes below its pages and one started below 0 is never raised
    // above them. Lowering one's priority needs no privilege; if refused, the hash still runs.
    // SAFETY: nice takes a plain integer and touches no memory of ours.
    unsafe {
        libc::nice(HASHING_NICE);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

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
    on_hashing_thread(move || {
        let exists = stored.is_some();
        let hash = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        ok && exists
    })
    .await
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_run_below_the_priority_of_the_threads_that_serve_pages() {
        // SAFETY: getpriority takes plain integers; errno is not needed for these values.
        let nice = || unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let caller = nice();
        assert_eq!(on_hashing_thread(nice).await.unwrap(), (caller + HASHING_NICE).min(19));
        assert_eq!(nice(), caller, "the caller's own priority is left alone");
        let stored = hash("correct horse battery").await.unwrap();
        assert!(verify("correct horse battery", Some(stored)).await.unwrap());
    }
}
