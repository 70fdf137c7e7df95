//! Changing the password while signed in. The current password and a fresh authenticator code
//! prove it is the customer, so a stolen session cookie alone can neither lock them out nor
//! take the account over. The new password replaces the old, every other session ends (whoever
//! knew the old one is signed out), the code is used up, the change is audited and the customer
//! is told by mail: all in one transaction. Common passwords and ones built on the customer's
//! own name or email are refused.

use super::password::{self, MAX_LEN};
use super::{RequestMeta, Session, Stage, new_password, step_up};
use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::mail::{self, messages, templates};
use crate::{Error, Portal, Result, vault};

/// Changes the password; returns how many other sessions ended.
#[tracing::instrument(name = "identity.change_password", skip_all)]
pub async fn change(portal: &Portal, session: &Session, current: &str, new: &str, code: &str, meta: &RequestMeta) -> Result<u64> {
    if session.stage != Stage::Full {
        return Err(Error::Unauthenticated);
    }
    if current.is_empty() {
        return Err(Error::invalid("current_password", Problem::Required));
    }
    if current.chars().count() > MAX_LEN {
        return Err(Error::invalid("current_password", Problem::TooLong));
    }
    new_password::check_length(new)?;
    if new == current {
        return Err(Error::invalid("new_password", Problem::Unchanged));
    }
    let customer = session.customer_id;
    let person = vault::customer::person(portal.store.pool(), portal, customer).await?.ok_or(Error::Unauthenticated)?;
    new_password::check_not_guessable(portal, new, &person).await?;
    // The code first: it checks the account's throttle, so a locked account is not hashed for.
    let step = step_up::check(portal, customer, code, "password change code", meta).await?;
    let (stored,): (String,) =
        sqlx::query_as("SELECT password_hash FROM customers WHERE id = $1").bind(customer).fetch_one(portal.store.pool()).await?;
    if !password::verify(current, Some(stored)).await? {
        // Counted against the account like a wrong code (the step-up holds its throttle keys).
        step.refuse(portal, "current password", meta).await?;
        return Err(Error::invalid("current_password", Problem::Malformed));
    }
    let hash = password::hash(new).await?;

    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    if !step.consume(&mut tx).await? {
        tx.rollback().await?;
        return Err(step.refuse(portal, "password change code", meta).await?);
    }
    new_password::store(&mut tx, customer, &hash, now).await?;
    let ended = super::session::end_all_but(&mut tx, customer, &session.id_hash).await?;
    crate::activity::record(&mut tx, customer, now, "password_changed", "", meta).await?;
    let detail = format!("others_ended:{ended}");
    audit::record(&mut tx, now, Entry { actor: Actor::Customer, customer_id: Some(customer), action: "identity.password_changed", detail: &detail, ip: Some(&meta.ip) })
        .await?;
    let message = messages::password_changed(person.lang(), &person.full_name, now, ended);
    mail::enqueue(&mut tx, portal, Some(customer), "password_changed", &templates::render(&person.email, &message)?).await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(ended)
}
