//! The real server binary killed with SIGKILL while it confirms changes: every change is either
//! fully applied (data, link consumed, audit row, activity row, notice queued) or not at all.
//! On SQLite and PostgreSQL; the SQLite file passes `PRAGMA integrity_check` afterwards.
//! Also the erasure and export jobs killed part-way. `CRASH_KILLS` kills per backend (20 by
//! default, `make faults` runs 200), at moments drawn from `CRASH_SEED` (printed; the clock's
//! nanoseconds when unset, so every run probes other moments).

mod support;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::Gen;

use domain::identity::totp;
use domain::testing::*;
use domain::verification::{self, Field, NewValue};
use domain::{Backend, Portal};

/// This suite's share (in percent) of `CRASH_KILLS`: confirmation 60, erasure 20, export 20.
fn kills(share: u64) -> u64 {
    let total: u64 = std::env::var("CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    (total * share / 100).max(1)
}

fn moments() -> Gen {
    let clock = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    Gen::from_env("CRASH_SEED", u64::from(clock))
}

fn start_server(db_url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", db_url)
        .env("CUSTODIA_ADDR", format!("127.0.0.1:{port}"))
        .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
        // Mail stays queued in the outbox: nothing listens here.
        .env("CUSTODIA_SMTP_URL", format!("smtp://127.0.0.1:{}", free_port()))
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary")
}

struct State {
    status: String,
    phone: Option<String>,
    audit: i64,
    activity: i64,
    notices: i64,
}

async fn state(portal: &Portal, customer: i64) -> State {
    let pool = portal.store.pool();
    let (status,): (String,) = sqlx::query_as("SELECT status FROM pending_changes WHERE customer_id = $1")
        .bind(customer)
        .fetch_one(pool)
        .await
        .unwrap();
    let phone = person(portal, customer).await.phone;
    let count = |sql: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as(sql).bind(customer).fetch_one(pool).await.unwrap();
        n
    };
    State {
        status,
        phone,
        audit: count("SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 AND action = 'verification.applied'").await,
        activity: count("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1 AND kind = 'data_changed'").await,
        notices: count("SELECT COUNT(*) FROM outbox WHERE customer_id = $1 AND kind = 'changed'").await,
    }
}

/// A change of phone awaiting confirmation for a fresh customer (each has its own unused TOTP
/// steps): (customer id, new phone, link token, code).
async fn pending_change(portal: &Portal, round: u64) -> (i64, String, String, String) {
    let email = format!("crash{round}@example.test");
    let (_, secret, _) = enrolled(portal, &email).await;
    let customer = customer_id(portal, &email).await;
    let new_phone = format!("+34 600 9{round:05}");
    verification::request_change(portal, customer, Field::Phone, NewValue::Text(new_phone.clone()), &meta()).await.unwrap();
    let token = token_in(&peek_outbox(portal, "confirm_change").await.unwrap().text, "/confirm/").unwrap();
    let code = totp::code_at(&secret, portal.now() + 30).unwrap();
    (customer, new_phone, token, code)
}

/// A fresh server process on `port` and the confirmation posted to it, not yet awaited.
fn confirm_on(client: &reqwest::Client, port: u16, token: &str, code: &str) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> {
    let origin = format!("http://127.0.0.1:{port}");
    client
        .post(format!("{origin}/api/confirm_change"))
        .header("origin", &origin)
        .header("accept", "text/html")
        .form(&[("token", token), ("code", code)])
        .send()
}

