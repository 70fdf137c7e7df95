//! Server functions of the staff console. Each resolves the staff session on the server; what a
//! role may do is decided by the domain operation it calls.

pub mod assign;
pub mod customer;
pub mod end_sessions;
pub mod extend;
pub mod find_customer;
pub mod oversight;
pub mod propose;
pub mod queue;
pub mod reply;
pub mod request;
pub mod reveal;
pub mod sign_in;
pub mod sign_out;
pub mod views;
