//! Who the customer is: password, TOTP second factor, recovery codes and server-side sessions.

pub mod enrollment;
pub mod password;
pub mod recovery;
pub mod session;
pub mod sign_in;
pub mod throttle;
pub mod totp;

pub use enrollment::{Enrollment, confirm_enrollment, enrollment, take_recovery_codes};
pub use session::{NewSession, Session, Stage};
pub use sign_in::{SignInStep, sign_in, sign_out, verify_second_factor};

/// Where a request came from; stored with sessions and audit rows, never logged.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: String,
    pub user_agent: String,
}

/// Emails are compared case-insensitively and without surrounding space.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}
