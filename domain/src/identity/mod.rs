//! Who the customer is: password, TOTP second factor, recovery codes and server-side sessions.

pub mod authenticator_change;
pub mod breached;
pub mod devices;
pub mod enrollment;
pub mod guessable;
pub mod new_password;
pub mod password;
pub mod password_change;
pub mod password_reset;
pub mod reauth;
pub mod recovery;
pub mod session;
pub mod step_up;
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

/// The address a person typed, normalized, or the problem with it (for the `email` field).
pub(crate) fn validated_email(email: &str) -> crate::Result<String> {
    use crate::error::Problem;
    let email = normalize_email(email);
    if email.is_empty() {
        return Err(crate::Error::invalid("email", Problem::Required));
    }
    if email.len() > sign_in::MAX_EMAIL_LEN {
        return Err(crate::Error::invalid("email", Problem::TooLong));
    }
    if !is_plausible_email(&email) {
        return Err(crate::Error::invalid("email", Problem::Malformed));
    }
    Ok(email)
}

/// Shape only (one `@`, something on each side, a dot in the domain, no spaces or control
/// characters); whether the address is real is proven by mail, not guessed here.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_plausible_email;

    #[test]
    fn email_shape() {
        for ok in ["a@b.co", "lucía@example.es", "first.last+tag@mail.example.com"] {
            assert!(is_plausible_email(ok), "{ok}");
        }
        for bad in ["", "a", "@b.co", "a@", "a@b", "a@.b", "a@b.", "a b@c.d", "a@b@c.d", "a@b.c\r\nBcc: x@y.z"] {
            assert!(!is_plausible_email(bad), "{bad:?}");
        }
    }
}
