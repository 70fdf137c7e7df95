//! Signing in: email and password, then a TOTP or recovery code (or, the first time, enrollment).
//! Every failure gives the same answer and counts against the account and the address.

use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::store::Tx;
use crate::{Error, Portal, Result};

use super::session::{self, NewSession, Session, Stage};
use super::throttle::{self, Subjects};
use super::{RequestMeta, password, recovery, totp};

pub const MAX_EMAIL_LEN: usize = 254;

#[derive(Debug)]
pub enum SignInStep {
    NeedsCode(NewSession),
    NeedsEnrollment(NewSession),
}

#[tracing::instrument(name = "identity.sign_in", skip_all)]
pub async fn sign_in(
    portal: &Portal,
    email: &str,
    password_input: &str,
    meta: &RequestMeta,
    previous_token: Option<&str>,
) -> Result<SignInStep> {
    let email = super::validated_email(email)?;
    if password_input.is_empty() {
        return Err(Error::invalid("password", Problem::Required));
    }
    if password_input.chars().count() > password::MAX_LEN {
        return Err(Error::invalid("password", Problem::TooLong));
    }
    let subjects = Subjects::new(portal, &email, &meta.ip);
    throttle::check(portal, &subjects).await?;

    let row: Option<(i64, String, Option<i64>, Option<Vec<u8>>)> = sqlx::query_as(
        "SELECT id, password_hash, totp_enabled_at, totp_pending_enc FROM customers WHERE email_lookup = $1",
    )
    .bind(portal.keys.email_lookup(&email))
    .fetch_optional(portal.store.pool())
    .await?;
    let (customer_id, stored_hash) = match &row {
        Some((id, hash, ..)) => (Some(*id), Some(hash.clone())),
        None => (None, None),
    };
    if !password::verify(password_input, stored_hash).await? {
        fail(portal, &subjects, customer_id, "password", meta).await?;
        return Err(Error::BadCredentials);
    }
    let Some((customer_id, _, totp_enabled_at, pending)) = row else {
        return Err(Error::BadCredentials); // unreachable: verify() is false without an account
    };

    let mut tx = portal.store.begin().await?;
    if let Some(previous) = previous_token {
        delete_token(&mut tx, previous).await?;
    }
    let step = if totp_enabled_at.is_some() {
        let (new, _) = session::create(&mut tx, portal, customer_id, Stage::NeedsCode, meta).await?;
        SignInStep::NeedsCode(new)
    } else {
        if pending.is_none() {
            let sealed = portal.keys.seal(&totp_context(customer_id), &totp::new_secret())?;
            sqlx::query("UPDATE customers SET totp_pending_enc = $1 WHERE id = $2")
                .bind(sealed)
                .bind(customer_id)
                .execute(&mut *tx)
                .await?;
        }
        let (new, _) =
            session::create(&mut tx, portal, customer_id, Stage::NeedsEnrollment, meta).await?;
        SignInStep::NeedsEnrollment(new)
    };
    tx.commit().await?;
    Ok(step)
}

/// Accepts a TOTP code, or a recovery code in its place, for a half-signed-in session and
/// replaces that session by a full one with a new id.
#[tracing::instrument(name = "identity.second_factor", skip_all)]
pub async fn verify_second_factor(
    portal: &Portal,
    session: &Session,
    input: &str,
    meta: &RequestMeta,
) -> Result<NewSession> {
    if session.stage != Stage::NeedsCode {
        return Err(Error::Unauthenticated);
    }
    if input.trim().is_empty() {
        return Err(Error::invalid("code", Problem::Required));
    }
    if input.len() > 64 {
        return Err(Error::invalid("code", Problem::TooLong));
    }
    let (subjects, secret) = authenticator(portal, session.customer_id, meta).await?;
    let mut tx = portal.store.begin().await?;
    let (accepted, used_recovery) = match totp::parse_code(input) {
        Some(code) => match totp::matching_step(&secret, &code, portal.now())? {
            Some(step) => (consume_step(&mut tx, session.customer_id, step).await?, false),
            None => (false, false),
        },
        None => (recovery::consume(&mut tx, portal, session.customer_id, input).await?, true),
    };
    if !accepted {
        tx.rollback().await?;
        let what = if used_recovery { "recovery_code" } else { "totp" };
        fail(portal, &subjects, Some(session.customer_id), what, meta).await?;
        return Err(Error::BadCredentials);
    }
    let new = complete(&mut tx, portal, session, meta).await?;
    if used_recovery {
        audit::record(
            &mut tx,
            portal.now(),
            Entry {
                actor: Actor::Customer,
                customer_id: Some(session.customer_id),
                action: "identity.recovery_code_used",
                detail: "a recovery code was used in place of the authenticator",
                ip: Some(&meta.ip),
            },
        )
        .await?;
    }
    tx.commit().await?;
    throttle::clear_account(portal, &subjects).await?;
    Ok(new)
}

