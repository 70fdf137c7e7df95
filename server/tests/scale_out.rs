//! Two server processes on one PostgreSQL: a sign-in started on one finishes on the other and
//! the session works on both; mail queued once is sent once, however many workers poll; due
//! erasures run by two processes at once are each carried out exactly once.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use domain::identity::totp;
use domain::mail::{Mail, outbox};
use domain::testing::*;
use domain::Backend;

fn server(db_url: &str, port: u16, smtp: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", db_url)
        .env("CUSTODIA_ADDR", format!("127.0.0.1:{port}"))
        .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
        .env("CUSTODIA_SMTP_URL", smtp)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary")
}

fn cookie_from(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("custodia_session="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
        .expect("a session cookie")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_and_claim_each_job_once() {
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let portal = db.portal.clone();
    let sink = MailSink::start();
    let (_, secret, _) = enrolled(&portal, "ana@example.test").await;
    let (one, two) = (free_port(), free_port());
    let mut a = server(&db.url, one, &sink.url());
    let mut b = server(&db.url, two, &sink.url());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    wait_healthy(&client, one).await;
    wait_healthy(&client, two).await;
    let post = |port: u16, endpoint: &str, cookie: Option<&str>, form: Vec<(&str, String)>| {
        let origin = format!("http://127.0.0.1:{port}");
        let mut req = client.post(format!("{origin}/api/{endpoint}")).header("origin", &origin).header("accept", "text/html").form(&form);
        if let Some(c) = cookie {
            req = req.header("cookie", format!("custodia_session={c}"));
        }
        req.send()
    };

    // Password on one instance, code on the other; the session then works on both.
    let first = post(one, "sign_in", None, vec![("email", "ana@example.test".into()), ("password", PASSWORD.into())]).await.unwrap();
    let half = cookie_from(&first);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let code = totp::code_at(&secret, portal.now() + 30).unwrap();
    let second = post(two, "verify_code", Some(&half), vec![("code", code)]).await.unwrap();
    let full = cookie_from(&second);
    for port in [one, two] {
        let page = client.get(format!("http://127.0.0.1:{port}/my-data")).header("cookie", format!("custodia_session={full}")).send().await.unwrap();
        assert_eq!(page.status(), 200, "the session works on the instance on port {port}");
    }

    // 40 mails queued at once: both workers poll, each mail goes out once.
    let mut tx = portal.store.begin().await.unwrap();
    for i in 0..40 {
        let mail = Mail { to: format!("reader{i}@example.test"), subject: format!("Scale-out {i}"), text: "hello".into(), html: "<p>hello</p>".into() };
        outbox::enqueue(&mut tx, &portal, None, "scale_out", &mail).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut sent = 0;
    for _ in 0..100 {
        sent = sink.messages().iter().filter(|(_, s, _)| s.starts_with("Scale-out ")).count();
        if sent >= 40 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let subjects: Vec<String> = sink.messages().into_iter().map(|(_, s, _)| s).filter(|s| s.starts_with("Scale-out ")).collect();
    let mut unique = subjects.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((subjects.len(), unique.len()), (40, 40), "each mail sent exactly once (first count {sent})");

    // Five due erasures, and two erasure runs at the same moment: each carried out once.
    for i in 0..5 {
        let email = format!("leaving{i}@example.test");
        customer(&portal, &email).await;
        let id = customer_id(&portal, &email).await;
        sqlx::query("INSERT INTO erasures (reference, customer_id, state, confirmed_at, due_at) VALUES ($1, $2, 'scheduled', $3, $3)")
            .bind(format!("ER-scale{i}"))
            .bind(id)
            .bind(portal.now())
            .execute(portal.store.pool())
            .await
            .unwrap();
    }
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["erasure", "run"])
            .env("DATABASE_URL", &db.url)
            .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
            .env("CUSTODIA_SMTP_URL", sink.url())
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut r1, mut r2) = (run(), run());
    assert!(r1.wait().unwrap().success() && r2.wait().unwrap().success());
    let (done,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM erasures WHERE reference LIKE 'ER-scale%' AND state = 'done'")
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    let (receipts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE kind = 'erasure_done'").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!((done, receipts), (5, 5), "each erasure carried out once, one receipt each");

    a.kill().unwrap();
    b.kill().unwrap();
    let _ = (a.wait(), b.wait());
    db.finish().await;
}
