use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevMailView {
    pub id: i64,
    pub received: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// Links found in the message, so they can be followed from the page.
    pub links: Vec<String>,
}

/// The dev mailbox: every message the portal sent, when no SMTP server is configured. Does not
/// exist otherwise.
#[server(endpoint = "dev_mailbox")]
pub async fn dev_mailbox() -> Result<Vec<DevMailView>, AppError> {
    use super::ssr::*;

    let enabled = use_context::<WebSettings>().is_some_and(|s| s.dev_mailbox);
    if !enabled {
        return Err(AppError::NotFound);
    }
    let portal = portal()?;
    let mails = domain::mail::dev_mailbox::list(&portal, 50).await.map_err(internal)?;
    let prefix = format!("{}/", portal.public_url);
    Ok(mails
        .into_iter()
        .map(|m| DevMailView {
            id: m.id,
            received: domain::locale::date_time(lang(), m.received_at),
            links: m
                .mail
                .text
                .split_whitespace()
                .filter(|w| w.starts_with(&prefix))
                .map(|w| w.trim_start_matches(&portal.public_url[..]).to_string())
                .collect(),
            to: m.mail.to,
            subject: m.mail.subject,
            text: m.mail.text,
        })
        .collect())
}
