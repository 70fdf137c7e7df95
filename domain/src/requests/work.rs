//! What staff do with a request: take it, write to the customer (perhaps changing its status),
//! extend its deadline with a reason, and propose a correction the customer then confirms
//! through the verified-change mechanism. Each step is one transaction with its timeline entry,
//! its audit row and, where the customer should hear of it, its mail.

use super::timeline::{self, NewEvent};
use super::{Status, clean_text, deadline, messages, notify, url};
use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::identity::RequestMeta;
use crate::staff::StaffSession;
use crate::store::Tx;
use crate::verification::{Field, NewValue};
use crate::{Error, Portal, Result};

pub const MAX_MESSAGE: usize = 2000;
pub const MIN_REASON: usize = 10;

struct Open {
    customer_id: i64,
    kind: String,
    subject: String,
    status: Status,
    received_at: i64,
    extension_months: i64,
}

/// Locks nothing but reads the request inside the transaction; closed requests refuse work.
async fn load(tx: &mut Tx, id: i64) -> Result<Open> {
    let row: Option<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT customer_id, kind, subject, status, received_at, extension_months FROM requests WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let (customer_id, kind, subject, status, received_at, extension_months) = row.ok_or(Error::NotFound)?;
    let status = Status::parse(&status).ok_or(Error::Internal("unknown request status"))?;
    if status.is_closed() {
        return Err(Error::invalid("status", Problem::Unchanged));
    }
    Ok(Open { customer_id, kind, subject, status, received_at, extension_months })
}

async fn audit_staff(tx: &mut Tx, portal: &Portal, session: &StaffSession, customer_id: i64, action: &str, id: i64, meta: &RequestMeta) -> Result<()> {
    let detail = format!("{}:request:{id}", session.staff.pseudonym);
    audit::record(tx, portal.now(), Entry { actor: Actor::Staff, customer_id: Some(customer_id), action, detail: &detail, ip: Some(&meta.ip) }).await
}

