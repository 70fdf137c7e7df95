//! Server functions of the data export: its state (with progress), and asking for one. The
//! download itself is a plain post handled outside Leptos (server/src/export_download.rs),
//! answered with the file.

pub mod progress;
pub mod request;
pub mod status;
pub mod views;
