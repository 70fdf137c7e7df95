//! What every response and every state-changing request goes through.
//!
//! Leptos server functions have no CSRF protection of their own. Session cookies are
//! SameSite=Strict, and on top of that any request that is not GET/HEAD must come from this
//! site: its `Origin` (or, failing that, `Sec-Fetch-Site`) has to say so.

use std::sync::Arc;

use app::api::ssr::CspNonce;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
pub struct Guard {
    /// `scheme://host[:port]` people use; when unset, the request's own Host is trusted.
    pub public_origin: Option<Arc<str>>,
    pub hsts: bool,
}

pub async fn same_origin_only(State(guard): State<Guard>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) && !is_same_origin(&guard, req.headers()) {
        tracing::warn!("refused a cross-site request");
        return (StatusCode::FORBIDDEN, "This request came from another site and was refused.")
            .into_response();
    }
    next.run(req).await
}

fn is_same_origin(guard: &Guard, headers: &HeaderMap) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|s| s != "same-origin" && s != "none") {
        return false;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` with form posts; the
        // browser-set Sec-Fetch-Site (which no page can forge) then says whether it is ours.
        Some("null") => fetch_site == Some("same-origin"),
        Some(origin) => match &guard.public_origin {
            Some(expected) => origin == &**expected,
            None => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
                let authority = origin.split_once("://").map(|(_, a)| a);
                host.is_some() && authority == host
            }
        },
        // Browsers send Origin on every POST, and Sec-Fetch-Site was checked above; a request
        // with neither comes from a tool, which SameSite=Strict cookies already cover.
        None => true,
    }
}

/// Security headers on everything; a fresh CSP nonce per page; nothing personal cached.
pub async fn headers(State(guard): State<Guard>, mut req: Request, next: Next) -> Response {
    let nonce = domain::keys::random_token();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let is_asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let csp = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        );
        if let Ok(v) = HeaderValue::from_str(&csp) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Confirmation links carry tokens: never leak a URL to another site.
        (header::REFERRER_POLICY, "no-referrer"),
        (header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (header::HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"),
    ];
    for (name, value) in fixed {
        h.insert(name, HeaderValue::from_static(value));
    }
    // Assets are public and revalidated; pages and API answers hold personal data.
    let cache = if is_asset { "no-cache" } else { "no-store" };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if guard.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(header::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
        }
        m
    }

    #[test]
    fn origin_must_match_host_or_public_url() {
        let local = Guard { public_origin: None, hsts: false };
        assert!(is_same_origin(&local, &h(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")])));
        assert!(!is_same_origin(&local, &h(&[("host", "127.0.0.1:3000"), ("origin", "http://evil.test")])));
        assert!(!is_same_origin(&local, &h(&[("host", "a.test"), ("origin", "null")])));
        assert!(!is_same_origin(&local, &h(&[("host", "a.test"), ("origin", "null"), ("sec-fetch-site", "cross-site")])));
        assert!(is_same_origin(&local, &h(&[("host", "a.test"), ("origin", "null"), ("sec-fetch-site", "same-origin")])), "no-referrer form posts");
        assert!(!is_same_origin(&local, &h(&[("host", "a.test"), ("sec-fetch-site", "cross-site")])));
        assert!(is_same_origin(&local, &h(&[("host", "a.test")])), "tools without Origin");

        let public = Guard { public_origin: Some("https://privacy.example.com".into()), hsts: true };
        assert!(is_same_origin(&public, &h(&[("origin", "https://privacy.example.com")])));
        assert!(!is_same_origin(&public, &h(&[("host", "evil.test"), ("origin", "https://evil.test")])));
    }
}
