//! Replacing the authenticator app while signed in: a new phone, or a lost one after signing in
//! with a recovery code. First the current password and a code from the present authenticator
//! (or a recovery code) prove it is the customer; a new key is kept for this session only. Then a
//! code from the new app proves it was added, and in one transaction the key is swapped, fresh
//! recovery codes replace the old, every other session ends, and the change is audited and mailed.

use super::enrollment::{Enrollment, describe};
use super::password::{self, MAX_LEN};
use super::sign_in::{authenticator, consume_step, fail, totp_context};
use super::{RequestMeta, Session, Stage, recovery, session, throttle, totp};
use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::mail::{self, messages, templates};
use crate::{Error, Portal, Result, vault};

/// Checks the password and the present factor, then keeps a new key for this session.
#[tracing::instrument(name = "identity.start_authenticator_change", skip_all)]
pub async fn start(portal: &Portal, session: &Session, current: &str, proof: &str, meta: &RequestMeta) -> Result<()> {
    full(session)?;
    if current.is_empty() {
        return Err(Error::invalid("current_password", Problem::Required));
    }
    if current.chars().count() > MAX_LEN {
        return Err(Error::invalid("current_password", Problem::TooLong));
    }
    let proof = proof.trim();
    if proof.is_empty() {
        return Err(Error::invalid("code", Problem::Required));
    }
    if proof.len() > 64 {
        return Err(Error::invalid("code", Problem::TooLong));
    }
    let customer = session.customer_id;
    // The throttle first, so a locked account is not hashed for.
    let (subjects, secret) = authenticator(portal, customer, meta).await?;
    let (stored,): (String,) =
        sqlx::query_as("SELECT password_hash FROM customers WHERE id = $1").bind(customer).fetch_one(portal.store.pool()).await?;
    if !password::verify(current, Some(stored)).await? {
        fail(portal, &subjects, Some(customer), "current password", meta).await?;
        return Err(Error::invalid("current_password", Problem::Malformed));
    }

    let mut tx = portal.store.begin().await?;
    let (accepted, by_recovery) = match totp::parse_code(proof) {
        Some(code) => match totp::matching_step(&secret, &code, portal.now())? {
            Some(step) => (consume_step(&mut tx, customer, step).await?, false),
            None => (false, false),
        },
        None => (recovery::consume(&mut tx, portal, customer, proof).await?, true),
    };
    if !accepted {
        tx.rollback().await?;
        fail(portal, &subjects, Some(customer), "authenticator change code", meta).await?;
        return Err(Error::BadCredentials);
    }
    let sealed = portal.keys.seal(&totp_context(customer), &totp::new_secret())?;
    sqlx::query("UPDATE sessions SET totp_pending_enc = $1 WHERE id_hash = $2")
        .bind(sealed)
        .bind(&session.id_hash)
        .execute(&mut *tx)
        .await?;
    let detail = if by_recovery { "proven with a recovery code" } else { "proven with the authenticator" };
    audit::record(
        &mut tx,
        portal.now(),
        Entry { actor: Actor::Customer, customer_id: Some(customer), action: "identity.authenticator_change_started", detail, ip: Some(&meta.ip) },
    )
    .await?;
    tx.commit().await?;
    // Proven like a sign-in, forgiven like one.
    throttle::clear_account(portal, &subjects).await?;
    Ok(())
}

/// The new key this session is adding, if a change was started here.
pub async fn pending(portal: &Portal, session: &Session) -> Result<Option<Enrollment>> {
    full(session)?;
    let Some(sealed) = pending_sealed(portal, session).await? else { return Ok(None) };
    let secret = portal.keys.open(&totp_context(session.customer_id), &sealed)?;
    let person = vault::customer::person(portal.store.pool(), portal, session.customer_id).await?.ok_or(Error::Unauthenticated)?;
    describe(&secret, person.email).map(Some)
}

async fn pending_sealed(portal: &Portal, session: &Session) -> Result<Option<Vec<u8>>> {
    let row: Option<(Option<Vec<u8>>,)> = sqlx::query_as("SELECT totp_pending_enc FROM sessions WHERE id_hash = $1")
        .bind(&session.id_hash)
        .fetch_optional(portal.store.pool())
        .await?;
    Ok(row.and_then(|(sealed,)| sealed))
}

/// Checks a code from the new app and makes its key the customer's; returns how many other
/// sessions ended. The new recovery codes are kept for this session to show once.
#[tracing::instrument(name = "identity.finish_authenticator_change", skip_all)]
pub async fn finish(portal: &Portal, session: &Session, input: &str, meta: &RequestMeta) -> Result<u64> {
    full(session)?;
    let Some(sealed) = pending_sealed(portal, session).await? else { return Err(Error::NotFound) };
    let Some(code) = totp::parse_code(input) else {
        let problem = if input.trim().is_empty() { Problem::Required } else { Problem::Malformed };
        return Err(Error::invalid("new_code", problem));
    };
    let customer = session.customer_id;
    let (subjects, _) = authenticator(portal, customer, meta).await?;
    let new_secret = portal.keys.open(&totp_context(customer), &sealed)?;
    let Some(step) = totp::matching_step(&new_secret, &code, portal.now())? else {
        fail(portal, &subjects, Some(customer), "new authenticator code", meta).await?;
        return Err(Error::BadCredentials);
    };

    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    // Taken in the same statement that checks it, so two tabs cannot both finish.
    let taken = sqlx::query("UPDATE sessions SET totp_pending_enc = NULL WHERE id_hash = $1 AND totp_pending_enc = $2")
        .bind(&session.id_hash)
        .bind(&sealed)
        .execute(&mut *tx)
        .await?;
    if taken.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(Error::NotFound);
    }
    sqlx::query("UPDATE customers SET totp_secret_enc = $1, totp_last_step = $2, totp_enabled_at = $3, updated_at = $3 WHERE id = $4")
        .bind(&sealed)
        .bind(step)
        .bind(now)
        .bind(customer)
        .execute(&mut *tx)
        .await?;
    let codes = recovery::generate();
    recovery::store(&mut tx, portal, customer, &codes).await?;
    session::put_reveal(&mut tx, portal, &session.id_hash, &codes.join("\n")).await?;
    let ended = session::end_all_but(&mut tx, customer, &session.id_hash).await?;
    crate::activity::record(&mut tx, customer, now, "authenticator_changed", "", meta).await?;
    let detail = format!("others_ended:{ended}; 10 recovery codes issued");
    audit::record(
        &mut tx,
        now,
        Entry { actor: Actor::Customer, customer_id: Some(customer), action: "identity.authenticator_changed", detail: &detail, ip: Some(&meta.ip) },
    )
    .await?;
    let person = vault::customer::existing_person(&mut *tx, portal, customer).await?;
    let message = messages::authenticator_changed(person.lang(), &person.full_name, now, ended);
    mail::enqueue(&mut tx, portal, Some(customer), "authenticator_changed", &templates::render(&person.email, &message)?).await?;
    tx.commit().await?;
    throttle::clear_account(portal, &subjects).await?;
    portal.wake_mail();
    Ok(ended)
}

fn full(session: &Session) -> Result<()> {
    if session.stage != Stage::Full {
        return Err(Error::Unauthenticated);
    }
    Ok(())
}