/// The customer's authenticator secret, once their throttle allows another try; with the
/// throttle subjects a failure is counted against.
pub(crate) async fn authenticator(portal: &Portal, customer_id: i64, meta: &RequestMeta) -> Result<(Subjects, Vec<u8>)> {
    let (secret_enc,): (Option<Vec<u8>>,) = sqlx::query_as("SELECT totp_secret_enc FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(portal.store.pool())
        .await?
        .ok_or(Error::Unauthenticated)?;
    let secret_enc = secret_enc.ok_or(Error::Unauthenticated)?;
    let person = crate::vault::customer::person(portal.store.pool(), portal, customer_id).await?.ok_or(Error::Unauthenticated)?;
    let subjects = Subjects::new(portal, &person.email, &meta.ip);
    throttle::check(portal, &subjects).await?;
    let secret = portal.keys.open(&totp_context(customer_id), &secret_enc)?;
    Ok((subjects, secret))
}

/// Accepts the step only if it is later than every step used before: one code, one use, even
/// when two requests race (the condition is checked and set in one statement).
pub(crate) async fn consume_step(tx: &mut Tx, customer_id: i64, step: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE customers SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
    )
    .bind(step)
    .bind(customer_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the half session and opens a full one, recording the sign-in where the customer sees it.
pub(crate) async fn complete(
    tx: &mut Tx,
    portal: &Portal,
    half: &Session,
    meta: &RequestMeta,
) -> Result<NewSession> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(&half.id_hash)
        .execute(&mut **tx)
        .await?;
    let (new, _) = session::create(tx, portal, half.customer_id, Stage::Full, meta).await?;
    let now = portal.now();
    crate::activity::record(tx, half.customer_id, now, "sign_in", "", meta).await?;
    audit::record(
        tx,
        now,
        Entry {
            actor: Actor::Customer,
            customer_id: Some(half.customer_id),
            action: "identity.signed_in",
            detail: "",
            ip: Some(&meta.ip),
        },
    )
    .await?;
    Ok(new)
}

pub(crate) async fn fail(
    portal: &Portal,
    subjects: &Subjects,
    customer_id: Option<i64>,
    what: &'static str,
    meta: &RequestMeta,
) -> Result<()> {
    tracing::warn!(factor = what, subject = subjects.log_tag(), "sign-in attempt refused");
    throttle::record_failure(portal, subjects).await?;
    audit::record_alone(
        portal,
        Entry {
            actor: Actor::System,
            customer_id,
            action: "identity.sign_in_refused",
            detail: what,
            ip: Some(&meta.ip),
        },
    )
    .await
}

/// Ends the session on the server; the cookie alone is worth nothing afterwards.
#[tracing::instrument(name = "identity.sign_out", skip_all)]
pub async fn sign_out(portal: &Portal, token: &str) -> Result<()> {
    let mut tx = portal.store.begin().await?;
    let customer: Option<(i64,)> =
        sqlx::query_as("DELETE FROM sessions WHERE id_hash = $1 RETURNING customer_id")
            .bind(crate::keys::token_hash(token))
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((customer_id,)) = customer {
        audit::record(
            &mut tx,
            portal.now(),
            Entry {
                actor: Actor::Customer,
                customer_id: Some(customer_id),
                action: "identity.signed_out",
                detail: "",
                ip: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn delete_token(tx: &mut Tx, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(crate::keys::token_hash(token))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sealed TOTP secrets are bound to their customer.
pub(crate) fn totp_context(customer_id: i64) -> String {
    format!("totp:{customer_id}")
}
