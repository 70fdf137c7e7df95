//! The data export (Article 15 GDPR: the right of access, and Article 20: portability).
//!
//! The customer asks with a fresh authenticator code; a job builds one ZIP with everything held
//! about them (`data.json` with its JSON Schema, a CSV per category, a readable `index.html`,
//! the Article 15 manifest) streaming rows from the database into it, and stores it sealed in
//! parts. A mail says when it is ready; downloading takes another fresh code; after a week the
//! file is deleted. Staff have no way to it: every function here takes the customer's own id.

pub mod csv;
pub mod download;
pub mod job;
mod manifest;
mod rights;
mod package;
mod parts;
mod report;
mod snapshot;
mod tables;

use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::identity::{RequestMeta, step_up};
use crate::{Error, Portal, Result};

pub use download::{Download, open_download, read_part};

/// Where an export is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Queued,
    Building,
    Ready,
    Expired,
    Failed,
}

impl State {
    fn parse(s: &str) -> State {
        match s {
            "queued" => State::Queued,
            "building" => State::Building,
            "ready" => State::Ready,
            "expired" => State::Expired,
            _ => State::Failed,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Building => "building",
            State::Ready => "ready",
            State::Expired => "expired",
            State::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Export {
    pub public_id: String,
    pub state: State,
    /// What the build is doing ("activity", "packing"), for the progress line.
    pub stage: String,
    /// 0–100.
    pub progress: i64,
    pub requested_at: i64,
    pub ready_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub size_bytes: Option<i64>,
}

/// The customer's latest export, and when they may ask for a new one.
#[derive(Debug, Clone)]
pub struct Overview {
    pub latest: Option<Export>,
    /// Set while the once-a-day limit holds; None: they may ask now (if none is being made).
    pub next_allowed_at: Option<i64>,
}

pub async fn overview(portal: &Portal, customer_id: i64) -> Result<Overview> {
    let row: Option<(String, String, String, i64, i64, Option<i64>, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT public_id, state, stage, progress, requested_at, ready_at, expires_at, size_bytes FROM exports \
         WHERE customer_id = $1 ORDER BY requested_at DESC, id DESC LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(portal.store.pool())
    .await?;
    let latest = row.map(|(public_id, state, stage, progress, requested_at, ready_at, expires_at, size_bytes)| Export {
        public_id,
        state: State::parse(&state),
        stage,
        progress,
        requested_at,
        ready_at,
        expires_at,
        size_bytes,
    });
    let next = latest.as_ref().map(|e| e.requested_at + portal.policy.export_interval_secs).filter(|t| *t > portal.now());
    Ok(Overview { latest, next_allowed_at: next })
}

/// Queues a new export after checking the code; returns its public id. Refused while one is
/// being made (`Invalid { field: "export", problem: Busy }`) and within a day of the last
/// (`TooSoon`).
#[tracing::instrument(name = "export.request", skip_all)]
pub async fn request(portal: &Portal, customer_id: i64, code: &str, meta: &RequestMeta) -> Result<String> {
    let now = portal.now();
    let current = overview(portal, customer_id).await?;
    if current.latest.as_ref().is_some_and(|e| matches!(e.state, State::Queued | State::Building)) {
        return Err(Error::invalid("export", Problem::Busy));
    }
    if current.next_allowed_at.is_some() {
        return Err(Error::invalid("export", Problem::TooSoon));
    }
    let step = step_up::check(portal, customer_id, code, "export_request_code", meta).await?;
    let public_id = format!("EX-{}", &crate::keys::random_token()[..20]);
    let mut tx = portal.store.begin().await?;
    if !step.consume(&mut tx).await? {
        tx.rollback().await?;
        return Err(step.refuse(portal, "export_request_code", meta).await?);
    }
    let inserted = sqlx::query(
        "INSERT INTO exports (public_id, customer_id, state, stage, requested_at) VALUES ($1, $2, 'queued', 'queued', $3)",
    )
    .bind(&public_id)
    .bind(customer_id)
    .bind(now)
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        let e = Error::from(e);
        tx.rollback().await?;
        // Two requests raced: the unique index lets one through.
        return Err(if e.is_unique_violation() { Error::invalid("export", Problem::Busy) } else { e });
    }
    crate::activity::record(&mut tx, customer_id, now, "export_requested", "", meta).await?;
    audit::record(
        &mut tx,
        now,
        Entry { actor: Actor::Customer, customer_id: Some(customer_id), action: "export.requested", detail: &public_id, ip: Some(&meta.ip) },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

