//! How domain outcomes reach people: form posts always end in a redirect (post-redirect-get), so
//! with or without JavaScript the next page renders the result from a short code in its URL.

use domain::Error;
use domain::error::{LinkProblem, Problem};

use crate::api::AppError;

/// Redirects the browser (302 for plain form posts; a client-side navigation otherwise).
pub fn go(path: &str) {
    leptos_axum::redirect(path);
}

/// Where a form goes when its session could not be read: back to sign-in when it has ended,
/// with the outage message when the database could not be asked (the session may well be fine).
pub fn session_failed(e: &AppError, sign_in: &'static str) -> String {
    let code = if matches!(e, AppError::Unavailable) { "unavailable" } else { "expired" };
    format!("{sign_in}?e={code}")
}

/// The message code a form shows for a failed step. Codes name a field when the problem is one
/// field's ("email_required"), so the page can put the message beside it.
pub fn outcome_code(e: &Error) -> &'static str {
    match e {
        Error::Invalid { field, problem } => match (*field, problem) {
            ("email", Problem::Required) => "email_required",
            ("email", Problem::TooLong) => "email_too_long",
            ("email", _) => "email_malformed",
            ("password", Problem::Required) => "password_required",
            ("password", _) => "password_too_long",
            ("code", Problem::Required) => "code_required",
            ("code", _) => "code_malformed",
            _ => "invalid",
        },
        Error::Link(p) => link_code(*p),
        Error::BadCredentials => "credentials",
        Error::Throttled { .. } => "locked",
        Error::Unauthenticated => "expired",
        Error::NotFound => "expired",
        Error::Forbidden => "forbidden",
        other => {
            log_internal(other);
            "unavailable"
        }
    }
}

/// Like [`outcome_code`], but a problem with one input of a change form is `field.problem`
/// ("phone.malformed"), so the form can put the message beside that input.
pub fn field_outcome(e: &Error) -> String {
    match e {
        Error::Invalid { field, problem } => {
            let problem = match problem {
                Problem::Required => "required",
                Problem::TooLong => "too_long",
                Problem::Malformed => "malformed",
                Problem::Unchanged => "unchanged",
                Problem::Taken => "taken",
                Problem::Busy => "busy",
                Problem::TooSoon => "too_soon",
                Problem::Guessable => "guessable",
                Problem::Breached => "breached",
            };
            format!("{field}.{problem}")
        }
        other => outcome_code(other).to_string(),
    }
}

pub fn link_code(p: LinkProblem) -> &'static str {
    match p {
        LinkProblem::Unknown => "link_unknown",
        LinkProblem::Expired => "link_expired",
        LinkProblem::Used => "link_used",
        LinkProblem::Cancelled => "link_cancelled",
        LinkProblem::Altered => "link_altered",
        LinkProblem::Foreign => "link_foreign",
    }
}

/// For errors that end a read: internal failures are logged (safely) and hidden.
pub fn internal(e: Error) -> AppError {
    match e {
        Error::Unauthenticated => AppError::Unauthenticated,
        Error::NotFound => AppError::NotFound,
        Error::Forbidden => AppError::Forbidden,
        Error::Invalid { .. } => AppError::BadRequest,
        Error::Link(p) => AppError::Link(link_code(p).to_string()),
        other => {
            log_internal(&other);
            AppError::Unavailable
        }
    }
}

fn log_internal(e: &Error) {
    // Error's Display carries no database text or personal data (see domain::error).
    tracing::error!(error = %e, "request failed");
}
