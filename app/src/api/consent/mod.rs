//! Server functions of the consent center (customers) and of privacy-policy versions (DPOs).

pub mod acknowledge_policy;
pub mod center;
pub mod policy_editor;
pub mod publish_policy;
pub mod receipts;
pub mod set;
pub mod views;
