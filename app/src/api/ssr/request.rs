//! What a server function knows about its request: the domain handle, who is asking, in which
//! language, from where.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use domain::Portal;
use domain::identity::{RequestMeta, Session, Stage};
use leptos::prelude::*;

use super::session_token;
use crate::api::AppError;

pub fn portal() -> Result<Portal, AppError> {
    use_context::<Portal>().ok_or_else(|| {
        tracing::error!("domain handle missing from context");
        AppError::Unavailable
    })
}

/// The address the request came from: the connection's, or the client's as a trusted reverse
/// proxy forwarded it. The server puts it beside each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

pub fn meta() -> RequestMeta {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return RequestMeta::default();
    };
    let ip = match parts.extensions.get::<ClientAddr>() {
        Some(client) => client.0.to_string(),
        None => parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default(),
    };
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    RequestMeta { ip, user_agent }
}

pub fn lang() -> domain::Lang {
    domain::Lang::from_code(crate::i18n::request_lang().code()).unwrap_or_default()
}

/// The session at exactly `stage`, or Unauthenticated (with a 401 for script callers).
pub async fn require_session(portal: &Portal, stage: Stage) -> Result<Session, AppError> {
    let session = match session_token() {
        Some(token) => domain::identity::session::resolve(portal, &token)
            .await
            .map_err(super::internal)?,
        None => None,
    };
    at_stage(session, stage)
}

/// As [`require_session`], on the connection the page goes on to read with.
pub async fn require_session_on(db: &mut domain::store::Connection, portal: &Portal, stage: Stage) -> Result<Session, AppError> {
    let session = match session_token() {
        Some(token) => domain::identity::session::resolve_on(db, portal, &token)
            .await
            .map_err(super::internal)?,
        None => None,
    };
    at_stage(session, stage)
}

fn at_stage(session: Option<Session>, stage: Stage) -> Result<Session, AppError> {
    match session {
        Some(s) if s.stage == stage => Ok(s),
        _ => Err(unauthenticated()),
    }
}

/// Unauthenticated, with a 401 for script callers.
pub fn unauthenticated() -> AppError {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::UNAUTHORIZED);
    }
    AppError::Unauthenticated
}

/// The fully signed-in customer, if any; for pages that work signed in or not (emailed links).
pub async fn viewer(portal: &Portal) -> Result<Option<i64>, AppError> {
    let Some(token) = session_token() else { return Ok(None) };
    let session = domain::identity::session::resolve(portal, &token).await.map_err(super::internal)?;
    Ok(session.filter(|s| s.stage == Stage::Full).map(|s| s.customer_id))
}

/// The signed-in member of staff, or Unauthenticated (401 for script callers). Roles are
/// checked by the domain operation itself (`Staff::require_dpo`), so no page can forget.
pub async fn require_staff(portal: &Portal) -> Result<domain::staff::StaffSession, AppError> {
    let session = match super::staff_token() {
        Some(token) => domain::staff::session::resolve(portal, &token).await.map_err(super::internal)?,
        None => None,
    };
    session.ok_or_else(|| {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::UNAUTHORIZED);
        }
        AppError::Unauthenticated
    })
}

/// The signed-in customer's session for a form post, or `None` after sending the browser where
/// it should go: to sign in when the session has ended, or to the outage message when the
/// database could not be asked (the session may well be fine).
pub async fn form_session(portal: &Portal) -> Option<Session> {
    match require_session(portal, Stage::Full).await {
        Ok(s) => Some(s),
        Err(e) => {
            super::go(&super::session_failed(&e, "/sign-in"));
            None
        }
    }
}

/// [`form_session`] for staff forms.
pub async fn form_staff(portal: &Portal) -> Option<domain::staff::StaffSession> {
    match require_staff(portal).await {
        Ok(s) => Some(s),
        Err(e) => {
            super::go(&super::session_failed(&e, "/staff/sign-in"));
            None
        }
    }
}