async fn killed_mid_confirmation(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let portal = db.portal.clone();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let (mut applied, mut untouched) = (0, 0);
    let mut moment = moments();

    // How long a confirmation takes on a freshly started server on this backend and machine, so
    // the kills spread over the whole of it (on PostgreSQL it takes several times longer).
    let (_, _, token, code) = pending_change(&portal, 10_000).await;
    let port = free_port();
    let mut child = start_server(&db.url, port);
    wait_healthy(&client, port).await;
    let started = std::time::Instant::now();
    assert!(confirm_on(&client, port, &token, &code).await.unwrap().status().is_redirection());
    let span = (started.elapsed().as_micros() as u64).max(2_000);
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!("{backend:?}: a confirmation took {span} µs; kills fall in 0..{span} µs after sending");

    for round in 0..kills(60) {
        let (customer, new_phone, token, code) = pending_change(&portal, round).await;
        let port = free_port();
        let mut child = start_server(&db.url, port);
        wait_healthy(&client, port).await;
        let request = confirm_on(&client, port, &token, &code);
        // Kill at a random moment: before, during or after the transaction.
        let delay = Duration::from_micros(moment.below(span));
        tokio::select! {
            _ = request => {}
            _ = tokio::time::sleep(delay) => {}
        }
        child.kill().unwrap();
        child.wait().unwrap();
        db.settle().await;

        let s = state(&portal, customer).await;
        if s.status == "applied" {
            applied += 1;
            assert_eq!(s.phone.as_deref(), Some(new_phone.as_str()), "round {round}: applied means written");
            assert_eq!((s.audit, s.activity, s.notices), (1, 1, 1), "round {round}: with audit, activity and notice");
        } else {
            untouched += 1;
            assert_eq!(s.status, "pending", "round {round}");
            assert_ne!(s.phone.as_deref(), Some(new_phone.as_str()), "round {round}: not applied means not written");
            assert_eq!((s.audit, s.activity, s.notices), (0, 0, 0), "round {round}: and nothing else");
            // The link still works after the crash.
            verification::confirm(&portal, &token, &code, None, &meta()).await.unwrap();
        }
    }
    eprintln!("{backend:?}: {applied} confirmations completed before the kill, {untouched} cut off");
    if backend == Backend::Sqlite {
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(portal.store.pool()).await.unwrap();
        assert_eq!(check, "ok");
    }
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_killed_mid_confirmation_is_all_or_nothing() {
    killed_mid_confirmation(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_killed_mid_confirmation_is_all_or_nothing() {
    killed_mid_confirmation(Backend::Postgres).await;
}

/// The erasure job, run by `server erasure run`, killed with SIGKILL part-way through a
/// customer with many activity rows: the next run resumes and completes it, with one receipt.
async fn erasure_killed_half_way(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let portal = db.portal.clone();
    let mut half_way = 0;
    let rounds = kills(20);
    let mut moment = moments();
    for round in 0..rounds {
        let email = format!("erase{round}@example.test");
        enrolled(&portal, &email).await;
        let customer = customer_id(&portal, &email).await;
        let rows = 200_000;
        let mut tx = portal.store.begin().await.unwrap();
        for chunk in 0..rows / 1000 {
            let values: Vec<String> = (0..1000).map(|i| format!("({customer}, {}, 'page_view', '/p/{chunk}')", portal.now() - i)).collect();
            sqlx::query(&format!("INSERT INTO activity_events (customer_id, occurred_at, kind, detail) VALUES {}", values.join(",")))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let now = portal.now();
        sqlx::query("INSERT INTO erasures (reference, customer_id, state, confirmed_at, due_at) VALUES ($1, $2, 'scheduled', $3, $3)")
            .bind(format!("ER-crash{round}"))
            .bind(customer)
            .bind(now)
            .execute(portal.store.pool())
            .await
            .unwrap();

        let run = |days: &str| {
            Command::new(env!("CARGO_BIN_EXE_server"))
                .args(["erasure", "run", "--days-ahead", days])
                .env("DATABASE_URL", &db.url)
                .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
                .env("RUST_LOG", "error")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start the erasure command")
        };
        let mut child = run("0");
        // Kill at a random moment once the job has claimed and prepared it.
        for _ in 0..2000 {
            let (prepared,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM erasures WHERE reference = $1 AND receipt_enc IS NOT NULL")
                .bind(format!("ER-crash{round}"))
                .fetch_one(portal.store.pool())
                .await
                .unwrap();
            if prepared == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        tokio::time::sleep(Duration::from_millis(moment.below(50))).await;
        child.kill().unwrap();
        child.wait().unwrap();
        db.settle().await;
        let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1")
            .bind(customer)
            .fetch_one(portal.store.pool())
            .await
            .unwrap();
        let (state,): (String,) = sqlx::query_as("SELECT state FROM erasures WHERE reference = $1")
            .bind(format!("ER-crash{round}"))
            .fetch_one(portal.store.pool())
            .await
            .unwrap();
        if state == "erasing" && left > 0 && left < rows {
            half_way += 1;
        }

        // A later run (after the dead run's claim lapsed) finishes it.
        let status = run("1").wait().unwrap();
        assert!(status.success());
        let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1")
            .bind(customer)
            .fetch_one(portal.store.pool())
            .await
            .unwrap();
        let (customers,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM customers WHERE id = $1").bind(customer).fetch_one(portal.store.pool()).await.unwrap();
        let (state, linked): (String, Option<i64>) = sqlx::query_as("SELECT state, customer_id FROM erasures WHERE reference = $1")
            .bind(format!("ER-crash{round}"))
            .fetch_one(portal.store.pool())
            .await
            .unwrap();
        assert_eq!((left, customers, state.as_str(), linked), (0, 0, "done", None), "round {round}: completed");
    }
    let (receipts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE kind = 'erasure_done'").fetch_one(portal.store.pool()).await.unwrap();
    let (mailbox,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dev_mailbox WHERE subject = 'Your account and data have been deleted'")
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(receipts, rounds as i64, "one receipt per erasure, however many runs");
    assert_eq!(mailbox, rounds as i64);
    eprintln!("{backend:?}: {half_way} of {rounds} erasures were killed half-way and resumed");
    assert!(half_way >= 1, "at least one run was cut off mid-erasure");
    if backend == Backend::Sqlite {
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(portal.store.pool()).await.unwrap();
        assert_eq!(check, "ok");
    }
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_erasure_killed_half_way_resumes_and_completes() {
    erasure_killed_half_way(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_erasure_killed_half_way_resumes_and_completes() {
    erasure_killed_half_way(Backend::Postgres).await;
}

/// The export job, run by `server export run`, killed with SIGKILL while it writes a package:
/// nothing half-built is ever offered, and the next run (once the dead build's lease lapsed)
/// builds it again from the start and finishes, with one "ready" mail.
async fn export_killed_mid_build(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let portal = db.portal.clone();
    let mut cut = 0;
    let rounds = kills(20);
    let mut moment = moments();
    for round in 0..rounds {
        let email = format!("export{round}@example.test");
        let (_, secret, _) = enrolled(&portal, &email).await;
        let customer = customer_id(&portal, &email).await;
        let rows = 150_000;
        let mut tx = portal.store.begin().await.unwrap();
        for chunk in 0..rows / 1000 {
            let values: Vec<String> =
                (0..1000).map(|i| format!("({customer}, {}, 'page_view', '/p/{chunk}/{i}')", portal.now() - 200_000 + chunk * 1000 + i)).collect();
            sqlx::query(&format!("INSERT INTO activity_events (customer_id, occurred_at, kind, detail) VALUES {}", values.join(",")))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        portal.clock.advance(30);
        let code = totp::code_at(&secret, portal.now()).unwrap();
        let public_id = domain::export::request(&portal, customer, &code, &meta()).await.unwrap();

        let run = || {
            Command::new(env!("CARGO_BIN_EXE_server"))
                .args(["export", "run"])
                .env("DATABASE_URL", &db.url)
                .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
                .env("CUSTODIA_EXPORT_LEASE_SECS", "1")
                .env("CUSTODIA_SMTP_URL", format!("smtp://127.0.0.1:{}", free_port()))
                .env("RUST_LOG", "error")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start the export command")
        };
        let mut child = run();
        // Kill at a random point of the build, once it is under way.
        let threshold = 2 + moment.below(80) as i64;
        for _ in 0..3000 {
            let (progress,): (i64,) = sqlx::query_as("SELECT progress FROM exports WHERE public_id = $1").bind(&public_id).fetch_one(portal.store.pool()).await.unwrap();
            if progress >= threshold {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        db.settle().await;
        let (state,): (String,) = sqlx::query_as("SELECT state FROM exports WHERE public_id = $1").bind(&public_id).fetch_one(portal.store.pool()).await.unwrap();
        if state == "building" {
            cut += 1;
            let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE customer_id = $1 AND kind = 'export_ready'")
                .bind(customer)
                .fetch_one(portal.store.pool())
                .await
                .unwrap();
            assert_eq!(mails, 0, "round {round}: no mail for a package not finished");
            portal.clock.advance(30);
            let code = totp::code_at(&secret, portal.now()).unwrap();
            let refused = domain::export::open_download(&portal, customer, &public_id, &code, &meta()).await;
            assert!(matches!(refused, Err(domain::Error::NotFound)), "round {round}: a half-built package is never offered");
        }

        // The dead build's lease (1 s here, counted in whole seconds) lapses; the next run takes
        // over and finishes.
        tokio::time::sleep(Duration::from_millis(2_100)).await;
        let status = run().wait().unwrap();
        assert!(status.success());
        let (state,): (String,) = sqlx::query_as("SELECT state FROM exports WHERE public_id = $1").bind(&public_id).fetch_one(portal.store.pool()).await.unwrap();
        assert_eq!(state, "ready", "round {round}: finished");
        portal.clock.advance(30);
        let code = totp::code_at(&secret, portal.now()).unwrap();
        let d = domain::export::open_download(&portal, customer, &public_id, &code, &meta()).await.unwrap();
        let mut bytes = Vec::new();
        for seq in 0..d.parts {
            bytes.extend(domain::export::read_part(&portal, &d, seq).await.unwrap());
        }
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a whole ZIP");
        let csv = zip.by_name("activity.csv").unwrap();
        let lines = std::io::BufRead::lines(std::io::BufReader::new(csv)).count() as i64;
        assert!(lines > rows, "round {round}: every activity row ({lines} lines)");
        let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE customer_id = $1 AND kind = 'export_ready'")
            .bind(customer)
            .fetch_one(portal.store.pool())
            .await
            .unwrap();
        assert_eq!(mails, 1, "round {round}: one ready mail");
    }
    eprintln!("{backend:?}: {cut} of {rounds} builds were killed mid-way and rebuilt");
    assert!(cut >= 1, "at least one build was cut off");
    if backend == Backend::Sqlite {
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(portal.store.pool()).await.unwrap();
        assert_eq!(check, "ok");
    }
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_export_killed_mid_build_resumes_and_finishes() {
    export_killed_mid_build(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_export_killed_mid_build_resumes_and_finishes() {
    export_killed_mid_build(Backend::Postgres).await;
}
