//! Support staff: accounts made from the command line, their own sign-in with a mandatory
//! second factor, masked views of customers, and a log of every read the customer can see.

pub mod access;
pub mod account;
pub mod alerts;
pub mod customer_sessions;
pub mod directory;
pub mod masking;
pub mod session;
pub mod sign_in;

pub use account::{NewStaff, add};
pub use session::StaffSession;
pub use sign_in::{sign_in, sign_out};

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Works the queue; sees customers masked; reveals one field at a time with a reason.
    Agent,
    /// Everything an agent can, plus staff oversight (alerts, ratings) and the DPO pages.
    Dpo,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Dpo => "dpo",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "agent" => Some(Role::Agent),
            "dpo" => Some(Role::Dpo),
            _ => None,
        }
    }
}

/// A signed-in member of staff, as every staff operation receives it.
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i64,
    /// Shown to customers instead of a name or an email ("staff-3fa2b1c9").
    pub pseudonym: String,
    pub role: Role,
}

impl Staff {
    /// DPO-only operations call this first.
    pub fn require_dpo(&self) -> Result<()> {
        if self.role == Role::Dpo {
            return Ok(());
        }
        // A refused authorisation is a security event (ASVS 16.3.2); the pseudonym, not a name.
        tracing::warn!(staff = %self.pseudonym, needed = "dpo", "staff role refused");
        Err(Error::Forbidden)
    }
}

/// Sealed TOTP secrets of staff are bound to their staff id (and never open as a customer's).
pub(crate) fn totp_context(staff_id: i64) -> String {
    format!("staff-totp:{staff_id}")
}
