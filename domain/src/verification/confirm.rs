//! Step two: the link. Opening it shows old -> new and writes nothing (mail scanners open links);
//! posting a code applies the change, consumes link and code, audits and notifies, all at once.

use super::field::{self, AddressValue, Field};
use crate::audit::{self, Actor, Entry};
use crate::error::{LinkProblem, Problem};
use crate::identity::{RequestMeta, recovery, totp};
use crate::keys::{constant_time_eq, random_token, token_hash};
use crate::mail::{self, messages, templates};
use crate::store::Tx;
use crate::{Error, Lang, Portal, Result, vault};

/// What opening a link shows.
#[derive(Debug, Clone)]
pub struct Preview {
    pub customer_id: i64,
    pub field: Field,
    /// As the customer reads them; the language field holds a language code.
    pub old_value: String,
    pub new_value: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct Confirmed {
    pub field: Field,
    pub used_recovery_code: bool,
}

struct Row {
    id: i64,
    customer_id: i64,
    field: Field,
    new_value: String,
    payload_hash: String,
    status: String,
    expires_at: i64,
    /// Set when staff proposed this change on a correction request.
    request_id: Option<i64>,
}

type FoundRow = (i64, i64, String, Option<i64>, String, String, String, i64, Option<i64>, Vec<u8>, String);

async fn find(portal: &Portal, hash: &str) -> Result<Option<Row>> {
    let row: Option<FoundRow> = sqlx::query_as(
        "SELECT p.id, p.customer_id, p.field, p.target_id, p.new_value, p.payload_hash, p.status, p.expires_at, \
         p.request_id, k.wrapped, k.master_id \
         FROM pending_changes p JOIN customer_keys k ON k.customer_id = p.customer_id WHERE p.token_hash = $1",
    )
    .bind(hash)
    .fetch_optional(portal.store.pool())
    .await?;
    let Some((id, customer_id, key, target, sealed, payload_hash, status, expires_at, request_id, wrapped, master_id)) = row else {
        return Ok(None);
    };
    let Some(field) = Field::parse(&key, target) else {
        return Ok(None);
    };
    // A value that does not open was written behind the portal's back: the link is void.
    let new_value = vault::customer::unwrap(portal, customer_id, &wrapped, &master_id)?
        .open("pending_changes.new_value", &sealed)
        .map_err(|_| Error::Link(LinkProblem::Altered))?;
    Ok(Some(Row { id, customer_id, field, new_value, payload_hash, status, expires_at, request_id }))
}

/// The link's state as a problem, if it has one. Whose link it is comes first, so a stranger
/// learns nothing about another account's change.
fn check(portal: &Portal, row: &Row, hash: &str, viewer: Option<i64>) -> Result<()> {
    if viewer.is_some_and(|v| v != row.customer_id) {
        return Err(Error::Link(LinkProblem::Foreign));
    }
    match row.status.as_str() {
        "applied" => return Err(Error::Link(LinkProblem::Used)),
        "cancelled" => return Err(Error::Link(LinkProblem::Cancelled)),
        _ => {}
    }
    if row.expires_at <= portal.now() {
        return Err(Error::Link(LinkProblem::Expired));
    }
    let expected = super::payload_hash(portal, row.customer_id, &row.field, &row.new_value, hash);
    if !constant_time_eq(expected.as_bytes(), row.payload_hash.as_bytes()) {
        return Err(Error::Link(LinkProblem::Altered));
    }
    Ok(())
}

/// What the link would change. Reads only.
#[tracing::instrument(name = "verification.preview", skip_all)]
pub async fn preview(portal: &Portal, token: &str, viewer: Option<i64>) -> Result<Preview> {
    if !crate::keys::is_token_shape(token) {
        return Err(Error::Link(LinkProblem::Unknown));
    }
    let hash = token_hash(token);
    let row = find(portal, &hash).await?.ok_or(Error::Link(LinkProblem::Unknown))?;
    check(portal, &row, &hash, viewer)?;
    let mut conn = portal.store.pool().acquire().await?;
    let old = current_display(&mut *conn, portal, row.customer_id, &row.field).await?;
    Ok(Preview {
        customer_id: row.customer_id,
        old_value: old,
        new_value: field::display(&row.field, &row.new_value),
        field: row.field,
        expires_at: row.expires_at,
    })
}

/// Applies the change if `code` is a fresh code of the customer's authenticator (or one of
/// their recovery codes). Wrong codes count; at the limit the change is cancelled.
#[tracing::instrument(name = "verification.confirm", skip_all)]
pub async fn confirm(
    portal: &Portal,
    token: &str,
    code: &str,
    viewer: Option<i64>,
    meta: &RequestMeta,
) -> Result<Confirmed> {
    if !crate::keys::is_token_shape(token) {
        return Err(Error::Link(LinkProblem::Unknown));
    }
    let hash = token_hash(token);
    let row = find(portal, &hash).await?.ok_or(Error::Link(LinkProblem::Unknown))?;
    check(portal, &row, &hash, viewer)?;
    if code.trim().is_empty() {
        return Err(Error::invalid("code", Problem::Required));
    }
    if code.len() > 64 {
        return Err(Error::invalid("code", Problem::TooLong));
    }
    // Digits that are not six of them are a typo, not a guess: say so, and do not count it.
    let digits_only = code.chars().all(|c| c.is_ascii_digit() || c.is_whitespace());
    if digits_only && totp::parse_code(code).is_none() {
        return Err(Error::invalid("code", Problem::Malformed));
    }
    let customer = row.customer_id;
    let person = vault::customer::person(portal.store.pool(), portal, customer).await?.ok_or(Error::Link(LinkProblem::Unknown))?;
    let (email, name, lang) = (person.email, person.full_name, person.preferred_language);
    let (secret_enc,): (Option<Vec<u8>>,) = sqlx::query_as("SELECT totp_secret_enc FROM customers WHERE id = $1")
        .bind(customer)
        .fetch_optional(portal.store.pool())
        .await?
        .ok_or(Error::Link(LinkProblem::Unknown))?;
    let secret_enc = secret_enc.ok_or(Error::Unauthenticated)?;
    let secret = portal.keys.open(&crate::identity::sign_in::totp_context(customer), &secret_enc)?;
    let now = portal.now();

    let mut tx = portal.store.begin().await?;
    let (accepted, used_recovery) = match totp::parse_code(code) {
        Some(c) => match totp::matching_step(&secret, &c, now)? {
            Some(step) => (crate::identity::sign_in::consume_step(&mut tx, customer, step).await?, false),
            None => (false, false),
        },
        None => (recovery::consume(&mut tx, portal, customer, code).await?, true),
    };
    if !accepted {
        tx.rollback().await?;
        return Err(wrong_code(portal, &row).await);
    }
    // The claim: only one confirmation of this link can ever get past this statement.
    let claimed = sqlx::query(
        "UPDATE pending_changes SET status = 'applied', resolved_at = $1 \
         WHERE id = $2 AND token_hash = $3 AND status = 'pending' AND expires_at > $1",
    )
    .bind(now)
    .bind(row.id)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(Error::Link(LinkProblem::Used));
    }

