//! The delivery worker: takes due messages from the outbox and hands them to the transport,
//! retrying with backoff. Several instances may run on one database.

use std::time::Duration;

use futures_util::future::join_all;
use tracing::Instrument;

use super::{SendError, Transport, outbox};
use crate::{Portal, Result};

const BATCH: i64 = 20;

/// One pass over what is due now. Returns how many messages were delivered.
///
/// A batch is sent concurrently over the transport's pool of SMTP connections: one message at a
/// time spends most of its time waiting on round trips (measured: about 50 ms a message to a
/// local server, pooled, and 160 ms with a connection each).
pub async fn deliver_due(portal: &Portal, transport: &Transport) -> Result<usize> {
    let mut delivered = 0;
    loop {
        let batch = outbox::claim_due(portal, BATCH).await?;
        if batch.is_empty() {
            return Ok(delivered);
        }
        let span = |item: &outbox::Claimed| tracing::info_span!("mail.deliver", outbox_id = item.id, kind = %item.kind, attempt = item.attempts);
        let sends = batch.iter().map(|item| transport.send(portal, &item.mail).instrument(span(item)));
        let results = if transport.is_dev_mailbox() {
            // One by one, so the trial mailbox lists mail in the order it was queued.
            let mut results = Vec::with_capacity(batch.len());
            for send in sends {
                results.push(send.await);
            }
            results
        } else {
            join_all(sends).await
        };
        let mut server_down = false;
        for (item, result) in batch.iter().zip(results) {
            let record = async {
                match result {
                    Ok(()) => {
                        outbox::mark_sent(portal, item.id).await?;
                        delivered += 1;
                        tracing::info!("mail delivered");
                    }
                    Err(SendError::Transient(reason)) => {
                        tracing::warn!(reason, "mail delivery failed; will retry");
                        outbox::mark_failed(portal, item.id, item.attempts, false, reason).await?;
                        server_down = true;
                    }
                    Err(SendError::Permanent(reason)) => {
                        tracing::error!(reason, "mail refused; set aside");
                        outbox::mark_failed(portal, item.id, item.attempts, true, reason).await?;
                    }
                }
                Ok::<_, crate::Error>(())
            };
            record.instrument(span(item)).await?;
        }
        // The server is likely down: leave the rest of the queue to the backoff.
        if server_down {
            return Ok(delivered);
        }
    }
}

/// Runs for the life of the process: a pass whenever mail is queued or a reset link asked for,
/// and every `poll` anyway (retries fall due, other instances queue mail).
pub fn spawn(portal: Portal, transport: Transport, poll: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            // Reset links are looked up here rather than in the request that asked for them
            // (see identity::password_reset), and go out in the same pass.
            if let Err(e) = crate::identity::password_reset::issue_asked(&portal).await {
                tracing::error!(error = %e, "issuing asked-for reset links failed");
            }
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
