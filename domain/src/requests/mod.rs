//! Requests to the company: corrections a customer may not make alone (date of birth, legal
//! name) and disputes of records ("this order is not mine"). Each enters the staff queue with
//! its legal deadline, one month from receipt (Article 12(3) GDPR), and the customer sees its
//! status on "My data".

pub mod customer;
pub mod deadline;
pub mod queue;
pub mod ratings;
pub mod timeline;
pub mod work;

use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::identity::RequestMeta;
use crate::mail::{self, messages, templates};
use crate::store::Tx;
use crate::{Error, Lang, Portal, Result};

pub use deadline::{Urgency, one_month_after};
use timeline::NewEvent;

/// What a correction can be about: fields only staff may change.
pub const CORRECTABLE: [&str; 2] = ["date_of_birth", "full_name"];
/// The subject of a privacy complaint or feedback (the "privacy concern" form).
pub const PRIVACY: &str = "privacy";
pub const MAX_EXPLANATION: usize = 2000;
pub const MIN_EXPLANATION: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    New,
    InProgress,
    WaitingCustomer,
    Done,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::WaitingCustomer => "waiting_customer",
            Status::Done => "done",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "new" => Status::New,
            "in_progress" => Status::InProgress,
            "waiting_customer" => Status::WaitingCustomer,
            "done" => Status::Done,
            "rejected" => Status::Rejected,
            _ => return None,
        })
    }

    pub fn is_closed(self) -> bool {
        matches!(self, Status::Done | Status::Rejected)
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub received_at: i64,
    pub due_at: i64,
}

/// Free text from people (explanations, messages, reasons): trimmed, bounded, no control
/// characters other than line breaks and tabs.
pub(crate) fn clean_text(field: &'static str, input: &str, min: usize, max: usize) -> Result<String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Error::invalid(field, Problem::Required));
    }
    if text.chars().count() < min {
        return Err(Error::invalid(field, Problem::Required));
    }
    if text.chars().count() > max {
        return Err(Error::invalid(field, Problem::TooLong));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(Error::invalid(field, Problem::Malformed));
    }
    Ok(text.to_string())
}

/// Where the customer reads a request.
pub(crate) fn url(portal: &Portal, request_id: i64) -> String {
    format!("{}/requests/{request_id}", portal.public_url)
}

/// Queues a mail about a request to its customer and notes it on the timeline.
pub(crate) async fn notify<F>(tx: &mut Tx, portal: &Portal, request_id: i64, kind: &str, build: F) -> Result<()>
where
    F: FnOnce(Lang, &str) -> crate::mail::templates::Message,
{
    let (customer_id,): (i64,) =
        sqlx::query_as("SELECT customer_id FROM requests WHERE id = $1").bind(request_id).fetch_one(&mut **tx).await?;
    let crate::vault::Person { email, full_name: name, preferred_language: lang, .. } =
        crate::vault::customer::existing_person(&mut **tx, portal, customer_id).await?;
    let message = build(Lang::from_code(&lang).unwrap_or_default(), &name);
    mail::enqueue(tx, portal, Some(customer_id), kind, &templates::render(&email, &message)?).await?;
    timeline::add(tx, request_id, portal.now(), NewEvent { actor: "system", staff_id: None, kind: "mail", detail: kind, body: "" }).await
}

/// Files a correction (`subject` a field), a dispute (`subject` a category of "My data") or a
/// privacy concern (`subject` "privacy"), acknowledged by mail with its legal deadline.
#[tracing::instrument(name = "requests.submit", skip_all, fields(kind))]
pub async fn submit(portal: &Portal, customer_id: i64, subject: &str, explanation: &str, meta: &RequestMeta) -> Result<i64> {
    let kind = if CORRECTABLE.contains(&subject) {
        "correction"
    } else if subject == PRIVACY {
        "complaint"
    } else if crate::catalogue::load(portal, crate::Lang::En).await?.iter().any(|c| c.key == subject) {
        "dispute"
    } else {
        return Err(Error::invalid("subject", Problem::Malformed));
    };
    tracing::Span::current().record("kind", kind);
    let explanation = clean_text("explanation", explanation, MIN_EXPLANATION, MAX_EXPLANATION)?;
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO requests (customer_id, kind, subject, explanation, status, received_at, due_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'new', $5, $6, $5) RETURNING id",
    )
    .bind(customer_id)
    .bind(kind)
    .bind(subject)
    .bind(&explanation)
    .bind(now)
    .bind(one_month_after(now))
    .fetch_one(&mut *tx)
    .await?;
    timeline::add(&mut tx, id, now, NewEvent { actor: "customer", staff_id: None, kind: "received", detail: kind, body: &explanation }).await?;
    let link = url(portal, id);
    notify(&mut tx, portal, id, "request_received", |lang, name| {
        messages::request_received(lang, name, kind, now, one_month_after(now), &link)
    })
    .await?;
    let detail = format!("{kind}:{subject}");
    audit::record(
        &mut tx,
        now,
        Entry { actor: Actor::Customer, customer_id: Some(customer_id), action: "requests.submitted", detail: &detail, ip: Some(&meta.ip) },
    )
    .await?;
    tx.commit().await?;
    portal.wake_mail();
    Ok(id)
}

/// The customer's own requests, newest first.
pub async fn for_customer<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(exec: E, customer_id: i64) -> Result<Vec<Request>> {
    let rows: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, kind, subject, status, received_at, due_at FROM requests WHERE customer_id = $1 \
         ORDER BY received_at DESC, id DESC",
    )
    .bind(customer_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, subject, status, received_at, due_at)| Request { id, kind, subject, status, received_at, due_at })
        .collect())
}
