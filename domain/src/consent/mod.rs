//! The consent center: purposes a customer may consent to, each off until they turn it on
//! (privacy by default); an append-only ledger of receipts, one per change; and the
//! privacy-policy versions a DPO publishes, whose rewording of a purpose asks for it again.
//!
//! Giving and withdrawing are the same single step (Article 7(3) GDPR): no mail, no code.

pub mod center;
pub mod ledger;
pub mod policy;
pub mod purposes;

pub use ledger::{Choice, PurposeState, Receipt, State};
pub use policy::{PolicyVersion, Publish};
pub use purposes::Purpose;

/// How a receipt's change reached us; the portal's consent page is the only channel today.
pub const CHANNEL_PORTAL: &str = "portal";
