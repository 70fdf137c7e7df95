//! One page per file.

pub mod access_log;
pub mod authenticator;
pub mod change;
pub mod confirm;
pub mod confirmed;
pub mod consent;
pub mod dev_mailbox;
pub mod enroll;
pub mod erasure;
pub mod export;
pub mod forgot_password;
pub mod my_data;
pub mod my_request;
pub mod new_request;
pub mod not_found;
pub mod recovery_codes;
pub mod reset_password;
pub mod revert_email;
pub mod password;
pub mod sessions;
pub mod sign_in;
pub mod sign_in_code;
pub mod staff;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The outcome code a redirect left in the URL (`?e=credentials`), if any.
pub(crate) fn outcome() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("e"))
}
