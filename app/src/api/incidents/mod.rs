//! Server functions for breaches (DPO console) and their notices to customers.

pub mod acknowledge;
pub mod authority_notified;
pub mod incident;
pub mod list;
pub mod notify;
pub mod record;
pub mod records;
pub mod views;

#[cfg(feature = "ssr")]
pub(crate) use domain::locale::parse_moment;
