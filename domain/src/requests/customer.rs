//! A customer's side of their requests: the timeline, replies, and a rating once closed.

use super::timeline::{self, Event, NewEvent};
use super::{Request, Status, clean_text};
use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::identity::RequestMeta;
use crate::{Error, Portal, Result};

pub const MAX_COMMENT: usize = 1000;

#[derive(Debug, Clone)]
pub struct CustomerRequest {
    pub request: Request,
    pub explanation: String,
    pub timeline: Vec<Event>,
    pub rating: Option<(i64, String)>,
}

/// One of the customer's own requests; anyone else's is NotFound, exactly like a missing one.
pub async fn detail(portal: &Portal, customer_id: i64, id: i64) -> Result<CustomerRequest> {
    let row: Option<(String, String, String, i64, i64, String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT kind, subject, status, received_at, due_at, explanation, rating, rating_comment FROM requests \
         WHERE id = $1 AND customer_id = $2",
    )
    .bind(id)
    .bind(customer_id)
    .fetch_optional(portal.store.pool())
    .await?;
    let (kind, subject, status, received_at, due_at, explanation, rating, comment) = row.ok_or(Error::NotFound)?;
    Ok(CustomerRequest {
        request: Request { id, kind, subject, status, received_at, due_at },
        explanation,
        timeline: timeline::for_request(portal, id).await?,
        rating: rating.map(|r| (r, comment.unwrap_or_default())),
    })
}

async fn own_status(tx: &mut crate::store::Tx, customer_id: i64, id: i64) -> Result<Status> {
    let row: Option<(String,)> = sqlx::query_as("SELECT status FROM requests WHERE id = $1 AND customer_id = $2")
        .bind(id)
        .bind(customer_id)
        .fetch_optional(&mut **tx)
        .await?;
    row.and_then(|(s,)| Status::parse(&s)).ok_or(Error::NotFound)
}

/// The customer answers on an open request; a request waiting for them goes back to staff.
#[tracing::instrument(name = "requests.customer_reply", skip_all)]
pub async fn reply(portal: &Portal, customer_id: i64, id: i64, message: &str, meta: &RequestMeta) -> Result<()> {
    let message = clean_text("message", message, 1, super::work::MAX_MESSAGE)?;
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let status = own_status(&mut tx, customer_id, id).await?;
    if status.is_closed() {
        return Err(Error::invalid("message", Problem::Unchanged));
    }
    let next = if status == Status::WaitingCustomer { Status::InProgress } else { status };
    sqlx::query("UPDATE requests SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(next.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    timeline::add(&mut tx, id, now, NewEvent { actor: "customer", staff_id: None, kind: "message", detail: "", body: &message }).await?;
    if next != status {
        timeline::add(&mut tx, id, now, NewEvent { actor: "customer", staff_id: None, kind: "status", detail: next.as_str(), body: "" }).await?;
    }
    let detail = format!("request:{id}");
    audit::record(&mut tx, now, Entry { actor: Actor::Customer, customer_id: Some(customer_id), action: "requests.customer_replied", detail: &detail, ip: Some(&meta.ip) }).await?;
    tx.commit().await?;
    Ok(())
}

/// Rates a closed request once: 1 to 5 and an optional comment.
#[tracing::instrument(name = "requests.rate", skip_all)]
pub async fn rate(portal: &Portal, customer_id: i64, id: i64, rating: i64, comment: &str) -> Result<()> {
    if !(1..=5).contains(&rating) {
        return Err(Error::invalid("rating", Problem::Malformed));
    }
    let comment = match comment.trim() {
        "" => String::new(),
        c => clean_text("comment", c, 1, MAX_COMMENT)?,
    };
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let status = own_status(&mut tx, customer_id, id).await?;
    if !status.is_closed() {
        return Err(Error::invalid("rating", Problem::Malformed));
    }
    let done = sqlx::query("UPDATE requests SET rating = $1, rating_comment = $2, updated_at = $3 WHERE id = $4 AND rating IS NULL")
        .bind(rating)
        .bind(&comment)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(Error::invalid("rating", Problem::Unchanged));
    }
    timeline::add(&mut tx, id, now, NewEvent { actor: "customer", staff_id: None, kind: "rated", detail: &rating.to_string(), body: &comment }).await?;
    tx.commit().await?;
    Ok(())
}
