//! `POST /export/download`: the one way a finished export leaves the portal. A plain form post
//! (export id + a fresh authenticator code, same-origin checked like every post) answered with
//! the file itself, so it works with and without JavaScript. Problems send the browser back to
//! the export page with a message next to the code field; another customer's export is a 404.

use axum::body::{Body, Bytes};
use axum::extract::{Extension, Form};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::error::{LinkProblem, Problem};
use domain::identity::{RequestMeta, Stage};
use domain::{Error, Lang, Portal};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Deserialize;

/// The customer session cookie's name (it depends on whether the portal runs over TLS).
#[derive(Clone, Copy)]
pub struct CookieName(pub &'static str);

#[derive(Deserialize)]
pub struct DownloadForm {
    #[serde(default)]
    export: String,
    #[serde(default)]
    code: String,
}

#[tracing::instrument(name = "export.download_request", skip_all)]
pub async fn download(
    Extension(portal): Extension<Portal>,
    Extension(cookie): Extension<CookieName>,
    Extension(client): Extension<app::api::ssr::ClientAddr>,
    headers: HeaderMap,
    Form(form): Form<DownloadForm>,
) -> Response {
    let Some(token) = app::api::ssr::cookie_in(&headers, cookie.0) else { return back("/sign-in?e=expired") };
    let session = match domain::identity::session::resolve(&portal, &token).await {
        Ok(Some(s)) if s.stage == Stage::Full => s,
        Ok(_) => return back("/sign-in?e=expired"),
        Err(e) => return unavailable(&e),
    };
    let meta = RequestMeta {
        ip: client.0.to_string(),
        user_agent: headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string(),
    };
    let download = match domain::export::open_download(&portal, session.customer_id, form.export.trim(), &form.code, &meta).await {
        Ok(d) => d,
        Err(Error::NotFound) => return not_found(&headers),
        Err(Error::Invalid { problem: Problem::Required, .. }) => return back("/export?e=code_required&f=download"),
        Err(Error::Invalid { .. }) => return back("/export?e=code_malformed&f=download"),
        Err(Error::BadCredentials) => return back("/export?e=credentials&f=download"),
        Err(Error::Throttled { .. }) => return back("/export?e=locked&f=download"),
        Err(Error::Link(LinkProblem::Expired)) => return back("/export?e=export_expired&f=download"),
        Err(e) => return unavailable(&e),
    };
    let (parts, size, file_name) = (download.parts, download.size, download.file_name.clone());
    let body = futures_util::stream::unfold(0i64, move |seq| {
        let portal = portal.clone();
        let download = download.clone();
        async move {
            if seq >= parts {
                return None;
            }
            let part = domain::export::read_part(&portal, &download, seq).await.map(Bytes::from).map_err(|e| {
                tracing::error!(error = %e, "an export part could not be read; the download is cut short");
                std::io::Error::other("export part unavailable")
            });
            Some((part, seq + 1))
        }
    });
    let mut response = Body::from_stream(body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    // The name is ours ("custodia-export-C-…-2026-11-26.zip"), nothing the request chose.
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

fn back(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn unavailable(e: &Error) -> Response {
    tracing::error!(error = %e, "export download failed");
    back("/export?e=unavailable")
}

fn not_found(headers: &HeaderMap) -> Response {
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default();
    let (title, text, back) = match lang {
        Lang::En => ("Not found", "There is no such export on your account.", "Back to your exports"),
        Lang::Es => ("No encontrado", "No hay ninguna exportación así en tu cuenta.", "Volver a tus exportaciones"),
        Lang::It => ("Non trovato", "Non c'è nessuna esportazione simile nel tuo account.", "Torna alle tue esportazioni"),
    };
    let page = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p>{text}</p><p><a href=\"/export\">{back}</a></p></main></body></html>",
        lang.code()
    );
    (StatusCode::NOT_FOUND, Html(page)).into_response()
}
