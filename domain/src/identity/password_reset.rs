//! A forgotten password. Asking mails a single-use link to the address on file; the form behind
//! it takes the new password and, once the customer has an authenticator, a code from it or a
//! recovery code: the mailbox alone never takes an account over. A reset replaces the password,
//! uses up every open link, ends every session, forgives the account's failed sign-ins and tells
//! the customer by mail, all in one transaction.
//!
//! Asking gives the same answer, after the same work, whether or not the address has an account,
//! so the form cannot be used to learn who is a customer: the ask is queued and the mail worker
//! looks the address up. Links to one account are capped per hour, so the form cannot be used to
//! flood a mailbox either.

use super::password;
use super::sign_in::{authenticator, consume_step, fail};
use super::throttle::{self, Subjects};
use super::{RequestMeta, new_password, recovery, totp};
use crate::audit::{self, Actor, Entry};
use crate::error::{LinkProblem, Problem};
use crate::keys::{random_token, token_hash};
use crate::mail::{self, messages, templates};
use crate::{Error, Portal, Result, vault};

/// Queues the ask for the mail worker and returns Ok for every well-formed address: the answer
/// costs one insert whether or not the address has an account, so neither what it says nor how
/// long it takes tells who is a customer. [`issue_asked`] does the rest.
///
/// Asks from one network address are capped per hour whatever addresses they name, so the cap
/// says nothing about any account either.
#[tracing::instrument(name = "identity.request_password_reset", skip_all)]
pub async fn request(portal: &Portal, email: &str, meta: &RequestMeta) -> Result<()> {
    let email = super::validated_email(email)?;
    let mut tx = portal.store.begin().await?;
    if let Some(retry_after) = throttle::count_reset_ask(&mut tx, portal, &meta.ip).await? {
        tx.rollback().await?;
        tracing::warn!("password reset ask refused: the network address's hourly allowance is used up");
        return Err(Error::Throttled { retry_after });
    }
    sqlx::query("INSERT INTO reset_asks (email_lookup, created_at) VALUES ($1, $2)")
        .bind(portal.keys.email_lookup(&email))
        .bind(portal.now())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(())
}

/// How many asks one transaction takes.
const ASKS_PER_PASS: i64 = 50;

/// Turns queued asks into links: for an address with an account whose hourly allowance is not
/// used up, a link and its mail; for any other, nothing. Each batch is taken and answered in one
/// transaction, so an ask is answered exactly once by whichever instance deletes it, and a crash
/// leaves it queued; an ask that fails on its own is dropped (see [`issue_or_drop`]). Returns how
/// many links were mailed.
#[tracing::instrument(name = "identity.issue_reset_links", skip_all)]
pub async fn issue_asked(portal: &Portal) -> Result<usize> {
    let mut issued = 0;
    loop {
        let mut tx = portal.store.begin().await?;
        // On PostgreSQL a second instance deleting the same rows waits, then finds them gone.
        let mut asks: Vec<(i64, String)> = sqlx::query_as(
            "DELETE FROM reset_asks WHERE id IN (SELECT id FROM reset_asks ORDER BY id LIMIT $1) \
             RETURNING id, email_lookup",
        )
        .bind(ASKS_PER_PASS)
        .fetch_all(&mut *tx)
        .await?;
        if asks.is_empty() {
            tx.rollback().await?;
            break;
        }
        // RETURNING gives no order; answer in the order asked.
        asks.sort_by_key(|(id, _)| *id);
        for (id, lookup) in &asks {
            issued += usize::from(issue_or_drop(&mut tx, portal, *id, lookup).await?);
        }
        tx.commit().await?;
        if (asks.len() as i64) < ASKS_PER_PASS {
            break;
        }
    }
    Ok(issued)
}

/// One ask under a savepoint of the batch's transaction. An ask that cannot be answered (its
/// customer's data will not open, say) is logged and dropped with whatever it wrote, so it cannot
/// hold up every ask queued after it; the customer can ask again. An error the savepoint cannot
/// be rolled back from (the connection is gone) fails the batch, which stays queued.
async fn issue_or_drop(tx: &mut crate::store::Tx, portal: &Portal, id: i64, lookup: &str) -> Result<bool> {
    sqlx::query("SAVEPOINT reset_ask").execute(&mut **tx).await?;
    match issue(tx, portal, lookup).await {
        Ok(sent) => {
            sqlx::query("RELEASE SAVEPOINT reset_ask").execute(&mut **tx).await?;
            Ok(sent)
        }
        Err(e) => {
            sqlx::query("ROLLBACK TO SAVEPOINT reset_ask").execute(&mut **tx).await?;
            sqlx::query("RELEASE SAVEPOINT reset_ask").execute(&mut **tx).await?;
            tracing::error!(ask = id, error = %e, "password reset ask could not be answered; dropped");
            Ok(false)
        }
    }
}

