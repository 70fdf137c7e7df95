//! Custodia's domain: the rules about personal data and the storage behind them.
//!
//! Nothing here knows about HTTP or Leptos. The web layer calls these functions with a customer
//! taken from its session and maps [`Error`] to messages for people.

pub mod activity;
pub mod audit;
pub mod catalogue;
pub mod clock;
pub mod consent;
pub mod demo;
pub mod erasure;
pub mod export;
pub mod error;
pub mod identity;
pub mod import;
pub mod incidents;
pub mod jobs;
pub mod keys;
pub mod locale;
pub mod mail;
pub mod portal;
pub mod profile;
pub mod records;
pub mod requests;
pub mod retention;
pub mod staff;
pub mod store;
pub mod vault;
#[cfg(feature = "testing")]
pub mod testing;
pub mod verification;

pub use clock::Clock;
pub use error::{Error, Result};
pub use keys::Keys;
pub use locale::Lang;
pub use portal::{Policy, Portal};
pub use store::{Backend, Store};
