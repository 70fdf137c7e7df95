//! Step one: store the wish, not the change, and mail a single-use link.

use super::field::{self, Field, NewValue};
use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::identity::RequestMeta;
use crate::keys::{random_token, token_hash};
use crate::mail::{self, messages, templates};
use crate::store::Tx;
use crate::{Error, Lang, Portal, Result, vault};

/// Stores a pending change and queues its confirmation mail, in one transaction. A newer request
/// for the same field replaces an older one. Returns the pending change's id.
#[tracing::instrument(name = "verification.request", skip_all, fields(field = field.key()))]
pub async fn request_change(
    portal: &Portal,
    customer_id: i64,
    field: Field,
    value: NewValue,
    meta: &RequestMeta,
) -> Result<i64> {
    if !field.customer_may_change() {
        return Err(Error::invalid("field", Problem::Malformed));
    }
    let new_value = field::validate(&field, &value)?;
    let now = portal.now();

    let mut tx = portal.store.begin().await?;
    let id = open(&mut tx, portal, customer_id, field, &new_value, None).await?;
    audit::record(
        &mut tx,
        now,
        Entry {
            actor: Actor::Customer,
            customer_id: Some(customer_id),
            action: "verification.requested",
            detail: field.key(),
            ip: Some(&meta.ip),
        },
    )
    .await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(id)
}

/// Opens a pending change for a validated value and queues its link, inside the caller's
/// transaction. `request_id` ties a staff-proposed correction to its request.
pub(crate) async fn open(
    tx: &mut Tx,
    portal: &Portal,
    customer_id: i64,
    field: Field,
    new_value: &str,
    request_id: Option<i64>,
) -> Result<i64> {
    let new_value = new_value.to_string();
    let now = portal.now();
    let person = vault::customer::person(&mut **tx, portal, customer_id).await?.ok_or(Error::Unauthenticated)?;
    let (email, name, lang) = (person.email, person.full_name, person.preferred_language);
    let current = super::confirm::current_value(&mut **tx, portal, customer_id, &field).await?;
    let current = current.ok_or(Error::NotFound)?; // an address that is not theirs
    if current == new_value {
        return Err(Error::invalid(unchanged_field(&field), Problem::Unchanged));
    }
    if field == Field::Email {
        if vault::customer::id_by_email(&mut **tx, portal, &new_value).await?.is_some() {
            return Err(Error::invalid("email", Problem::Taken));
        }
    }

    // One open request per field: the newest wins, older links stop working.
    sqlx::query(
        "UPDATE pending_changes SET status = 'cancelled', resolved_at = $1 \
         WHERE customer_id = $2 AND field = $3 AND COALESCE(target_id, 0) = $4 AND status = 'pending'",
    )
    .bind(now)
    .bind(customer_id)
    .bind(field.key())
    .bind(field.target().unwrap_or(0))
    .execute(&mut **tx)
    .await?;

    let token = random_token();
    let hash = token_hash(&token);
    let expires_at = now + portal.policy.change_link_secs;
    let sealed_value = vault::customer::key(&mut **tx, portal, customer_id).await?.seal("pending_changes.new_value", &new_value)?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO pending_changes \
         (customer_id, field, target_id, new_value, payload_hash, token_hash, status, created_at, expires_at, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9) RETURNING id",
    )
    .bind(customer_id)
    .bind(field.key())
    .bind(field.target())
    .bind(&sealed_value)
    .bind(super::payload_hash(portal, customer_id, &field, &new_value, &hash))
    .bind(&hash)
    .bind(now)
    .bind(expires_at)
    .bind(request_id)
    .fetch_one(&mut **tx)
    .await?;

    // An email change is proven by the new address; everything else by the address on file.
    let to = if field == Field::Email { new_value.clone() } else { email };
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let url = format!("{}/confirm/{token}", portal.public_url);
    let minutes = portal.policy.change_link_secs / 60;
    let message = if field == Field::Erasure {
        messages::confirm_erasure(lang, &name, &url, minutes, portal.policy.erasure_grace_secs / 86_400)
    } else {
        messages::confirm_change(lang, &name, field.key(), &field::display(&field, &new_value), &url, minutes)
    };
    mail::enqueue(tx, portal, Some(customer_id), "confirm_change", &templates::render(&to, &message)?).await?;
    Ok(id)
}

/// The input a "no change" message belongs beside (an address form's first line).
fn unchanged_field(field: &Field) -> &'static str {
    match field {
        Field::Address(_) => "line1",
        other => other.key(),
    }
}
