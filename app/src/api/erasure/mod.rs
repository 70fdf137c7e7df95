//! Server functions of erasure: the preview, the request (confirmed by link + code), the cancel.

pub mod cancel;
pub mod preview;
pub mod request;
pub mod views;
