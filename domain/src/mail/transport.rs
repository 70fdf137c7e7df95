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

/// Mail holds personal data and single-use links: to another machine it goes encrypted, with TLS
/// from the start (`smtps://`) or STARTTLS that must succeed (`?tls=required`), never
/// opportunistic TLS that an attacker on the path can strip. Plain SMTP is for a relay on this
/// machine only, where it never crosses a network.
fn encrypted_unless_local(url: &str) -> Result<()> {
    let parsed = reqwest::Url::parse(url).map_err(|_| Error::Internal("CUSTODIA_SMTP_URL is not a valid smtp:// or smtps:// URL"))?;
    if parsed.scheme() == "smtps" || parsed.query_pairs().any(|(k, v)| k == "tls" && v == "required") {
        return Ok(());
    }
    let host = parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    let local = host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if local {
        Ok(())
    } else {
        Err(Error::Internal("CUSTODIA_SMTP_URL would send mail unencrypted to another machine: use smtps:// or ?tls=required"))
    }
}

impl Transport {
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://user:pass@host:465` (TLS),
    /// or `smtp://127.0.0.1:25` (plain, only to a relay on this machine).
    pub fn smtp(url: &str, from: &str) -> Result<Self> {
        let from: Mailbox = from.parse().map_err(|_| Error::Internal("CUSTODIA_MAIL_FROM is not a mail address"))?;
        encrypted_unless_local(url)?;
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

#[cfg(test)]
mod tests {
    use super::Transport;

    // A runtime because the pooled transport starts its pool on one.
    #[tokio::test]
    async fn mail_to_another_machine_must_be_encrypted() {
        let from = "privacy@example.com";
        for ok in [
            "smtps://user:secret@mail.example.com:465",
            "smtp://user:secret@mail.example.com:587?tls=required",
            "smtp://127.0.0.1:2525",
            "smtp://localhost:25",
            "smtp://[::1]:25",
        ] {
            assert!(Transport::smtp(ok, from).is_ok(), "{ok}");
        }
        for plain in [
            "smtp://mail.example.com:25",
            "smtp://user:secret@mail.example.com:587",
            "smtp://mail.example.com:587?tls=opportunistic",
            "smtp://192.0.2.25:25",
            "smtp://localhost.example.com:25",
        ] {
            let Err(e) = Transport::smtp(plain, from) else { panic!("{plain} was accepted") };
            assert!(!e.to_string().contains("secret"), "the password stays out of the message");
        }
    }
}
