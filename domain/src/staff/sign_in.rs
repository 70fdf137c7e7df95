//! Staff sign in on their own page with email, password and an authenticator code, all three
//! at once: there is no half-signed-in staff session to attack. Failures are throttled like
//! customers' and answered the same way whatever was wrong.

use super::session::{self, NewStaffSession};
use super::totp_context;
use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::identity::throttle::{self, Subjects};
use crate::identity::{RequestMeta, normalize_email, password, totp};
use crate::{Error, Portal, Result};

#[tracing::instrument(name = "staff.sign_in", skip_all)]
pub async fn sign_in(portal: &Portal, email: &str, password_input: &str, code: &str, meta: &RequestMeta) -> Result<NewStaffSession> {
    let email = normalize_email(email);
    if email.is_empty() {
        return Err(Error::invalid("email", Problem::Required));
    }
    if email.len() > crate::identity::sign_in::MAX_EMAIL_LEN {
        return Err(Error::invalid("email", Problem::TooLong));
    }
    if password_input.is_empty() {
        return Err(Error::invalid("password", Problem::Required));
    }
    if password_input.chars().count() > password::MAX_LEN {
        return Err(Error::invalid("password", Problem::TooLong));
    }
    if code.trim().is_empty() {
        return Err(Error::invalid("code", Problem::Required));
    }
    let Some(code) = totp::parse_code(code) else {
        return Err(Error::invalid("code", Problem::Malformed));
    };
    // Staff accounts are throttled under their own keys, apart from any customer's.
    let subjects = Subjects::new(portal, &format!("staff:{email}"), &meta.ip);
    throttle::check(portal, &subjects).await?;

    let row: Option<(i64, String, Vec<u8>, Option<i64>)> =
        sqlx::query_as("SELECT id, password_hash, totp_secret_enc, disabled_at FROM staff WHERE email = $1")
            .bind(&email)
            .fetch_optional(portal.store.pool())
            .await?;
    let live = row.filter(|r| r.3.is_none());
    let password_ok = password::verify(password_input, live.as_ref().map(|r| r.1.clone())).await?;
    let accepted = match (&live, password_ok) {
        (Some((id, _, sealed, _)), true) => {
            let secret = portal.keys.open(&totp_context(*id), sealed)?;
            totp::matching_step(&secret, &code, portal.now())?.map(|step| (*id, step))
        }
        _ => None,
    };
    let Some((staff_id, step)) = accepted else {
        return refuse(portal, &subjects, meta).await;
    };

    let mut tx = portal.store.begin().await?;
    // One code, one use, even when two sign-ins race.
    let fresh = sqlx::query("UPDATE staff SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
        .bind(step)
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    if fresh.rows_affected() != 1 {
        tx.rollback().await?;
        return refuse(portal, &subjects, meta).await;
    }
    let new = session::create(&mut tx, portal, staff_id, meta).await?;
    let (pseudonym,): (String,) = sqlx::query_as("SELECT pseudonym FROM staff WHERE id = $1").bind(staff_id).fetch_one(&mut *tx).await?;
    audit::record(&mut tx, portal.now(), Entry { actor: Actor::Staff, customer_id: None, action: "staff.signed_in", detail: &pseudonym, ip: Some(&meta.ip) }).await?;
    tx.commit().await?;
    throttle::clear_account(portal, &subjects).await?;
    Ok(new)
}

async fn refuse<T>(portal: &Portal, subjects: &Subjects, meta: &RequestMeta) -> Result<T> {
    tracing::warn!(subject = subjects.log_tag(), "staff sign-in refused");
    throttle::record_failure(portal, subjects).await?;
    audit::record_alone(portal, Entry { actor: Actor::System, customer_id: None, action: "staff.sign_in_refused", detail: "", ip: Some(&meta.ip) }).await?;
    Err(Error::BadCredentials)
}

pub async fn sign_out(portal: &Portal, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM staff_sessions WHERE id_hash = $1")
        .bind(crate::keys::token_hash(token))
        .execute(portal.store.pool())
        .await?;
    Ok(())
}
