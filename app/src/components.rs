//! View pieces shared by pages.

pub mod authenticator_key;
pub mod category;
pub mod erasure_banner;
pub mod failure;
pub mod field;
pub mod header;
pub mod incident_banner;
pub mod islands;
pub mod notice;
pub mod pending_changes;
pub mod policy_banner;
pub mod requests;
pub mod sign_out;
pub mod staff_bar;
pub mod timeline;
