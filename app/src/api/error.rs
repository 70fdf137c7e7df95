//! The error server functions send to the browser: a kind, never a message from inside.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("not found")]
    NotFound,
    /// Signed in, but not in a role that may do this.
    #[error("forbidden")]
    Forbidden,
    #[error("bad request")]
    BadRequest,
    #[error("temporarily unavailable")]
    Unavailable,
    /// An emailed link that cannot be used; the code says why (`link_expired`, …).
    #[error("link not usable")]
    Link(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            _ => AppError::Unavailable,
        }
    }
}
