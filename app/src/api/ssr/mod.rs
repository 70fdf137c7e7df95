//! Server-side plumbing for server functions: the domain handle, the request, the session cookie.

pub mod cookies;
pub mod outcome;
pub mod request;

pub use cookies::{clear_session_cookie, clear_staff_cookie, cookie_in, customer_cookie_name, follow_profile_language, session_token, set_language_cookie, set_session_cookie, set_staff_cookie, staff_token};
pub use outcome::{field_outcome, go, internal, outcome_code, session_failed};
pub use request::{ClientAddr, form_session, form_staff, lang, meta, portal, require_session, require_session_on, require_staff, unauthenticated, viewer};

/// Web settings the server provides as context beside the domain handle.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Cookies get `Secure` and the `__Host-` prefix; off only for plain-http local development.
    pub secure_cookies: bool,
    /// Mail goes to the dev mailbox page (no SMTP server configured).
    pub dev_mailbox: bool,
}

/// The nonce the server put in this page's Content-Security-Policy; inline scripts carry it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);
