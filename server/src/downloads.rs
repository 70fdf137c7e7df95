//! Server functions reached by GET are links: downloads such as the consent receipts. A browser
//! following a link says it accepts HTML, and leptos_axum takes any request accepting HTML for
//! a plain form post and answers it with a redirect instead of the file. A GET is never a form
//! post here, so for GETs under /api the HTML preference is taken out before the request
//! reaches the server function.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

pub async fn links_are_not_forms(mut req: Request, next: Next) -> Response {
    if req.method() == Method::GET && req.uri().path().starts_with("/api/") {
        req.headers_mut().insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    }
    next.run(req).await
}