/// One ask inside the batch's transaction; true when a link was queued.
async fn issue(tx: &mut crate::store::Tx, portal: &Portal, lookup: &str) -> Result<bool> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM customers WHERE email_lookup = $1")
        .bind(lookup)
        .fetch_optional(&mut **tx)
        .await?;
    let Some((customer_id,)) = found else {
        return Ok(false);
    };
    let now = portal.now();
    let (recent,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM password_resets WHERE customer_id = $1 AND created_at > $2")
            .bind(customer_id)
            .bind(now - 3_600)
            .fetch_one(&mut **tx)
            .await?;
    if recent >= portal.policy.reset_links_per_hour {
        tracing::warn!("password reset link not sent: hourly allowance used up");
        return Ok(false);
    }
    let token = random_token();
    let expires_at = now + portal.policy.reset_link_secs;
    sqlx::query("INSERT INTO password_resets (customer_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(customer_id)
        .bind(token_hash(&token))
        .bind(now)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    let person = vault::customer::existing_person(&mut **tx, portal, customer_id).await?;
    let url = format!("{}/password/reset/{token}", portal.public_url);
    let message = messages::password_reset_link(person.lang(), &person.full_name, &url, portal.policy.reset_link_secs / 60);
    mail::enqueue(tx, portal, Some(customer_id), "password_reset_link", &templates::render(&person.email, &message)?).await?;
    Ok(true)
}

/// What the reset form needs to know about a link that still works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetLink {
    /// The customer has an authenticator, so the form asks for a code from it.
    pub needs_code: bool,
}

struct Usable {
    id: i64,
    customer_id: i64,
    needs_code: bool,
}

async fn usable(portal: &Portal, token: &str) -> Result<Usable> {
    if !crate::keys::is_token_shape(token) {
        return Err(Error::Link(LinkProblem::Unknown));
    }
    let row: Option<(i64, i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT r.id, r.customer_id, r.expires_at, r.used_at, c.totp_enabled_at \
         FROM password_resets r JOIN customers c ON c.id = r.customer_id WHERE r.token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(portal.store.pool())
    .await?;
    let (id, customer_id, expires_at, used_at, totp_enabled_at) = row.ok_or(Error::Link(LinkProblem::Unknown))?;
    if used_at.is_some() {
        return Err(Error::Link(LinkProblem::Used));
    }
    if expires_at <= portal.now() {
        return Err(Error::Link(LinkProblem::Expired));
    }
    Ok(Usable { id, customer_id, needs_code: totp_enabled_at.is_some() })
}

/// Reads only: opening the link (or a mail scanner fetching it) uses nothing up.
pub async fn link(portal: &Portal, token: &str) -> Result<ResetLink> {
    let row = usable(portal, token).await?;
    Ok(ResetLink { needs_code: row.needs_code })
}

/// Sets the new password; returns how many sessions ended.
#[tracing::instrument(name = "identity.reset_password", skip_all)]
pub async fn reset(portal: &Portal, token: &str, new: &str, code: &str, meta: &RequestMeta) -> Result<u64> {
    let link = usable(portal, token).await?;
    new_password::check_length(new)?;
    let customer = link.customer_id;
    let person = vault::customer::existing_person(portal.store.pool(), portal, customer).await?;
    new_password::check_not_guessable(portal, new, &person).await?;
    let code = code.trim();
    // A code is checked before hashing, and against the account's throttle, like a sign-in.
    // `step` is None for a recovery code, which is checked as it is used up.
    let proof = if link.needs_code {
        if code.is_empty() {
            return Err(Error::invalid("code", Problem::Required));
        }
        if code.chars().count() > 64 {
            return Err(Error::invalid("code", Problem::TooLong));
        }
        let (subjects, secret) = authenticator(portal, customer, meta).await?;
        let step = match totp::parse_code(code) {
            Some(c) => match totp::matching_step(&secret, &c, portal.now())? {
                Some(step) => Some(step),
                None => {
                    fail(portal, &subjects, Some(customer), "reset code", meta).await?;
                    return Err(Error::BadCredentials);
                }
            },
            None => None,
        };
        Some((subjects, step))
    } else {
        None
    };
    let hash = password::hash(new).await?;

    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let claimed = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(link.id)
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(Error::Link(LinkProblem::Used));
    }
    let mut used_recovery = false;
    if let Some((subjects, step)) = &proof {
        let accepted = match step {
            Some(step) => consume_step(&mut tx, customer, *step).await?,
            None => {
                used_recovery = true;
                recovery::consume(&mut tx, portal, customer, code).await?
            }
        };
        if !accepted {
            // The link stays usable: a mistyped code is not a reason to ask for another mail.
            tx.rollback().await?;
            fail(portal, subjects, Some(customer), if used_recovery { "reset recovery code" } else { "reset code" }, meta).await?;
            return Err(Error::BadCredentials);
        }
    }
    new_password::store(&mut tx, customer, &hash, now).await?;
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE customer_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(customer)
        .execute(&mut *tx)
        .await?;
    let ended = sqlx::query("DELETE FROM sessions WHERE customer_id = $1").bind(customer).execute(&mut *tx).await?.rows_affected();
    crate::activity::record(&mut tx, customer, now, "password_reset", "", meta).await?;
    let detail = format!("sessions_ended:{ended}{}", if used_recovery { ",recovery_code" } else { "" });
    audit::record(&mut tx, now, Entry { actor: Actor::Customer, customer_id: Some(customer), action: "identity.password_reset", detail: &detail, ip: Some(&meta.ip) })
        .await?;
    let message = messages::password_reset(person.lang(), &person.full_name, now, ended);
    mail::enqueue(&mut tx, portal, Some(customer), "password_reset", &templates::render(&person.email, &message)?).await?;
    tx.commit().await?;
    portal.wake_mail();
    // Proven by the mailbox and the authenticator: earlier failed sign-ins are forgiven.
    throttle::clear_account(portal, &Subjects::new(portal, &person.email, &meta.ip)).await?;
    Ok(ended)
}
