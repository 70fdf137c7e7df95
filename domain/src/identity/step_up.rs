//! A fresh code from the customer's authenticator for acts that need more than a session:
//! asking for an export and downloading it. Each code works once (the same replay guard as
//! sign-in) and wrong codes count toward the same account throttle, so a stolen session cookie
//! alone can neither take the data nor guess its way to it.

use super::sign_in::{authenticator, consume_step, fail};
use super::throttle::Subjects;
use super::{RequestMeta, totp};
use crate::error::Problem;
use crate::store::Tx;
use crate::{Error, Portal, Result};

/// A code that matched the authenticator; [`StepUp::consume`] it inside the transaction that
/// does the act, so the act and the code's single use commit together.
#[must_use]
pub struct StepUp {
    customer_id: i64,
    step: i64,
    subjects: Subjects,
}

/// Checks the code without writing; a wrong one is counted and refused.
pub async fn check(portal: &Portal, customer_id: i64, input: &str, what: &'static str, meta: &RequestMeta) -> Result<StepUp> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Error::invalid("code", Problem::Required));
    }
    let Some(code) = totp::parse_code(input) else {
        return Err(Error::invalid("code", Problem::Malformed));
    };
    let (subjects, secret) = authenticator(portal, customer_id, meta).await?;
    match totp::matching_step(&secret, &code, portal.now())? {
        Some(step) => Ok(StepUp { customer_id, step, subjects }),
        None => {
            fail(portal, &subjects, Some(customer_id), what, meta).await?;
            Err(Error::BadCredentials)
        }
    }
}

impl StepUp {
    /// Uses the code up; false when it (or a later one) was used already: a replay.
    pub async fn consume(&self, tx: &mut Tx) -> Result<bool> {
        consume_step(tx, self.customer_id, self.step).await
    }

    /// Counts a replayed code like a wrong one (after the caller's transaction ended).
    pub async fn refuse(self, portal: &Portal, what: &'static str, meta: &RequestMeta) -> Result<Error> {
        fail(portal, &self.subjects, Some(self.customer_id), what, meta).await?;
        Ok(Error::BadCredentials)
    }
}
