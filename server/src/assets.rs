//! Brotli or gzip for the static assets every first visit downloads (WASM, JS, CSS): they are
//! the same for everyone and hold nothing personal. Pages and server-function answers are not
//! compressed: they carry personal data and one-time secrets (recovery codes, TOTP keys), and
//! compressing those beside anything a request can influence is what BREACH-style attacks use.

use axum::http::{Extensions, HeaderMap, StatusCode, Version, header};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::Predicate;

fn is_static_asset(status: StatusCode, _version: Version, headers: &HeaderMap) -> bool {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    status.is_success()
        && ["application/wasm", "text/javascript", "application/javascript", "text/css"].iter().any(|t| content_type.starts_with(t))
}

pub fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(|status: StatusCode, version: Version, headers: &HeaderMap, _: &Extensions| {
        is_static_asset(status, version, headers)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(t: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, t.parse().unwrap());
        h
    }

    #[test]
    fn only_static_assets_are_compressed() {
        for t in ["application/wasm", "text/javascript", "application/javascript; charset=utf-8", "text/css"] {
            assert!(is_static_asset(StatusCode::OK, Version::HTTP_11, &typed(t)), "{t}");
        }
        for t in ["text/html; charset=utf-8", "application/json", "text/plain"] {
            assert!(!is_static_asset(StatusCode::OK, Version::HTTP_11, &typed(t)), "{t}");
        }
        assert!(!is_static_asset(StatusCode::NOT_FOUND, Version::HTTP_11, &typed("text/css")));
    }
}
