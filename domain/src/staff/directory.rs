//! Finding a customer: by exact email or customer reference only, never by browsing. What staff
//! see is masked; a field is shown in full only when they give a reason, and both are logged
//! where the customer reads them.

use super::access::{self, Read};
use super::masking;
use super::session::{self, StaffSession};
use crate::error::Problem;
use crate::identity::RequestMeta;
use crate::{Error, Portal, Result, vault};

pub const MIN_REASON: usize = 5;
pub const MAX_REASON: usize = 300;

/// A customer as staff first see them.
#[derive(Debug, Clone)]
pub struct CustomerCard {
    pub public_id: String,
    /// (field key, masked value); addresses as `address:<id>`.
    pub fields: Vec<(String, String)>,
    /// The customer's requests: id, kind, status, due.
    pub requests: Vec<(i64, String, String, i64)>,
}

/// A reason staff give, which the customer will read: trimmed, 5 to 300 characters, no control
/// characters; problems are reported against the form input `field`.
pub(crate) fn checked_reason<'a>(field: &'static str, reason: &'a str) -> Result<&'a str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(field, Problem::Required));
    }
    if reason.chars().count() < MIN_REASON || reason.chars().any(char::is_control) {
        return Err(Error::invalid(field, Problem::Malformed));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Error::invalid(field, Problem::TooLong));
    }
    Ok(reason)
}

/// The customer's row id for an exact email or reference, or NotFound. No partial matches.
pub(crate) async fn find_id(portal: &Portal, query: &str) -> Result<i64> {
    let query = query.trim();
    if query.is_empty() {
        return Err(Error::invalid("query", Problem::Required));
    }
    if query.chars().count() > 254 || query.chars().any(char::is_control) {
        return Err(Error::invalid("query", Problem::Malformed));
    }
    let row: Option<(i64,)> = if query.contains('@') {
        vault::customer::id_by_email(portal.store.pool(), portal, query).await?.map(|id| (id,))
    } else {
        sqlx::query_as("SELECT id FROM customers WHERE public_id = $1")
            .bind(query.to_uppercase())
            .fetch_optional(portal.store.pool())
            .await?
    };
    row.map(|(id,)| id).ok_or(Error::NotFound)
}

/// The reference of the customer with this exact email or reference, for the look-up form's
/// redirect. Reads nothing else; the page it leads to opens the record (and logs it).
pub async fn locate(portal: &Portal, query: &str) -> Result<String> {
    let id = find_id(portal, query).await?;
    let (public_id,): (String,) =
        sqlx::query_as("SELECT public_id FROM customers WHERE id = $1").bind(id).fetch_one(portal.store.pool()).await?;
    Ok(public_id)
}

/// Looks a customer up by exact email or reference and opens their record, masked; the opening
/// is logged. The console's customer page calls this with the reference from its URL.
#[tracing::instrument(name = "staff.find_customer", skip_all)]
pub async fn find(portal: &Portal, session: &StaffSession, query: &str, meta: &RequestMeta) -> Result<CustomerCard> {
    let id = find_id(portal, query).await?;
    let mut tx = portal.store.begin().await?;
    access::record(&mut tx, portal, &session.staff, id, Read::Opened, "look-up", meta).await?;
    tx.commit().await?;
    card(portal, id).await
}

async fn card(portal: &Portal, id: i64) -> Result<CustomerCard> {
    let (public_id,): (String,) =
        sqlx::query_as("SELECT public_id FROM customers WHERE id = $1").bind(id).fetch_one(portal.store.pool()).await?;
    let p = vault::customer::existing_person(portal.store.pool(), portal, id).await?;
    let mut fields = vec![
        ("full_name".to_string(), masking::name(&p.full_name)),
        ("email".to_string(), masking::email(&p.email)),
        ("phone".to_string(), masking::phone(p.phone.as_deref().unwrap_or_default())),
        ("date_of_birth".to_string(), masking::date(p.date_of_birth.as_deref().unwrap_or_default())),
    ];
    let addresses: Vec<(i64, String)> = sqlx::query_as("SELECT id, country FROM addresses WHERE customer_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(portal.store.pool())
        .await?;
    fields.extend(addresses.into_iter().map(|(aid, country)| (format!("address:{aid}"), masking::address(&country))));
    let requests: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, kind, status, due_at FROM requests WHERE customer_id = $1 ORDER BY received_at DESC, id DESC")
            .bind(id)
            .fetch_all(portal.store.pool())
            .await?;
    Ok(CustomerCard { public_id, fields, requests })
}

/// Shows one field in full for the reason given. The value is kept for this session's next
/// page (not returned through a URL); the read is logged first, in the same transaction.
#[tracing::instrument(name = "staff.reveal", skip_all, fields(field))]
pub async fn reveal(portal: &Portal, session: &StaffSession, public_id: &str, field: &str, reason: &str, meta: &RequestMeta) -> Result<String> {
    let reason = checked_reason("reason", reason)?;
    let id = find_id(portal, public_id).await?;
    let value = field_value(portal, id, field).await?.ok_or(Error::invalid("field", Problem::Malformed))?;
    tracing::Span::current().record("field", field.split(':').next().unwrap_or_default());
    let mut tx = portal.store.begin().await?;
    access::record(&mut tx, portal, &session.staff, id, Read::Revealed(field), reason, meta).await?;
    tx.commit().await?;
    let public_id = public_id.trim().to_uppercase();
    session::put_reveal(portal, &session.id_hash, &format!("{public_id}\n{field}\n{value}")).await?;
    Ok(value)
}

/// One field's value in full; `address:<id>` must be the customer's own address.
async fn field_value(portal: &Portal, customer_id: i64, field: &str) -> Result<Option<String>> {
    if let Some(aid) = field.strip_prefix("address:") {
        let Ok(aid) = aid.parse::<i64>() else { return Ok(None) };
        let address = vault::customer::addresses(portal.store.pool(), portal, customer_id, Some(aid)).await?;
        return Ok(address.into_iter().next().map(|a| a.value.display()));
    }
    let Some(p) = vault::customer::person(portal.store.pool(), portal, customer_id).await? else {
        return Ok(None);
    };
    Ok(match field {
        "full_name" => Some(p.full_name),
        "email" => Some(p.email),
        "phone" => Some(p.phone.unwrap_or_default()),
        "date_of_birth" => Some(p.date_of_birth.unwrap_or_default()),
        _ => None,
    })
}

/// The field of this customer revealed on the previous request of this session, if any:
/// (field, value). Taking it forgets it.
pub async fn take_revealed(portal: &Portal, session: &StaffSession, public_id: &str) -> Result<Option<(String, String)>> {
    let Some(kept) = session::take_reveal(portal, session).await? else { return Ok(None) };
    let mut parts = kept.splitn(3, '\n');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(who), Some(field), Some(value)) if who == public_id.trim().to_uppercase() => Ok(Some((field.into(), value.into()))),
        _ => Ok(None),
    }
}
