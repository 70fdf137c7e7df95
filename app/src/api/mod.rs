//! Server functions, one per file. Each body is a thin call into the domain crate; the customer
//! always comes from the session on the server, never from the request's arguments.

pub mod enrollment;
pub mod error;
pub mod my_data;
pub mod recovery_codes;
pub mod second_factor;
pub mod sign_in;
pub mod sign_out;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use error::AppError;
