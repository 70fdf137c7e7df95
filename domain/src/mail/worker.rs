//! The delivery worker: takes due messages from the outbox and hands them to the transport,
//! retrying with backoff. Several instances may run on one database.

use std::time::Duration;

use super::{SendError, Transport, outbox};
use crate::{Portal, Result};

const BATCH: i64 = 20;

/// One pass over what is due now. Returns how many messages were delivered.
pub async fn deliver_due(portal: &Portal, transport: &Transport) -> Result<usize> {
    let mut delivered = 0;
    loop {
        let batch = outbox::claim_due(portal, BATCH).await?;
        if batch.is_empty() {
            return Ok(delivered);
        }
        let mut items = batch.into_iter();
        while let Some(item) = items.next() {
            let span = tracing::info_span!("mail.deliver", outbox_id = item.id, kind = %item.kind, attempt = item.attempts);
            let _enter = span.enter();
            match transport.send(portal, &item.mail).await {
                Ok(()) => {
                    outbox::mark_sent(portal, item.id).await?;
                    delivered += 1;
                    tracing::info!("mail delivered");
                }
                Err(SendError::Transient(reason)) => {
                    tracing::warn!(reason, "mail delivery failed; will retry");
                    outbox::mark_failed(portal, item.id, item.attempts, false, reason).await?;
                    // The server is likely down for the rest of the batch too: release it to
                    // the same backoff instead of trying each one.
                    for rest in items {
                        outbox::mark_failed(portal, rest.id, rest.attempts, false, reason).await?;
                    }
                    return Ok(delivered);
                }
                Err(SendError::Permanent(reason)) => {
                    tracing::error!(reason, "mail refused; set aside");
                    outbox::mark_failed(portal, item.id, item.attempts, true, reason).await?;
                }
            }
        }
    }
}

/// Runs for the life of the process: a pass whenever mail is queued, and every `poll` anyway
/// (retries fall due, other instances queue mail).
pub fn spawn(portal: Portal, transport: Transport, poll: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_due(&portal, &transport).await {
                tracing::error!(error = %e, "mail worker pass failed");
            }
            tokio::select! {
                _ = portal.mail_waker.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    })
}
