//! The session cookies, one for customers and one for staff: HttpOnly, SameSite=Strict, and
//! Secure with the `__Host-` prefix whenever the portal is served over TLS.

use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use super::WebSettings;

const SECURE_NAME: &str = "__Host-custodia_session";
const LOCAL_NAME: &str = "custodia_session";
const STAFF_SECURE_NAME: &str = "__Host-custodia_staff";
const STAFF_LOCAL_NAME: &str = "custodia_staff";

fn secure() -> bool {
    use_context::<WebSettings>().is_none_or(|s| s.secure_cookies)
}

fn name() -> &'static str {
    customer_cookie_name(secure())
}

/// The customer session cookie's name, for handlers outside Leptos (the export download).
pub fn customer_cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_NAME } else { LOCAL_NAME }
}

fn staff_name() -> &'static str {
    if secure() { STAFF_SECURE_NAME } else { STAFF_LOCAL_NAME }
}

/// The session token from the request's cookies, if any.
pub fn session_token() -> Option<String> {
    read(name())
}

/// The staff session token, if any.
pub fn staff_token() -> Option<String> {
    read(staff_name())
}

pub fn set_staff_cookie(token: &str, max_age: i64) {
    set(format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        staff_name(),
        max_age.max(0),
        if secure() { "; Secure" } else { "" }
    ));
}

pub fn clear_staff_cookie() {
    set(format!("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}", staff_name(), if secure() { "; Secure" } else { "" }));
}

/// The language cookie the switch on every page also sets (see server/src/language.rs).
pub fn set_language_cookie(lang: domain::Lang) {
    set(format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()));
}

/// After a full sign-in, pages follow the language on the customer's profile.
pub async fn follow_profile_language(portal: &domain::Portal, customer_id: i64) {
    match domain::profile::preferred_language(portal, customer_id).await {
        Ok(lang) => set_language_cookie(lang),
        Err(e) => tracing::warn!(error = %e, "preferred language not read; keeping the current one"),
    }
}

fn read(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    cookie_in(&parts.headers, name)
}

/// The value of cookie `name` in these request headers; also for handlers outside Leptos.
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn set_session_cookie(session: &domain::identity::NewSession, now: i64) {
    let max_age = (session.expires_at - now).max(0);
    set(format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        name(),
        session.token,
        if secure() { "; Secure" } else { "" }
    ));
}

pub fn clear_session_cookie() {
    set(format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        name(),
        if secure() { "; Secure" } else { "" }
    ));
}

fn set(cookie: String) {
    if let (Some(res), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie)) {
        res.append_header(SET_COOKIE, value);
    }
}
