//! Leptos answers every failed server function with 500. Script callers deserve the real class of
//! failure, and monitoring must not count a mistyped form as a server fault: this maps the
//! app's error kinds (the JSON body of such a response) to their HTTP statuses.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Error bodies are a few bytes of JSON; anything bigger is not one of ours.
const MAX_ERROR_BODY: usize = 4096;

pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let status = match serde_json::from_slice::<app::api::AppError>(&bytes) {
        Ok(app::api::AppError::BadRequest) => StatusCode::BAD_REQUEST,
        Ok(app::api::AppError::NotFound) => StatusCode::NOT_FOUND,
        Ok(app::api::AppError::Unauthenticated) => StatusCode::UNAUTHORIZED,
        Ok(app::api::AppError::Forbidden) => StatusCode::FORBIDDEN,
        Ok(app::api::AppError::Link(_)) => StatusCode::GONE,
        Ok(app::api::AppError::Unavailable) => StatusCode::SERVICE_UNAVAILABLE,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    parts.status = status;
    Response::from_parts(parts, Body::from(bytes))
}
