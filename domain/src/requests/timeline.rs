//! One timeline per request, read by the customer and by staff alike: what happened, who did it
//! (staff by role and pseudonym), messages both ways, and mails sent.

use crate::store::Tx;
use crate::{Portal, Result};

#[derive(Debug, Clone)]
pub struct Event {
    pub at: i64,
    /// `customer`, `staff` or `system`.
    pub actor: String,
    /// For staff: "agent staff-3fa2b1c9".
    pub staff: Option<(String, String)>,
    /// received, mail, status, message, assigned, extended, proposed, confirmed, rated.
    pub kind: String,
    pub detail: String,
    pub body: String,
}

pub(crate) struct NewEvent<'a> {
    pub actor: &'a str,
    pub staff_id: Option<i64>,
    pub kind: &'a str,
    pub detail: &'a str,
    pub body: &'a str,
}

pub(crate) async fn add(tx: &mut Tx, request_id: i64, at: i64, e: NewEvent<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_events (request_id, at, actor, staff_id, kind, detail, body) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(request_id)
    .bind(at)
    .bind(e.actor)
    .bind(e.staff_id)
    .bind(e.kind)
    .bind(e.detail)
    .bind(e.body)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Oldest first: a timeline reads downwards.
pub async fn for_request(portal: &Portal, request_id: i64) -> Result<Vec<Event>> {
    let rows: Vec<(i64, String, Option<String>, Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT e.at, e.actor, s.role, s.pseudonym, e.kind, e.detail, e.body FROM request_events e \
         LEFT JOIN staff s ON s.id = e.staff_id WHERE e.request_id = $1 ORDER BY e.at, e.id",
    )
    .bind(request_id)
    .fetch_all(portal.store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, role, pseudonym, kind, detail, body)| Event {
            at,
            actor,
            staff: role.zip(pseudonym),
            kind,
            detail,
            body,
        })
        .collect())
}
