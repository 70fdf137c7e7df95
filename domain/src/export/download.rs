//! Handing a finished export to its customer: only theirs, only while it is kept, only with a
//! fresh authenticator code. The file then goes out part by part.

use crate::audit::{self, Actor, Entry};
use crate::error::LinkProblem;
use crate::identity::{RequestMeta, step_up};
use crate::{Error, Portal, Result};

use super::parts::context;

/// A download the customer has unlocked.
#[derive(Debug, Clone)]
pub struct Download {
    pub export_id: i64,
    pub file_name: String,
    pub size: i64,
    pub parts: i64,
}

/// Checks ownership, expiry and the code, and records the download. Another customer's export
/// (or none) is `NotFound`; a file past its week is `Link(Expired)`; wrong codes are
/// `BadCredentials` and count toward the account's throttle.
#[tracing::instrument(name = "export.download", skip_all)]
pub async fn open_download(portal: &Portal, customer_id: i64, public_id: &str, code: &str, meta: &RequestMeta) -> Result<Download> {
    if public_id.len() > 40 || !public_id.starts_with("EX-") {
        return Err(Error::NotFound);
    }
    let row: Option<(i64, String, Option<i64>, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT id, state, expires_at, file_name, size_bytes FROM exports WHERE public_id = $1 AND customer_id = $2",
    )
    .bind(public_id)
    .bind(customer_id)
    .fetch_optional(portal.store.pool())
    .await?;
    let Some((export_id, state, expires_at, file_name, size)) = row else { return Err(Error::NotFound) };
    let now = portal.now();
    if state == "expired" || (state == "ready" && expires_at.is_some_and(|t| t <= now)) {
        return Err(Error::Link(LinkProblem::Expired));
    }
    let (Some(file_name), Some(size), "ready") = (file_name, size, state.as_str()) else {
        return Err(Error::NotFound);
    };
    let step = step_up::check(portal, customer_id, code, "export_download_code", meta).await?;
    let mut tx = portal.store.begin().await?;
    if !step.consume(&mut tx).await? {
        tx.rollback().await?;
        return Err(step.refuse(portal, "export_download_code", meta).await?);
    }
    sqlx::query("UPDATE exports SET downloads = downloads + 1 WHERE id = $1").bind(export_id).execute(&mut *tx).await?;
    crate::activity::record(&mut tx, customer_id, now, "export_downloaded", "", meta).await?;
    audit::record(
        &mut tx,
        now,
        Entry { actor: Actor::Customer, customer_id: Some(customer_id), action: "export.downloaded", detail: public_id, ip: Some(&meta.ip) },
    )
    .await?;
    let (parts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM export_parts WHERE export_id = $1").bind(export_id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(Download { export_id, file_name, size, parts })
}

/// Part `seq` (from 0) of an unlocked download, opened.
pub async fn read_part(portal: &Portal, download: &Download, seq: i64) -> Result<Vec<u8>> {
    let (data,): (Vec<u8>,) = sqlx::query_as("SELECT data FROM export_parts WHERE export_id = $1 AND seq = $2")
        .bind(download.export_id)
        .bind(seq)
        .fetch_optional(portal.store.pool())
        .await?
        .ok_or(Error::NotFound)?;
    portal.keys.open(&context(download.export_id, seq), &data)
}
