//! Configuration from the environment. Every setting has a default that runs the portal on one
//! machine with an embedded SQLite file; production sets the URL, key and public address.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use domain::vault::{MasterKey as Master, MasterKeys};

use crate::client_address::TrustedProxies;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not valid: {1}")]
    Invalid(&'static str, &'static str),
    #[error("could not read or create the master key file {0}: {1}")]
    KeyFile(PathBuf, std::io::Error),
}

#[derive(Clone)]
pub struct Config {
    /// `sqlite://…` (default `sqlite://data/custodia.db`) or `postgres://…`.
    pub database_url: String,
    pub addr: SocketAddr,
    /// Where cargo-leptos put the compiled site (`/pkg/…`).
    pub site_root: String,
    /// The address people use, e.g. `https://privacy.example.com`. Cross-site requests are
    /// checked against it, and an https address turns on secure cookies and HSTS.
    pub public_url: Option<String>,
    pub master_key: MasterKey,
    /// During a master key rotation: the key being replaced, so keys it still wraps open
    /// (CUSTODIA_PREVIOUS_MASTER_KEY or CUSTODIA_PREVIOUS_MASTER_KEY_FILE).
    pub previous_master_key: Option<MasterKey>,
    /// Seed the demo customer into an empty database on start.
    pub demo: bool,
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://user:pass@host:465` (TLS),
    /// or `smtp://127.0.0.1:25` (plain, to a relay on this machine only). Unset: mail goes to
    /// the dev mailbox page.
    pub smtp_url: Option<String>,
    /// The sender of every mail.
    pub mail_from: String,
    /// An offline copy of Pwned Passwords (`SHA1HEX:COUNT` lines, sorted); new passwords found
    /// in it are refused.
    pub breached_passwords: Option<PathBuf>,
    /// At most this many database connections open at once (CUSTODIA_DB_CONNECTIONS); unset,
    /// the backend's default (8 for SQLite; for PostgreSQL two per core, at least 4).
    pub db_connections: Option<u32>,
    /// Serving threads that each run a scheduler and a database pool of their own
    /// (CUSTODIA_SERVE_THREADS); 1 serves on one scheduler shared by all cores (README,
    /// "Configuration").
    pub serve_threads: usize,
    /// Reverse proxies believed about the client's address (CUSTODIA_TRUSTED_PROXIES); none by
    /// default.
    pub trusted_proxies: TrustedProxies,
}

#[derive(Clone)]
pub enum MasterKey {
    /// Base64 of 32 bytes, from CUSTODIA_MASTER_KEY.
    Value(String),
    /// A file holding the same; created with a fresh key if missing.
    File(PathBuf),
    /// A file that must exist (a previous key is never made up).
    ExistingFile(PathBuf),
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MasterKey::Value(_) => f.write_str("MasterKey(<from environment>)"),
            MasterKey::File(p) | MasterKey::ExistingFile(p) => write!(f, "MasterKey(file {})", p.display()),
        }
    }
}