    let lang = Lang::from_code(&lang).unwrap_or_default();
    if let Err(e) = apply(&mut tx, portal, customer, &row, &email, &name, lang).await {
        tx.rollback().await?;
        return Err(e);
    }
    crate::activity::record(&mut tx, customer, now, "data_changed", row.field.key(), meta).await?;
    if let Some(request_id) = row.request_id {
        crate::requests::work::correction_confirmed(&mut tx, now, request_id, row.field.key()).await?;
    }
    audit::record(
        &mut tx,
        now,
        Entry {
            actor: Actor::Customer,
            customer_id: Some(customer),
            action: "verification.applied",
            detail: row.field.key(),
            ip: Some(&meta.ip),
        },
    )
    .await?;
    if used_recovery {
        let left = recovery_left(&mut tx, customer).await?;
        let message = messages::recovery_code_used(lang, &name, now, left);
        mail::enqueue(&mut tx, portal, Some(customer), "recovery_code_used", &templates::render(&email, &message)?).await?;
        audit::record(
            &mut tx,
            now,
            Entry {
                actor: Actor::Customer,
                customer_id: Some(customer),
                action: "identity.recovery_code_used",
                detail: "confirming a change",
                ip: Some(&meta.ip),
            },
        )
        .await?;
    }
    tx.commit().await?;
    portal.wake_mail();
    Ok(Confirmed { field: row.field, used_recovery_code: used_recovery })
}

/// Counts a wrong code against the link; the last allowed one cancels the change.
async fn wrong_code(portal: &Portal, row: &Row) -> Error {
    let limit = portal.policy.codes_before_cancel;
    let result: Result<Option<(String,)>> = async {
        let mut tx = portal.store.begin().await?;
        let status: Option<(String,)> = sqlx::query_as(
            "UPDATE pending_changes SET failed_codes = failed_codes + 1, \
               status = CASE WHEN failed_codes + 1 >= $1 THEN 'cancelled' ELSE status END, \
               resolved_at = CASE WHEN failed_codes + 1 >= $1 THEN $2 ELSE resolved_at END \
             WHERE id = $3 AND status = 'pending' RETURNING status",
        )
        .bind(limit)
        .bind(portal.now())
        .bind(row.id)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(status)
    }
    .await;
    tracing::warn!("verification code refused");
    match result {
        Ok(Some((s,))) if s == "cancelled" => Error::Link(LinkProblem::Cancelled),
        Ok(Some(_)) => Error::BadCredentials,
        // Someone else's confirmation won the race with the same code.
        Ok(None) => Error::Link(LinkProblem::Used),
        Err(e) => e,
    }
}

