//! First sign-in: the customer adds Custodia to an authenticator app and proves it with a code;
//! then ten recovery codes are issued and shown once.

use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::{Error, Portal, Result};

use super::session::{self, NewSession, Session, Stage};
use super::sign_in::{complete, fail, totp_context};
use super::throttle::{self, Subjects};
use super::{RequestMeta, recovery, totp};

pub const ISSUER: &str = "Custodia";

/// What the enrollment page shows: the key as text, and as a QR code of its otpauth URI.
#[derive(Debug, Clone)]
pub struct Enrollment {
    pub account: String,
    pub secret_base32: String,
    pub otpauth_uri: String,
    pub qr_svg: String,
}

pub async fn enrollment(portal: &Portal, session: &Session) -> Result<Enrollment> {
    let (email, pending) = pending_secret(portal, session).await?;
    let secret = portal.keys.open(&totp_context(session.customer_id), &pending)?;
    describe(&secret, email)
}

/// The key of a new authenticator as the customer adds it to their app.
pub(crate) fn describe(secret: &[u8], account: String) -> Result<Enrollment> {
    let uri = totp::otpauth_uri(secret, ISSUER, &account);
    Ok(Enrollment { qr_svg: totp::qr_svg(&uri)?, secret_base32: totp::secret_base32(secret), otpauth_uri: uri, account })
}

async fn pending_secret(portal: &Portal, session: &Session) -> Result<(String, Vec<u8>)> {
    if session.stage != Stage::NeedsEnrollment {
        return Err(Error::Unauthenticated);
    }
    let (pending,): (Option<Vec<u8>>,) = sqlx::query_as("SELECT totp_pending_enc FROM customers WHERE id = $1")
        .bind(session.customer_id)
        .fetch_optional(portal.store.pool())
        .await?
        .ok_or(Error::Unauthenticated)?;
    let person = crate::vault::customer::person(portal.store.pool(), portal, session.customer_id).await?.ok_or(Error::Unauthenticated)?;
    Ok((person.email, pending.ok_or(Error::Unauthenticated)?))
}

/// Checks the first code against the pending key, makes that key the customer's, issues
/// recovery codes (kept for this new session to show once) and signs the customer in fully.
#[tracing::instrument(name = "identity.confirm_enrollment", skip_all)]
pub async fn confirm_enrollment(
    portal: &Portal,
    session: &Session,
    input: &str,
    meta: &RequestMeta,
) -> Result<NewSession> {
    let (email, pending) = pending_secret(portal, session).await?;
    let Some(code) = totp::parse_code(input) else {
        let problem = if input.trim().is_empty() { Problem::Required } else { Problem::Malformed };
        return Err(Error::invalid("code", problem));
    };
    let subjects = Subjects::new(portal, &email, &meta.ip);
    throttle::check(portal, &subjects).await?;
    let secret = portal.keys.open(&totp_context(session.customer_id), &pending)?;
    let Some(step) = totp::matching_step(&secret, &code, portal.now())? else {
        fail(portal, &subjects, Some(session.customer_id), "enrollment_code", meta).await?;
        return Err(Error::BadCredentials);
    };

    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let done = sqlx::query(
        "UPDATE customers SET totp_secret_enc = totp_pending_enc, totp_pending_enc = NULL, \
         totp_enabled_at = $1, totp_last_step = $2, updated_at = $1 \
         WHERE id = $3 AND totp_enabled_at IS NULL AND totp_pending_enc IS NOT NULL \
         AND totp_last_step < $2",
    )
    .bind(now)
    .bind(step)
    .bind(session.customer_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(Error::BadCredentials);
    }
    let codes = recovery::generate();
    recovery::store(&mut tx, portal, session.customer_id, &codes).await?;
    let new = complete(&mut tx, portal, session, meta).await?;
    let new_hash = crate::keys::token_hash(&new.token);
    session::put_reveal(&mut tx, portal, &new_hash, &codes.join("\n")).await?;
    audit::record(
        &mut tx,
        now,
        Entry {
            actor: Actor::Customer,
            customer_id: Some(session.customer_id),
            action: "identity.totp_enrolled",
            detail: "authenticator added; 10 recovery codes issued",
            ip: Some(&meta.ip),
        },
    )
    .await?;
    tx.commit().await?;
    throttle::clear_account(portal, &subjects).await?;
    Ok(new)
}

/// The recovery codes issued to this session at enrollment, once; None afterwards.
pub async fn take_recovery_codes(portal: &Portal, session: &Session) -> Result<Option<Vec<String>>> {
    if session.stage != Stage::Full {
        return Err(Error::Unauthenticated);
    }
    Ok(session::take_reveal(portal, session)
        .await?
        .map(|text| text.lines().map(str::to_owned).collect()))
}