/// The request becomes the caller's, and in progress if it was new.
#[tracing::instrument(name = "requests.assign", skip_all)]
pub async fn assign_to_me(portal: &Portal, session: &StaffSession, id: i64, meta: &RequestMeta) -> Result<()> {
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let open = load(&mut tx, id).await?;
    let status = if open.status == Status::New { Status::InProgress } else { open.status };
    sqlx::query("UPDATE requests SET assignee_id = $1, status = $2, updated_at = $3 WHERE id = $4")
        .bind(session.staff.id)
        .bind(status.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let staff = Some(session.staff.id);
    timeline::add(&mut tx, id, now, NewEvent { actor: "staff", staff_id: staff, kind: "assigned", detail: "", body: "" }).await?;
    if status != open.status {
        timeline::add(&mut tx, id, now, NewEvent { actor: "staff", staff_id: staff, kind: "status", detail: status.as_str(), body: "" }).await?;
    }
    audit_staff(&mut tx, portal, session, open.customer_id, "requests.assigned", id, meta).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes to the customer and sets the status. Rejecting needs a message: it is the reason the
/// customer receives.
#[tracing::instrument(name = "requests.reply", skip_all, fields(status))]
pub async fn reply(portal: &Portal, session: &StaffSession, id: i64, status: &str, message: &str, meta: &RequestMeta) -> Result<()> {
    let status = Status::parse(status).filter(|s| *s != Status::New).ok_or(Error::invalid("status", Problem::Malformed))?;
    tracing::Span::current().record("status", status.as_str());
    let message = clean_text("message", message, 1, MAX_MESSAGE)?;
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let open = load(&mut tx, id).await?;
    sqlx::query("UPDATE requests SET status = $1, updated_at = $2, closed_at = $3, assignee_id = COALESCE(assignee_id, $4) WHERE id = $5")
        .bind(status.as_str())
        .bind(now)
        .bind(status.is_closed().then_some(now))
        .bind(session.staff.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let staff = Some(session.staff.id);
    timeline::add(&mut tx, id, now, NewEvent { actor: "staff", staff_id: staff, kind: "message", detail: "", body: &message }).await?;
    if status != open.status {
        timeline::add(&mut tx, id, now, NewEvent { actor: "staff", staff_id: staff, kind: "status", detail: status.as_str(), body: "" }).await?;
    }
    let link = url(portal, id);
    let kind = open.kind.clone();
    notify(&mut tx, portal, id, "request_update", |lang, name| {
        messages::request_update(lang, name, &kind, status.as_str(), &message, &link)
    })
    .await?;
    let action = if status == Status::Rejected { "requests.rejected" } else { "requests.replied" };
    audit_staff(&mut tx, portal, session, open.customer_id, action, id, meta).await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(())
}

/// Extends the deadline by `months` (1 or 2, at most 2 in all) within the first month, telling
/// the customer why.
#[tracing::instrument(name = "requests.extend", skip_all)]
pub async fn extend(portal: &Portal, session: &StaffSession, id: i64, months: i64, reason: &str, meta: &RequestMeta) -> Result<i64> {
    let reason = clean_text("reason", reason, MIN_REASON, MAX_MESSAGE)?;
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let open = load(&mut tx, id).await?;
    if !deadline::may_extend(open.received_at, open.extension_months, months, now) {
        return Err(Error::invalid("months", Problem::Malformed));
    }
    let total = open.extension_months + months;
    let due = deadline::due(open.received_at, total);
    sqlx::query("UPDATE requests SET extension_months = $1, due_at = $2, updated_at = $3 WHERE id = $4")
        .bind(total)
        .bind(due)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    timeline::add(
        &mut tx,
        id,
        now,
        NewEvent { actor: "staff", staff_id: Some(session.staff.id), kind: "extended", detail: &due.to_string(), body: &reason },
    )
    .await?;
    let link = url(portal, id);
    notify(&mut tx, portal, id, "request_extended", |lang, name| messages::request_extended(lang, name, due, &reason, &link)).await?;
    audit_staff(&mut tx, portal, session, open.customer_id, "requests.extended", id, meta).await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(due)
}

/// Proposes the corrected value of the field a correction request is about. Nothing is written
/// to the customer's data: a pending change is opened and its link mailed to the customer, who
/// confirms it with their authenticator like any change of their own.
#[tracing::instrument(name = "requests.propose", skip_all)]
pub async fn propose(portal: &Portal, session: &StaffSession, id: i64, value: &str, meta: &RequestMeta) -> Result<i64> {
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let open = load(&mut tx, id).await?;
    if open.kind != "correction" {
        return Err(Error::invalid("value", Problem::Malformed));
    }
    let field = Field::parse(&open.subject, None).ok_or(Error::invalid("value", Problem::Malformed))?;
    let new_value = crate::verification::field::validate(&field, &NewValue::Text(value.to_string())).map_err(|e| match e {
        // The form has one input, whatever the field.
        Error::Invalid { problem, .. } => Error::invalid("value", problem),
        other => other,
    })?;
    let pending = crate::verification::request::open(&mut tx, portal, open.customer_id, field, &new_value, Some(id))
        .await
        .map_err(|e| match e {
            Error::Invalid { problem, .. } => Error::invalid("value", problem),
            other => other,
        })?;
    sqlx::query("UPDATE requests SET status = 'waiting_customer', updated_at = $1, assignee_id = COALESCE(assignee_id, $2) WHERE id = $3")
        .bind(now)
        .bind(session.staff.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let staff = Some(session.staff.id);
    timeline::add(&mut tx, id, now, NewEvent { actor: "staff", staff_id: staff, kind: "proposed", detail: field.key(), body: "" }).await?;
    timeline::add(&mut tx, id, now, NewEvent { actor: "system", staff_id: None, kind: "mail", detail: "confirm_change", body: "" }).await?;
    if open.status != Status::WaitingCustomer {
        timeline::add(&mut tx, id, now, NewEvent { actor: "staff", staff_id: staff, kind: "status", detail: "waiting_customer", body: "" }).await?;
    }
    audit_staff(&mut tx, portal, session, open.customer_id, "requests.correction_proposed", id, meta).await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(pending)
}

/// Called inside the confirming transaction when the customer confirmed a proposed correction.
pub(crate) async fn correction_confirmed(tx: &mut Tx, now: i64, request_id: i64, field: &str) -> Result<()> {
    sqlx::query("UPDATE requests SET status = 'done', closed_at = $1, updated_at = $1 WHERE id = $2 AND status NOT IN ('done', 'rejected')")
        .bind(now)
        .bind(request_id)
        .execute(&mut **tx)
        .await?;
    timeline::add(tx, request_id, now, NewEvent { actor: "customer", staff_id: None, kind: "confirmed", detail: field, body: "" }).await?;
    timeline::add(tx, request_id, now, NewEvent { actor: "system", staff_id: None, kind: "status", detail: "done", body: "" }).await
}
