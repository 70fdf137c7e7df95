//! A request whose handler panics gets a plain page saying so, in the portal's three languages,
//! instead of a dropped connection; the server goes on serving. Writes are transactions, so a
//! panic leaves nothing half-done: the transaction it interrupted is rolled back when dropped.
//! What the panic said is never shown or logged (it may hold personal data).

use std::any::Any;

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use tower_http::catch_panic::CatchPanicLayer;

const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Custodia</title></head>\
<body><main><h1>Something went wrong on our side</h1>\
<p>Nothing was left half-done. Please go back and try again.</p>\
<p lang=\"es\">Algo ha fallado por nuestra parte. Nada ha quedado a medias. Vuelve atrás e inténtalo de nuevo.</p>\
<p lang=\"it\">Qualcosa è andato storto da parte nostra. Nulla è rimasto a metà. Torna indietro e riprova.</p>\
<p><a href=\"/\">Custodia</a></p></main></body></html>\n";

fn answer(_panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    tracing::error!("a request handler panicked; answered 500");
    let mut res = Response::new(Body::from(PAGE));
    *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res
}

pub fn layer() -> CatchPanicLayer<fn(Box<dyn Any + Send + 'static>) -> Response<Body>> {
    CatchPanicLayer::custom(answer as fn(Box<dyn Any + Send + 'static>) -> Response<Body>)
}
