//! Verified changes: nothing about a customer changes until they confirm it twice over, with a
//! single-use link mailed to them (proving the mailbox) and a code from their authenticator
//! (proving the device). Then the change, its audit row and its notice are one transaction.
//!
//! request -> pending change + token hash + outbox mail ; GET link -> preview, writes nothing ;
//! POST code -> consume token, consume TOTP step, apply, audit, notify.

pub mod confirm;
pub mod field;
pub mod pending;
pub mod request;
pub mod revert;

pub use confirm::{Confirmed, Preview, confirm, current, preview};
pub use field::{AddressValue, Field, NewValue};
pub use pending::{PendingChange, cancel, pending_for};
pub use request::request_change;
pub use revert::{RevertPreview, revert_email, revert_preview};

use crate::Portal;

/// Binds a pending change's content to its token: editing the stored row after the link was
/// mailed makes the link refuse to apply it.
pub(crate) fn payload_hash(portal: &Portal, customer_id: i64, field: &Field, new_value: &str, token_hash: &str) -> String {
    portal.keys.lookup_hash(
        "pending-change",
        &format!("{customer_id}\u{1f}{}\u{1f}{}\u{1f}{new_value}\u{1f}{token_hash}", field.key(), field.target().unwrap_or(0)),
    )
}
