//! Writes the ZIP. The activity log, the one table that grows without bound, is streamed from
//! the database in order and written as it comes, twice (JSON, then CSV), in batches; nothing
//! holds more than a batch of rows and about one stored part at a time.

use std::io::Write;

use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::locale::iso_utc;
use crate::{Backend, Error, Portal, Result, catalogue, consent};

use super::parts::{Sink, Uploader};
use super::snapshot::{self, Snapshot};
use super::tables::{self, Table};
use super::{csv, manifest, report};

/// Rows between progress reports (and stored parts).
const BATCH: usize = 5_000;
/// Fast deflate: exports are mostly repetitive text, and the level-6 gain is a few percent
/// of size for twice the time (measured with `make bench-export`).
const LEVEL: i64 = 1;
const SCHEMA: &str = include_str!("schema.json");

/// A finished package as stored.
pub struct Packed {
    pub size: i64,
    pub file_name: String,
}

/// Reports progress, keeps the build's lease and learns whether it still holds the export.
pub struct Progress<'a> {
    pub portal: &'a Portal,
    pub export_id: i64,
    pub claim: &'a str,
}

impl Progress<'_> {
    async fn report(&self, stage: &str, percent: i64) -> Result<()> {
        let now = self.portal.now();
        let held = sqlx::query(
            "UPDATE exports SET stage = $1, progress = $2, locked_until = $3 \
             WHERE id = $4 AND state = 'building' AND claim_token = $5",
        )
        .bind(stage)
        .bind(percent.clamp(0, 99))
        .bind(now + self.portal.policy.export_lease_secs)
        .bind(self.export_id)
        .bind(self.claim)
        .execute(self.portal.store.pool())
        .await?;
        if held.rows_affected() == 1 { Ok(()) } else { Err(Error::NotFound) }
    }
}

#[derive(Serialize)]
struct ActivityJson<'a> {
    occurred_at: &'a str,
    kind: &'a str,
    detail: &'a str,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
}

type ActivityRow = (i64, String, String, Option<String>, Option<String>);

fn zip_failed<E>(_: E) -> Error {
    Error::Internal("export: writing the package failed")
}

fn json_failed(_: serde_json::Error) -> Error {
    Error::Internal("export: serialising failed")
}

pub async fn write(progress: &Progress<'_>, customer_id: i64) -> Result<Packed> {
    let portal = progress.portal;
    let now = portal.now();
    let s = snapshot::read(portal, customer_id).await?;
    let categories = catalogue::load(portal, s.lang).await?;
    let purposes = consent::ledger::overview(portal, customer_id, s.lang).await?;
    // Rows added while the build runs belong to the next export: both passes stop at this id.
    let (total, last_id): (i64, Option<i64>) = sqlx::query_as("SELECT COUNT(*), MAX(id) FROM activity_events WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_one(portal.store.pool())
        .await?;
    let last_id = last_id.unwrap_or(0);
    progress.report("collecting", 2).await?;

    let sink = Sink::default();
    let mut up = Uploader::start(portal, progress.export_id, sink.clone()).await?;
    let mut zip = ZipWriter::new_stream(sink);
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(LEVEL))
        .last_modified_time(zip_time(now));

    // data.json: the snapshot's fields, then the activity array, in one object.
    zip.start_file("data.json", opts).map_err(zip_failed)?;
    let head = serde_json::to_string(&s).map_err(json_failed)?;
    let fields = head.strip_prefix('{').and_then(|h| h.strip_suffix('}')).ok_or(Error::Internal("export: snapshot shape"))?;
    write!(zip, "{{\"format\":\"custodia-export/1\",\"generated_at\":\"{}\",{fields},\"activity\":[", iso_utc(now)).map_err(zip_failed)?;
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
    let mut done = 0usize;
    let mut pages = ActivityPages::new(customer_id, last_id);
    while let Some(batch) = pages.next(portal).await? {
        for (at, kind, detail, ip, ua) in &batch {
            if done > 0 {
                buf.push(b',');
            }
            let row = ActivityJson { occurred_at: &iso_utc(*at), kind, detail, ip: ip.as_deref(), user_agent: ua.as_deref() };
            serde_json::to_writer(&mut buf, &row).map_err(json_failed)?;
            done += 1;
        }
        zip.write_all(&buf).map_err(zip_failed)?;
        buf.clear();
        up.flush(portal, false).await?;
        progress.report("activity", 5 + share(done, total, 45)).await?;
    }
    buf.extend_from_slice(b"]}");
    zip.write_all(&buf).map_err(zip_failed)?;
    buf.clear();

    zip.start_file("schema.json", opts).map_err(zip_failed)?;
    zip.write_all(SCHEMA.as_bytes()).map_err(zip_failed)?;
    let manifest = manifest::build(&s, &categories, &purposes, total, now, &portal.public_url);
    zip.start_file("manifest.json", opts).map_err(zip_failed)?;
    serde_json::to_writer_pretty(&mut zip, &manifest).map_err(json_failed)?;
    for (name, table) in small_tables(&s) {
        zip.start_file(name, opts).map_err(zip_failed)?;
        let mut out = Vec::new();
        csv::record(&mut out, table.columns);
        for r in &table.rows {
            csv::record(&mut out, r);
        }
        zip.write_all(&out).map_err(zip_failed)?;
    }
    up.flush(portal, false).await?;
    progress.report("activity", 50).await?;

    zip.start_file("activity.csv", opts).map_err(zip_failed)?;
    csv::record(&mut buf, &["occurred_at", "kind", "detail", "ip", "user_agent"]);
    let mut written = 0usize;
    let mut pages = ActivityPages::new(customer_id, last_id);
    while let Some(batch) = pages.next(portal).await? {
        for (at, kind, detail, ip, ua) in &batch {
            csv::record(&mut buf, &[iso_utc(*at).as_str(), kind, detail, ip.as_deref().unwrap_or(""), ua.as_deref().unwrap_or("")]);
        }
        written += batch.len();
        zip.write_all(&buf).map_err(zip_failed)?;
        buf.clear();
        up.flush(portal, false).await?;
        progress.report("activity", 50 + share(written, total, 40)).await?;
    }
    zip.write_all(&buf).map_err(zip_failed)?;
    drop(buf);
    progress.report("packing", 92).await?;

    let recent: Vec<ActivityRow> = sqlx::query_as(
        "SELECT occurred_at, kind, detail, ip, user_agent FROM activity_events WHERE customer_id = $1 AND id <= $2 \
         ORDER BY occurred_at DESC, id DESC LIMIT $3",
    )
    .bind(customer_id)
    .bind(last_id)
    .bind(report::ACTIVITY_ROWS)
    .fetch_all(portal.store.pool())
    .await?;
    let recent = recent
        .into_iter()
        .map(|(at, kind, detail, ip, ua)| vec![iso_utc(at), kind, detail, ip.unwrap_or_default(), ua.unwrap_or_default()])
        .collect();
    let html = report::render(&s, &categories, recent, total, now)?;
    zip.start_file("index.html", opts).map_err(zip_failed)?;
    zip.write_all(html.as_bytes()).map_err(zip_failed)?;
    zip.finish().map_err(zip_failed)?;
    up.flush(portal, true).await?;
    let date = &iso_utc(now)[..10];
    Ok(Packed { size: up.bytes, file_name: format!("custodia-export-{}-{date}.zip", s.customer_reference) })
}

