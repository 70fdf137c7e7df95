//! The domain's one error type. Its `Display` never carries database text or personal data, so
//! the edge can log it; the web layer maps each kind to a message for people.

use std::fmt;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which input a validation problem belongs to, so the page can put the message beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong,
    Malformed,
    /// The new value is the value already held.
    Unchanged,
    /// Another account already uses this value (an email address).
    Taken,
    /// The same thing is already under way (an export being made).
    Busy,
    /// Allowed again later (a new export, once a day); `Invalid` because waiting is the answer,
    /// not a lock after failures.
    TooSoon,
    /// Among the passwords attackers try first, or built on the person's own name or email.
    Guessable,
    /// Known from a data breach elsewhere (the offline Pwned Passwords copy).
    Breached,
}

/// Why an emailed link cannot be used; each gets its own clear page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// No such link: mistyped, truncated or tampered with.
    Unknown,
    Expired,
    /// Already used: the change was applied (or undone) before.
    Used,
    /// Cancelled by the customer, replaced by a newer request, or after too many wrong codes.
    Cancelled,
    /// The stored change no longer matches what the link was issued for.
    Altered,
    /// The link belongs to another account than the one signed in.
    Foreign,
}

#[derive(thiserror::Error)]
pub enum Error {
    /// Bad input for one named field.
    #[error("invalid input for {field}: {problem:?}")]
    Invalid { field: &'static str, problem: Problem },
    /// Wrong email, password or code. Deliberately one kind: callers must not learn which.
    #[error("credentials not accepted")]
    BadCredentials,
    /// Too many failures for this account or address; try again after `retry_after` seconds.
    #[error("throttled for {retry_after}s")]
    Throttled { retry_after: i64 },
    /// No valid session, or a session at the wrong stage for this step.
    #[error("not signed in")]
    Unauthenticated,
    #[error("not found")]
    NotFound,
    /// Signed in, but this role may not do this.
    #[error("not allowed for this role")]
    Forbidden,
    /// An emailed link that cannot be used.
    #[error("link not usable: {0:?}")]
    Link(LinkProblem),
    #[error("storage failure: {}", store_summary(.0))]
    Store(#[from] sqlx::Error),
    #[error("storage migration failure")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cryptographic failure: {0}")]
    Crypto(&'static str),
    #[error("internal failure: {0}")]
    Internal(&'static str),
}

// Debug is what `tracing` prints with `?err`; keep it as safe as Display.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Database errors can quote the values that violated a constraint (an email, say), so only the
/// error class, SQLSTATE code and constraint name are ever rendered.
fn store_summary(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => format!(
            "database error code={} constraint={}",
            db.code().as_deref().unwrap_or("?"),
            db.constraint().unwrap_or("-")
        ),
        sqlx::Error::RowNotFound => "row not found".into(),
        sqlx::Error::PoolTimedOut => "pool timed out".into(),
        sqlx::Error::PoolClosed => "pool closed".into(),
        sqlx::Error::Io(_) => "i/o error".into(),
        sqlx::Error::Tls(_) => "tls error".into(),
        sqlx::Error::Protocol(_) => "protocol error".into(),
        sqlx::Error::ColumnDecode { index, .. } => format!("column decode error at {index}"),
        sqlx::Error::ColumnNotFound(c) => format!("column not found: {c}"),
        sqlx::Error::Configuration(_) => "configuration error".into(),
        _ => "other database error".into(),
    }
}

impl Error {
    pub fn invalid(field: &'static str, problem: Problem) -> Self {
        Error::Invalid { field, problem }
    }

    /// True for failures of the system rather than of the request; these are logged as errors.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            Error::Store(_) | Error::Migrate(_) | Error::Crypto(_) | Error::Internal(_)
        )
    }

    /// A unique-constraint violation (e.g. a duplicate email), for mapping to a field error.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Error::Store(sqlx::Error::Database(db)) => db.is_unique_violation(),
            _ => false,
        }
    }
}
