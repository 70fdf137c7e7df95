//! Mail: rendered from askama templates in the recipient's language, queued in the outbox inside
//! the transaction of the change it reports, and delivered by a worker that retries until the
//! SMTP server takes it. With no SMTP server configured, mail lands in the dev mailbox.

pub mod dev_mailbox;
pub mod messages;
pub mod outbox;
pub mod templates;
pub mod texts;
pub mod transport;
pub mod worker;

use serde::{Deserialize, Serialize};

pub use outbox::enqueue;
pub use transport::{SendError, Transport};

/// A rendered message, ready for any transport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}