/// The activity log in (occurred_at, id) order, a batch at a time. Each batch comes from the
/// database as one JSON array built there: one value per batch crosses the driver instead of
/// one row at a time, which is most of the time an export takes (`make bench-export`).
struct ActivityPages {
    customer_id: i64,
    last_id: i64,
    after: (i64, i64),
    done: bool,
}

impl ActivityPages {
    fn new(customer_id: i64, last_id: i64) -> Self {
        ActivityPages { customer_id, last_id, after: (i64::MIN, i64::MIN), done: false }
    }

    async fn next(&mut self, portal: &Portal) -> Result<Option<Vec<ActivityRow>>> {
        if self.done {
            return Ok(None);
        }
        let rows = "SELECT occurred_at, id, kind, detail, ip, user_agent FROM activity_events \
                    WHERE customer_id = $1 AND id <= $2 AND occurred_at >= $3 AND (occurred_at > $3 OR id > $4) \
                    ORDER BY occurred_at, id LIMIT $5";
        let sql = match portal.store.backend() {
            Backend::Sqlite => format!(
                "SELECT json_group_array(json_array(occurred_at, id, kind, detail, ip, user_agent) ORDER BY occurred_at, id) FROM ({rows})"
            ),
            Backend::Postgres => format!(
                "SELECT COALESCE(json_agg(json_build_array(occurred_at, id, kind, detail, ip, user_agent) ORDER BY occurred_at, id), '[]')::text \
                 FROM ({rows}) AS batch"
            ),
        };
        let (text,): (String,) = sqlx::query_as(&sql)
            .bind(self.customer_id)
            .bind(self.last_id)
            .bind(self.after.0)
            .bind(self.after.1)
            .bind(BATCH as i64)
            .fetch_one(portal.store.pool())
            .await?;
        type Raw = (i64, i64, String, String, Option<String>, Option<String>);
        let raw: Vec<Raw> = serde_json::from_str(&text).map_err(|_| Error::Internal("export: activity batch shape"))?;
        match raw.last() {
            Some(r) => self.after = (r.0, r.1),
            None => {
                self.done = true;
                return Ok(None);
            }
        }
        self.done = raw.len() < BATCH;
        Ok(Some(raw.into_iter().map(|(at, _, kind, detail, ip, ua)| (at, kind, detail, ip, ua)).collect()))
    }
}

fn share(done: usize, total: i64, of: i64) -> i64 {
    if total <= 0 { of } else { (done as i64 * of / total).min(of) }
}

fn zip_time(unix: i64) -> zip::DateTime {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| zip::DateTime::from_date_and_time(t.year() as u16, t.month() as u8, t.day(), t.hour(), t.minute(), t.second()).ok())
        .unwrap_or_default()
}

/// The CSV files of everything but the activity log.
fn small_tables(s: &Snapshot) -> Vec<(&'static str, Table)> {
    vec![
        ("profile.csv", tables::profile(s)),
        ("contact.csv", tables::contact(s)),
        ("addresses.csv", tables::addresses(s)),
        ("orders.csv", tables::orders(s)),
        ("support_tickets.csv", tables::support_tickets(s)),
        ("communication_preferences.csv", tables::preferences(s)),
        ("requests.csv", tables::requests(s)),
        ("security.csv", tables::security(s)),
        ("sessions.csv", tables::sessions(s)),
        ("consent_history.csv", tables::consent_history(s)),
        ("staff_access.csv", tables::staff_access(s)),
    ]
}
