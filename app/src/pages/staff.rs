//! The staff console: sign-in, the queue, one request, one customer, DPO oversight.

pub mod customer;
pub mod incident;
pub mod incidents;
pub mod oversight;
pub mod policy;
pub mod queue;
pub mod records;
pub mod request;
pub mod sign_in;