async fn apply(tx: &mut Tx, portal: &Portal, customer: i64, row: &Row, email: &str, name: &str, lang: Lang) -> Result<()> {
    let now = portal.now();
    let v = &row.new_value;
    match row.field {
        Field::FullName => set_column(tx, portal, customer, "full_name", Some(v), now).await?,
        Field::Phone => set_column(tx, portal, customer, "phone", (!v.is_empty()).then_some(v), now).await?,
        Field::PreferredLanguage => set_column(tx, portal, customer, "preferred_language", Some(v), now).await?,
        Field::DateOfBirth => set_column(tx, portal, customer, "date_of_birth", Some(v), now).await?,
        // Confirmed erasure is scheduled, not done: the grace period starts now.
        Field::Erasure => return crate::erasure::schedule(tx, portal, customer, email, name, lang).await,
        Field::Email => {
            if let Err(e) = vault::customer::set_email(&mut **tx, portal, customer, v, now).await {
                return Err(if e.is_unique_violation() { Error::invalid("email", Problem::Taken) } else { e });
            }
            let key = vault::customer::key(&mut **tx, portal, customer).await?;
            // The old address hears of it, with a way back in case this was a takeover.
            let token = random_token();
            sqlx::query(
                "INSERT INTO email_reverts (customer_id, old_email, new_email, token_hash, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(customer)
            .bind(key.seal("email_reverts.old_email", email)?)
            .bind(key.seal("email_reverts.new_email", v)?)
            .bind(token_hash(&token))
            .bind(now)
            .bind(now + portal.policy.email_revert_secs)
            .execute(&mut **tx)
            .await?;
            let url = format!("{}/revert-email/{token}", portal.public_url);
            let days = portal.policy.email_revert_secs / 86_400;
            let message = messages::email_changed(lang, name, v, now, &url, days);
            mail::enqueue(tx, portal, Some(customer), "email_changed", &templates::render(email, &message)?).await?;
            return Ok(());
        }
        Field::Address(id) => {
            let a: AddressValue = serde_json::from_str(v).map_err(|_| Error::Link(LinkProblem::Altered))?;
            let key = vault::customer::key(&mut **tx, portal, customer).await?;
            let [label, line1, line2, city, postal_code, region] = vault::customer::seal_address(&key, &a)?;
            let done = sqlx::query(
                "UPDATE addresses SET label = $1, line1 = $2, line2 = $3, city = $4, postal_code = $5, \
                 region = $6, country = $7 WHERE id = $8 AND customer_id = $9",
            )
            .bind(label)
            .bind(line1)
            .bind(line2)
            .bind(city)
            .bind(postal_code)
            .bind(region)
            .bind(&a.country)
            .bind(id)
            .bind(customer)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(Error::Link(LinkProblem::Altered));
            }
        }
    }
    let message = messages::changed(lang, name, row.field.key(), now);
    mail::enqueue(tx, portal, Some(customer), "changed", &templates::render(email, &message)?).await
}

/// `column` comes from the match above, never from input. Personal fields are sealed; the
/// language is a setting, kept plain.
async fn set_column(tx: &mut Tx, portal: &Portal, customer: i64, column: &'static str, value: Option<&String>, now: i64) -> Result<()> {
    let stored = match vault::customer::sealed_customer_column(column) {
        Some(sealed_as) => vault::customer::key(&mut **tx, portal, customer).await?.seal_opt(sealed_as, value.map(String::as_str))?,
        None => value.cloned(),
    };
    sqlx::query(&format!("UPDATE customers SET {column} = $1, updated_at = $2 WHERE id = $3"))
        .bind(stored)
        .bind(now)
        .bind(customer)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn recovery_left(tx: &mut Tx, customer: i64) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM recovery_codes WHERE customer_id = $1 AND used_at IS NULL")
            .bind(customer)
            .fetch_one(&mut **tx)
            .await?;
    Ok(n)
}

/// The value held now, for a change form: text, or an address's JSON (`None`: not theirs).
pub async fn current(portal: &Portal, customer: i64, field: &Field) -> Result<Option<String>> {
    let mut conn = portal.store.pool().acquire().await?;
    current_value(&mut *conn, portal, customer, field).await
}

/// The value held now, in the form pending changes store (`None`: not the customer's).
pub(crate) async fn current_value(conn: &mut sqlx::AnyConnection, portal: &Portal, customer: i64, field: &Field) -> Result<Option<String>> {
    Ok(match field {
        Field::Address(id) => vault::customer::addresses(&mut *conn, portal, customer, Some(*id))
            .await?
            .into_iter()
            .next()
            .map(|a| serde_json::to_string(&a.value).unwrap_or_default()),
        // Nothing to compare with: asking to be erased is never "unchanged".
        Field::Erasure => Some(String::new()),
        other => vault::customer::person(&mut *conn, portal, customer).await?.map(|p| match other {
            Field::FullName => p.full_name,
            Field::Phone => p.phone.unwrap_or_default(),
            Field::PreferredLanguage => p.preferred_language,
            Field::DateOfBirth => p.date_of_birth.unwrap_or_default(),
            _ => p.email,
        }),
    })
}

async fn current_display(conn: &mut sqlx::AnyConnection, portal: &Portal, customer: i64, field: &Field) -> Result<String> {
    let stored = current_value(conn, portal, customer, field).await?.unwrap_or_default();
    Ok(field::display(field, &stored))
}
