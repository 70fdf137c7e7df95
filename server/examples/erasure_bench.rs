//! Erasure benchmark (run on demand: `make bench-erasure`, not a timed test).
//!
//! For each backend (SQLite; PostgreSQL when reachable), builds a customer with N activity rows
//! (default 1,000,000; `ERASURE_BENCH_ROWS` to change), serves the portal, and measures the
//! "My data" page of another signed-in customer: first alone, then while the erasure job erases
//! the big customer. Prints the erasure's wall time and the page's p50/p99 before and during.
//! Targets: erasure at most 10 s; the other customer's page latency within 2x.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use domain::testing::{TestDb, enrolled, seed_activity};
use domain::{Backend, Portal};
use server::config::{Config, MasterKey};

#[tokio::main]
async fn main() {
    let rows: i64 = std::env::var("ERASURE_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    println!("| Backend | Activity rows | Erasure wall time | My data p50 / p99 alone | My data p50 / p99 during erasure | p50 ratio | p99 ratio |");
    println!("|---|---|---|---|---|---|---|");
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(db) = TestDb::new(backend).await else {
            eprintln!("{backend:?}: not reachable, skipped");
            continue;
        };
        run(backend, db.portal.clone(), rows).await;
        db.finish().await;
    }
}

async fn run(backend: Backend, portal: Portal, rows: i64) {
    let (witness, _, _) = enrolled(&portal, "witness@example.test").await;
    let (_, _, _) = enrolled(&portal, "big@example.test").await;
    let big = domain::testing::customer_id(&portal, "big@example.test").await;
    seed_activity(&portal, big, rows).await;

    let config = Config {
        database_url: String::new(),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        public_url: None,
        master_key: MasterKey::Value(String::new()),
        previous_master_key: None,
        demo: false,
        smtp_url: None,
        mail_from: "Custodia <privacy@custodia.test>".into(),
        breached_passwords: None,
        db_connections: None,
        serve_threads: 1,
        trusted_proxies: Default::default(),
    };
    let app = server::Application::build_with(&config, portal.clone()).await.expect("start");
    let url = format!("http://{}/my-data", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let cookie = format!("custodia_session={witness}");
    for _ in 0..20 {
        get(&client, &url, &cookie).await; // warm up
    }

    let alone = sample_for(&client, &url, &cookie, Duration::from_secs(5)).await;

    // The erasure is due now; the job runs while the page is being read.
    let now = portal.now();
    sqlx::query("INSERT INTO erasures (reference, customer_id, state, confirmed_at, due_at) VALUES ('ER-bench', $1, 'scheduled', $2, $2)")
        .bind(big)
        .bind(now)
        .execute(portal.store.pool())
        .await
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (client, url, cookie, stop) = (client.clone(), url.clone(), cookie.clone(), stop.clone());
        tokio::spawn(async move {
            let mut times = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                times.push(get(&client, &url, &cookie).await);
            }
            times
        })
    };
    let started = Instant::now();
    let done = domain::erasure::job::run_due(&portal).await.unwrap();
    let wall = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let during = sampler.await.unwrap();
    assert_eq!(done, 1, "the erasure ran");
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1")
        .bind(big)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(left, 0, "every row erased");

    let (a50, a99) = (pct(&alone, 50), pct(&alone, 99));
    let (d50, d99) = (pct(&during, 50), pct(&during, 99));
    println!(
        "| {backend:?} | {rows} | {:.2} s | {:.1} / {:.1} ms | {:.1} / {:.1} ms ({} requests) | {:.2}x | {:.2}x |",
        wall.as_secs_f64(),
        a50,
        a99,
        d50,
        d99,
        during.len(),
        d50 / a50,
        d99 / a99
    );
}

/// Multi-row inserts in transactions of 50,000 rows.

async fn get(client: &reqwest::Client, url: &str, cookie: &str) -> f64 {
    let t = Instant::now();
    let res = client.get(url).header("accept", "text/html").header("cookie", cookie).send().await.unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let _ = res.bytes().await.unwrap();
    t.elapsed().as_secs_f64() * 1000.0
}

async fn sample_for(client: &reqwest::Client, url: &str, cookie: &str, length: Duration) -> Vec<f64> {
    let until = Instant::now() + length;
    let mut times = Vec::new();
    while Instant::now() < until {
        times.push(get(client, url, cookie).await);
    }
    times
}

fn pct(times: &[f64], p: usize) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) * p) / 100]
}
