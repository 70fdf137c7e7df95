//! Server functions, one per file. Each body is a thin call into the domain crate; the customer
//! always comes from the session on the server, never from the request's arguments.

pub mod access_log;
pub mod authenticator;
pub mod cancel_change;
pub mod change_form;
pub mod change_link;
pub mod consent;
pub mod dev_mailbox;
pub mod enrollment;
pub mod erasure;
pub mod export;
pub mod error;
pub mod incidents;
pub mod my_data;
pub mod my_request;
pub mod rate_request;
pub mod recovery_codes;
pub mod request_address_change;
pub mod reply_request;
pub mod request_change;
pub mod revert_email;
pub mod second_factor;
pub mod password;
pub mod password_reset;
pub mod sessions;
pub mod sign_in;
pub mod sign_out;
pub mod staff;
pub mod submit_request;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use error::AppError;
