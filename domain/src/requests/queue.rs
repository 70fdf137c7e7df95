//! The staff queue: every request with its deadline, most urgent first. Listing shows no
//! personal data (customers by reference only); opening a request does, and is logged.

use super::deadline::{self, Urgency};
use super::timeline::{self, Event};
use crate::identity::RequestMeta;
use crate::staff::StaffSession;
use crate::staff::access::{self, Read};
use crate::{Error, Portal, Result};

#[derive(Debug, Clone)]
pub struct QueueItem {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub received_at: i64,
    pub due_at: i64,
    pub urgency: Urgency,
    pub customer_ref: String,
    /// The assignee's pseudonym.
    pub assignee: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Show {
    /// Everything not done or rejected.
    #[default]
    Open,
    Overdue,
    Mine,
    Closed,
    All,
}

impl Show {
    pub fn parse(s: &str) -> Show {
        match s {
            "overdue" => Show::Overdue,
            "mine" => Show::Mine,
            "closed" => Show::Closed,
            "all" => Show::All,
            _ => Show::Open,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Nearest deadline first.
    #[default]
    Deadline,
    /// Newest first.
    Received,
}

const SELECT: &str = "SELECT r.id, r.kind, r.subject, r.status, r.received_at, r.due_at, c.public_id, s.pseudonym, r.customer_id \
     FROM requests r JOIN customers c ON c.id = r.customer_id LEFT JOIN staff s ON s.id = r.assignee_id";

type Row = (i64, String, String, String, i64, i64, String, Option<String>, i64);

fn item(portal: &Portal, r: Row) -> QueueItem {
    let now = portal.now();
    QueueItem {
        urgency: deadline::urgency(&r.3, r.5, now, portal.policy.request_due_soon_secs),
        id: r.0,
        kind: r.1,
        subject: r.2,
        status: r.3,
        received_at: r.4,
        due_at: r.5,
        customer_ref: r.6,
        assignee: r.7,
    }
}

/// Up to 200 requests for the chosen view and order.
#[tracing::instrument(name = "requests.queue", skip_all)]
pub async fn list(portal: &Portal, session: &StaffSession, show: Show, order: Order) -> Result<Vec<QueueItem>> {
    let closed = "r.status IN ('done', 'rejected')";
    let filter = match show {
        Show::Open => format!("NOT {closed}"),
        Show::Overdue => format!("NOT {closed} AND r.due_at <= $2"),
        Show::Mine => format!("NOT {closed} AND r.assignee_id = $1"),
        Show::Closed => closed.to_string(),
        Show::All => "1 = 1".to_string(),
    };
    let order = match order {
        Order::Deadline => "r.due_at ASC, r.id ASC",
        Order::Received => "r.received_at DESC, r.id DESC",
    };
    // $1 and $2 are bound whether the filter uses them or not, so every statement binds alike.
    let sql = format!("{SELECT} WHERE ({filter}) AND $1 = $1 AND $2 = $2 ORDER BY {order} LIMIT 200");
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(session.staff.id)
        .bind(portal.now())
        .fetch_all(portal.store.pool())
        .await?;
    Ok(rows.into_iter().map(|r| item(portal, r)).collect())
}

/// A request as staff work it.
#[derive(Debug, Clone)]
pub struct StaffRequest {
    pub item: QueueItem,
    pub explanation: String,
    pub extension_months: i64,
    /// Whether an extension may still be granted (within the first month, under three in all).
    pub may_extend: bool,
    pub timeline: Vec<Event>,
    pub rating: Option<(i64, String)>,
}

/// Opens a request; it shows the customer's words, so the read is logged for the customer.
#[tracing::instrument(name = "requests.open", skip_all)]
pub async fn open(portal: &Portal, session: &StaffSession, id: i64, meta: &RequestMeta) -> Result<StaffRequest> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE r.id = $1")).bind(id).fetch_optional(portal.store.pool()).await?;
    let row = row.ok_or(Error::NotFound)?;
    let customer_id = row.8;
    let (explanation, extension_months, received_at, rating, rating_comment): (String, i64, i64, Option<i64>, Option<String>) =
        sqlx::query_as("SELECT explanation, extension_months, received_at, rating, rating_comment FROM requests WHERE id = $1")
            .bind(id)
            .fetch_one(portal.store.pool())
            .await?;
    let mut tx = portal.store.begin().await?;
    access::record(&mut tx, portal, &session.staff, customer_id, Read::Request(id), "request", meta).await?;
    tx.commit().await?;
    let item = item(portal, row);
    let open = item.urgency != Urgency::Closed;
    Ok(StaffRequest {
        may_extend: open && (1..=2).any(|m| deadline::may_extend(received_at, extension_months, m, portal.now())),
        item,
        explanation,
        extension_months,
        timeline: timeline::for_request(portal, id).await?,
        rating: rating.map(|r| (r, rating_comment.unwrap_or_default())),
    })
}
