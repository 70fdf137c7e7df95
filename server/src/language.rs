//! `GET /language/{code}?next=/path`: remembers the chosen language in a cookie and returns to
//! the page the person was on. A plain link, so it works without JavaScript.

use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn choose(Path(code): Path<String>, Query(q): Query<Next>) -> Response {
    let Some(lang) = app::i18n::Lang::from_code(&code).filter(|l| l.code() == code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let next = q.next.as_deref().filter(|n| is_local_path(n)).unwrap_or("/");
    let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    let mut res = StatusCode::SEE_OTHER.into_response();
    let headers = res.headers_mut();
    if let (Ok(loc), Ok(c)) = (HeaderValue::from_str(next), HeaderValue::from_str(&cookie)) {
        headers.insert(header::LOCATION, loc);
        headers.insert(header::SET_COOKIE, c);
    }
    res
}

/// Only paths on this site: no scheme, no `//host`, no backslash tricks, no control characters.
pub fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.len() <= 512
        && next.chars().all(|c| !c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/my-data?activity_page=2#cat-activity"));
        for bad in ["https://evil.test/", "//evil.test", "/\\evil.test", "evil", "/a\nb", ""] {
            assert!(!is_local_path(bad), "{bad:?} accepted");
        }
    }
}
