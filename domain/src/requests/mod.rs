//! Requests to the company: corrections a customer may not make alone (date of birth, legal
//! name) and disputes of records ("this order is not mine"). Each enters the staff queue with
//! its legal deadline, one month from receipt (Article 12(3) GDPR), and the customer sees its
//! status on "My data".

use time::OffsetDateTime;

use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::identity::RequestMeta;
use crate::{Error, Portal, Result};

/// What a correction can be about: fields only staff may change.
pub const CORRECTABLE: [&str; 2] = ["date_of_birth", "full_name"];
pub const MAX_EXPLANATION: usize = 2000;
pub const MIN_EXPLANATION: usize = 10;

#[derive(Debug, Clone)]
pub struct Request {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub received_at: i64,
    pub due_at: i64,
}

/// The same day one month later (the last day of a shorter month), at the same time.
pub fn one_month_after(unix: i64) -> i64 {
    let Ok(t) = OffsetDateTime::from_unix_timestamp(unix) else { return unix + 30 * 86_400 };
    let (year, month) = match t.month() {
        time::Month::December => (t.year() + 1, time::Month::January),
        m => (t.year(), m.next()),
    };
    let last = month.length(year);
    let date = time::Date::from_calendar_date(year, month, t.day().min(last)).unwrap_or(t.date());
    t.replace_date(date).unix_timestamp()
}

/// Files a correction (`subject` a field) or a dispute (`subject` a category of "My data").
#[tracing::instrument(name = "requests.submit", skip_all, fields(kind))]
pub async fn submit(portal: &Portal, customer_id: i64, subject: &str, explanation: &str, meta: &RequestMeta) -> Result<i64> {
    let kind = if CORRECTABLE.contains(&subject) {
        "correction"
    } else if crate::catalogue::load(portal, crate::Lang::En).await?.iter().any(|c| c.key == subject) {
        "dispute"
    } else {
        return Err(Error::invalid("subject", Problem::Malformed));
    };
    tracing::Span::current().record("kind", kind);
    let explanation = explanation.trim();
    if explanation.chars().count() < MIN_EXPLANATION {
        return Err(Error::invalid("explanation", Problem::Required));
    }
    if explanation.chars().count() > MAX_EXPLANATION {
        return Err(Error::invalid("explanation", Problem::TooLong));
    }
    if explanation.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(Error::invalid("explanation", Problem::Malformed));
    }
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO requests (customer_id, kind, subject, explanation, status, received_at, due_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'new', $5, $6, $5) RETURNING id",
    )
    .bind(customer_id)
    .bind(kind)
    .bind(subject)
    .bind(explanation)
    .bind(now)
    .bind(one_month_after(now))
    .fetch_one(&mut *tx)
    .await?;
    let detail = format!("{kind}:{subject}");
    audit::record(
        &mut tx,
        now,
        Entry { actor: Actor::Customer, customer_id: Some(customer_id), action: "requests.submitted", detail: &detail, ip: Some(&meta.ip) },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The customer's own requests, newest first.
pub async fn for_customer(portal: &Portal, customer_id: i64) -> Result<Vec<Request>> {
    let rows: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, kind, subject, status, received_at, due_at FROM requests WHERE customer_id = $1 \
         ORDER BY received_at DESC, id DESC",
    )
    .bind(customer_id)
    .fetch_all(portal.store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, subject, status, received_at, due_at)| Request { id, kind, subject, status, received_at, due_at })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::one_month_after;

    fn at(y: i32, m: time::Month, d: u8) -> i64 {
        time::Date::from_calendar_date(y, m, d).unwrap().midnight().assume_utc().unix_timestamp()
    }

    #[test]
    fn one_calendar_month_clamped_to_the_month_end() {
        use time::Month::*;
        assert_eq!(one_month_after(at(2026, March, 15)), at(2026, April, 15));
        assert_eq!(one_month_after(at(2026, January, 31)), at(2026, February, 28));
        assert_eq!(one_month_after(at(2028, January, 31)), at(2028, February, 29));
        assert_eq!(one_month_after(at(2026, December, 20)), at(2027, January, 20));
    }
}