impl std::fmt::Debug for Config {
    // By hand: the SMTP URL can carry a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("public_url", &self.public_url)
            .field("smtp", &self.smtp_url.as_ref().map(|_| "<configured>"))
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr = var("CUSTODIA_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|_| ConfigError::Invalid("CUSTODIA_ADDR", "expected host:port"))?;
        let master_key = match (var("CUSTODIA_MASTER_KEY"), var("CUSTODIA_MASTER_KEY_FILE")) {
            (Some(v), _) => MasterKey::Value(v),
            (None, Some(f)) => MasterKey::File(f.into()),
            (None, None) => MasterKey::File("data/master.key".into()),
        };
        let previous_master_key = match (var("CUSTODIA_PREVIOUS_MASTER_KEY"), var("CUSTODIA_PREVIOUS_MASTER_KEY_FILE")) {
            (Some(v), _) => Some(MasterKey::Value(v)),
            (None, Some(f)) => Some(MasterKey::ExistingFile(f.into())),
            (None, None) => None,
        };
        let public_url = var("CUSTODIA_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_string());
        if let Some(u) = &public_url {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(ConfigError::Invalid("CUSTODIA_PUBLIC_URL", "expected http(s)://host"));
            }
        }
        let db_connections = count(var("CUSTODIA_DB_CONNECTIONS"), "CUSTODIA_DB_CONNECTIONS", 1..=1_000, "expected a number from 1 to 1000")?;
        let serve_threads =
            count(var("CUSTODIA_SERVE_THREADS"), "CUSTODIA_SERVE_THREADS", 1..=256, "expected a number from 1 to 256")?.unwrap_or(1);
        let trusted_proxies = TrustedProxies::parse(var("CUSTODIA_TRUSTED_PROXIES").as_deref().unwrap_or_default()).ok_or(
            ConfigError::Invalid("CUSTODIA_TRUSTED_PROXIES", "expected addresses or networks such as 10.0.0.0/8, separated by commas"),
        )?;
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/custodia.db".into()),
            addr,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            public_url,
            master_key,
            previous_master_key,
            demo: matches!(var("CUSTODIA_DEMO").as_deref(), Some("1" | "true" | "yes")),
            smtp_url: var("CUSTODIA_SMTP_URL"),
            mail_from: var("CUSTODIA_MAIL_FROM").unwrap_or_else(|| "Custodia <privacy@custodia.test>".into()),
            breached_passwords: var("CUSTODIA_BREACHED_PASSWORDS_FILE").map(PathBuf::from),
            db_connections,
            serve_threads,
            trusted_proxies,
        })
    }

    /// Where mail goes: the configured SMTP server, else the dev mailbox.
    pub fn mail_transport(&self) -> Result<domain::mail::Transport, ConfigError> {
        match &self.smtp_url {
            Some(url) => domain::mail::Transport::smtp(url, &self.mail_from)
                .map_err(|e| match e {
                    domain::Error::Internal(why) => ConfigError::Invalid("CUSTODIA_SMTP_URL / CUSTODIA_MAIL_FROM", why),
                    _ => ConfigError::Invalid("CUSTODIA_SMTP_URL / CUSTODIA_MAIL_FROM", "expected smtp(s)://… and a mail address"),
                }),
            None => Ok(domain::mail::Transport::DevMailbox),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    /// The master keys: the current one (its file is created with a fresh key on first start)
    /// and, during a rotation, the previous one.
    pub fn master_keys(&self) -> Result<MasterKeys, ConfigError> {
        let current = self.master_key.read("CUSTODIA_MASTER_KEY")?;
        let previous = self.previous_master_key.as_ref().map(|k| k.read("CUSTODIA_PREVIOUS_MASTER_KEY")).transpose()?;
        Ok(MasterKeys::new(current, previous))
    }
}

impl MasterKey {
    fn read(&self, name: &'static str) -> Result<Master, ConfigError> {
        let text = match self {
            MasterKey::Value(v) => v.clone(),
            MasterKey::File(path) => read_or_create_key(path)?,
            MasterKey::ExistingFile(path) => std::fs::read_to_string(path).map_err(|e| ConfigError::KeyFile(path.clone(), e))?,
        };
        Master::from_base64(text.trim()).map_err(|_| ConfigError::Invalid(name, "expected base64 of 32 random bytes"))
    }
}

fn read_or_create_key(path: &Path) -> Result<String, ConfigError> {
    let fail = |e| ConfigError::KeyFile(path.to_path_buf(), e);
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(fail)?;
            }
            let key = Master::generate_base64();
            write_private(path, &key).map_err(fail)?;
            tracing::warn!(path = %path.display(), "generated a new master key; back it up, data sealed with it is unreadable without it");
            Ok(key)
        }
        Err(e) => Err(fail(e)),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// A count the start depends on: None when unset; a value that is not a whole number within
/// `range` stops the start with a message naming the setting.
fn count<T: std::str::FromStr + PartialOrd>(
    value: Option<String>,
    name: &'static str,
    range: std::ops::RangeInclusive<T>,
    expected: &'static str,
) -> Result<Option<T>, ConfigError> {
    value.map(|v| v.trim().parse::<T>().ok().filter(|n| range.contains(n)).ok_or(ConfigError::Invalid(name, expected))).transpose()
}

/// A whole number from the environment, if set and within `range`; anything else is ignored.
fn env_number(name: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse::<i64>().ok()).filter(|v| range.contains(v))
}

/// The domain's policy, with what the company may set through the environment (README,
/// "Configuration"). A value that is not a number in range is ignored.
pub fn policy_from_env() -> domain::Policy {
    let mut policy = domain::Policy::default();
    if let Some(days) = std::env::var("CUSTODIA_ERASURE_GRACE_DAYS").ok().and_then(|d| d.trim().parse::<i64>().ok()).filter(|d| (1..=90).contains(d)) {
        policy.erasure_grace_secs = days * 86_400;
    }
    if let Some(hours) = env_number("CUSTODIA_EXPORT_INTERVAL_HOURS", 0..=24 * 30) {
        policy.export_interval_secs = hours * 3_600;
    }
    if let Some(secs) = env_number("CUSTODIA_EXPORT_LEASE_SECS", 1..=3_600) {
        policy.export_lease_secs = secs;
    }
    // Behind a proxy that is not in CUSTODIA_TRUSTED_PROXIES every ask comes from the proxy's
    // address, so such a deployment sets this to what all its customers together may ask.
    if let Some(asks) = env_number("CUSTODIA_RESET_ASKS_PER_ADDRESS_HOUR", 1..=1_000_000) {
        policy.reset_asks_per_address_per_hour = asks;
    }
    policy
}
