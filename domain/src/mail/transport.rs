//! Where mail goes: an SMTP server (plain, STARTTLS or TLS, with credentials, all from one URL),
//! or, when none is configured, the dev mailbox inside the portal.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Mail, dev_mailbox};
use crate::{Error, Portal, Result};

#[derive(Clone)]
pub enum Transport {
    Smtp { mailer: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
    DevMailbox,
}

/// Why a delivery failed, in fixed words (the server's reply can quote addresses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// Try again later: the server is unreachable, busy or said "not now" (4xx).
    Transient(&'static str),
    /// The server refused this message outright (5xx) or it cannot be built.
    Permanent(&'static str),
}

impl Transport {
    /// `smtp://host:port` (plain, for a local relay), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host:465` (TLS).
    pub fn smtp(url: &str, from: &str) -> Result<Self> {
        let from: Mailbox = from.parse().map_err(|_| Error::Internal("CUSTODIA_MAIL_FROM is not a mail address"))?;
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| Error::Internal("CUSTODIA_SMTP_URL is not a valid smtp:// or smtps:// URL"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Transport::Smtp { mailer, from })
    }

    pub fn is_dev_mailbox(&self) -> bool {
        matches!(self, Transport::DevMailbox)
    }

    pub async fn send(&self, portal: &Portal, mail: &Mail) -> Result<(), SendError> {
        match self {
            Transport::DevMailbox => dev_mailbox::deliver(portal, mail)
                .await
                .map_err(|_| SendError::Transient("dev mailbox unavailable")),
            Transport::Smtp { mailer, from } => {
                let to: Mailbox = mail.to.parse().map_err(|_| SendError::Permanent("bad recipient"))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject.clone())
                    .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
                    .map_err(|_| SendError::Permanent("unbuildable"))?;
                match mailer.send(message).await {
                    Ok(_) => Ok(()),
                    Err(e) if e.is_permanent() => Err(SendError::Permanent("refused")),
                    Err(e) if e.is_timeout() => Err(SendError::Transient("timeout")),
                    Err(e) if e.is_transient() => Err(SendError::Transient("deferred")),
                    Err(_) => Err(SendError::Transient("unreachable")),
                }
            }
        }
    }
}
