//! Encryption at rest: the master key the company brings, the keys it wraps, each customer's
//! sealed fields, and re-wrapping everything under a new master key.

pub mod customer;
pub mod master;
pub mod rotation;

pub use customer::{CustomerKey, Person};
pub use master::{MasterKey, MasterKeys};
