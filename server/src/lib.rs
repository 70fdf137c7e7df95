//! The Custodia web server: configuration, the HTTP stack around the Leptos app, and the admin
//! command line. `main.rs` only wires these together; tests start the whole thing on port 0.

pub mod assets;
pub mod client_address;
pub mod cli;
pub mod config;
pub mod downloads;
pub mod export_download;
pub mod error_status;
pub mod language;
pub mod panics;
pub mod security;
pub mod serving;
pub mod startup;
pub mod telemetry;

pub use config::Config;
pub use startup::Application;
