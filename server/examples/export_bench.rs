//! Export benchmark (run on demand: `make bench-export`, not a timed test).
//!
//! For customers with 10,000, 100,000 and 1,000,000 activity rows (`EXPORT_BENCH_ROWS`, comma
//! separated, to change) in an SQLite file, times building the whole export package (data.json,
//! CSV, index.html, manifest; deflated, sealed and stored) in a process of its own, and in the
//! same run times `sqlite3 -json` dumping the same rows; both under `/usr/bin/time` for wall
//! time and peak memory (maximum resident set). Targets: at most 1.5x the sqlite3 time; peak
//! memory at most 64 MiB and flat across the sizes.

use std::process::Command;
use std::time::Instant;

use domain::identity::totp;
use domain::testing::{TestDb, customer_id, enrolled, meta, seed_activity};
use domain::{Backend, Clock, Policy, Portal, Store};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--build") {
        return build_in_this_process(&args[2]).await;
    }
    let sizes: Vec<i64> = std::env::var("EXPORT_BENCH_ROWS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    println!("| Activity rows | Export: wall time | Export: peak memory | `sqlite3 -json`: wall time | `sqlite3 -json`: peak memory | Time ratio | ZIP size |");
    println!("|---|---|---|---|---|---|---|");
    for rows in sizes {
        let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
        let portal = db.portal.clone();
        let (_, secret, _) = enrolled(&portal, "big@example.test").await;
        let customer = customer_id(&portal, "big@example.test").await;
        seed_activity(&portal, customer, rows).await;
        portal.clock.advance(30);
        let code = totp::code_at(&secret, portal.now()).unwrap();
        domain::export::request(&portal, customer, &code, &meta()).await.unwrap();
        let path = db.url.strip_prefix("sqlite://").unwrap().to_string();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(portal.store.pool()).await.unwrap();

        let exe = std::env::current_exe().unwrap();
        let (export_secs, export_kib) = timed(Command::new("/usr/bin/time").arg("-f").arg("%e %M").arg(&exe).arg("--build").arg(&db.url));
        let (size,): (i64,) = sqlx::query_as("SELECT size_bytes FROM exports WHERE customer_id = $1 AND state = 'ready'")
            .bind(customer)
            .fetch_one(portal.store.pool())
            .await
            .expect("the export was built");
        let sql = format!(
            "SELECT occurred_at, kind, detail, ip, user_agent FROM activity_events WHERE customer_id = {customer} ORDER BY occurred_at, id"
        );
        let (sqlite_secs, sqlite_kib) = timed(Command::new("/usr/bin/time").arg("-f").arg("%e %M").arg("sqlite3").arg("-json").arg(&path).arg(&sql));
        println!(
            "| {rows} | {export_secs:.2} s | {:.1} MiB | {sqlite_secs:.2} s | {:.1} MiB | {:.2}x | {:.1} MiB |",
            export_kib as f64 / 1024.0,
            sqlite_kib as f64 / 1024.0,
            export_secs / sqlite_secs.max(0.01),
            size as f64 / 1_048_576.0,
        );
        db.finish().await;
    }
}

/// Runs `cmd` (under /usr/bin/time -f "%e %M"), output discarded; (seconds, peak KiB).
fn timed(cmd: &mut Command) -> (f64, u64) {
    let started = Instant::now();
    let out = cmd.stdout(std::process::Stdio::null()).output().expect("run the command");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let mut parts = last.split_whitespace();
    let secs = parts.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| started.elapsed().as_secs_f64());
    let kib = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    (secs, kib)
}

/// The measured part: what a portal instance does for one queued export.
async fn build_in_this_process(url: &str) {
    sqlx::any::install_default_drivers();
    let store = Store::connect(url).await.expect("connect");
    let portal = Portal::new(store.clone(), Clock::system(), domain::testing::test_keys(&store).await, Policy::default());
    let ready = domain::export::job::run_due(&portal).await.expect("build");
    assert_eq!(ready, 1);
    portal.store.close().await;
}
