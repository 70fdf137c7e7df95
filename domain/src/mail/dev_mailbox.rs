//! The dev mailbox: with no SMTP server configured, mail is kept here and shown on a page of
//! the portal, so every flow can be tried on one machine. Never on when SMTP is configured.

use super::Mail;
use crate::{Portal, Result};

#[derive(Debug, Clone)]
pub struct DevMail {
    pub id: i64,
    pub received_at: i64,
    pub mail: Mail,
}

pub async fn deliver(portal: &Portal, mail: &Mail) -> Result<()> {
    sqlx::query(
        "INSERT INTO dev_mailbox (received_at, recipient, subject, text_body, html_body) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(portal.now())
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .execute(portal.store.pool())
    .await?;
    Ok(())
}

/// Newest first.
pub async fn list(portal: &Portal, limit: i64) -> Result<Vec<DevMail>> {
    let rows: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, received_at, recipient, subject, text_body, html_body FROM dev_mailbox \
         ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(portal.store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, received_at, to, subject, text, html)| DevMail {
            id,
            received_at,
            mail: Mail { to, subject, text, html },
        })
        .collect())
}
