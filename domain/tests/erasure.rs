//! Erasure on both backends: the preview comes from the catalogue; link + code schedule it; one
//! step cancels it in the grace period; the job erases everything but what the catalogue keeps,
//! tells the recipients through their webhooks, mails a receipt and leaves a tombstone; killed
//! half-way, it resumes and finishes.

use std::sync::{Arc, Mutex};

use domain::catalogue::{self, ErasureRule};
use domain::erasure::{self, job, webhooks};
use domain::identity::{self, totp};
use domain::on_both_backends;
use domain::testing::*;
use domain::{Error, Lang, Portal};

on_both_backends!(
    the_preview_reads_what_is_kept_and_why_from_the_catalogue,
    confirmed_then_cancelled_then_confirmed_and_carried_out,
    no_value_of_the_erased_customer_is_left_but_what_the_catalogue_keeps,
    an_erasure_stopped_half_way_resumes_and_completes,
);

const DAY: i64 = 86_400;

/// Schedules an erasure the way a customer does: request, emailed link, TOTP code.
async fn confirm_erasure(portal: &Portal, email: &str, secret: &[u8]) {
    let id = customer_id(portal, email).await;
    erasure::request(portal, id, &meta()).await.unwrap();
    let mail = peek_outbox(portal, "confirm_change").await.expect("confirmation mail");
    assert_eq!(mail.subject, "Confirm the deletion of your account and data");
    let token = token_in(&mail.text, "/confirm/").expect("link in mail");
    portal.clock.advance(30);
    let code = totp::code_at(secret, portal.now()).unwrap();
    domain::verification::confirm(portal, &token, &code, Some(id), &meta()).await.unwrap();
}

async fn the_preview_reads_what_is_kept_and_why_from_the_catalogue(portal: Portal) {
    let id = customer(&portal, "ana@example.test").await;
    let p = erasure::preview(&portal, id, Lang::Es).await.unwrap();
    assert_eq!(p.grace_days, 14);
    let orders = p.categories.iter().find(|c| c.key == "orders").unwrap();
    assert_eq!((orders.erased, orders.kept), (0, 14), "every order is younger than ten years");
    assert!(orders.ground.contains("art. 2220"), "the legal reference, in Spanish: {}", orders.ground);
    assert!(orders.kept_until.unwrap() > portal.now() + 9 * 365 * DAY);
    let support = p.categories.iter().find(|c| c.key == "support").unwrap();
    assert_eq!((support.erased, support.kept), (5, 0));
    assert!(p.recipients.iter().any(|r| r.name == "Stripe Payments Europe Ltd"));

    // The company edits its catalogue: support tickets now kept three years. No code changed.
    let mut file = catalogue::default_catalogue().unwrap();
    let s = file.categories.iter_mut().find(|c| c.key == "support").unwrap();
    s.on_erasure = Some(ErasureRule { keep_days: 3 * 365, keep_fields: vec!["reference".into(), "opened_at".into()] });
    s.texts.get_mut("en").unwrap().erasure_ground = "Consumer-protection claims (3 years).".into();
    let mut tx = portal.store.begin().await.unwrap();
    catalogue::replace(&mut tx, &file).await.unwrap();
    tx.commit().await.unwrap();
    catalogue::forget(&portal);
    let p = erasure::preview(&portal, id, Lang::En).await.unwrap();
    let support = p.categories.iter().find(|c| c.key == "support").unwrap();
    assert_eq!(support.kept, 5);
    assert_eq!(support.ground, "Consumer-protection claims (3 years).");
}

/// A loopback HTTP server answering 200 to everything; keeps (path, signature, body).
type Calls = Arc<Mutex<Vec<(String, String, String)>>>;
async fn webhook_sink() -> (String, Calls) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let calls: Calls = Arc::default();
    let seen = calls.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = socket.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let head = &text[..end];
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + length {
                            let path = head.split_whitespace().nth(1).unwrap_or_default().to_string();
                            let signature = head
                                .lines()
                                .find_map(|l| l.to_ascii_lowercase().strip_prefix("x-custodia-signature:").map(|v| v.trim().to_string()))
                                .unwrap_or_default();
                            seen.lock().unwrap().push((path, signature, text[end + 4..end + 4 + length].to_string()));
                            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
                            break;
                        }
                    }
                }
            });
        }
    });
    (url, calls)
}

async fn with_webhooks(portal: &Portal, base: &str) {
    let mut file = catalogue::default_catalogue().unwrap();
    for c in &mut file.categories {
        for r in &mut c.recipients {
            if r.name == "Stripe Payments Europe Ltd" {
                r.webhook = Some(format!("{base}/stripe"));
            }
            if r.name == "Rapid Parcel Logistics S.L." {
                r.webhook = Some(format!("{base}/parcel"));
            }
        }
    }
    let mut tx = portal.store.begin().await.unwrap();
    catalogue::replace(&mut tx, &file).await.unwrap();
    tx.commit().await.unwrap();
    catalogue::forget(portal);
}

async fn confirmed_then_cancelled_then_confirmed_and_carried_out(portal: Portal) {
    let (base, calls) = webhook_sink().await;
    with_webhooks(&portal, &base).await;
    let email = "bea@example.test";
    let (_, secret, _) = enrolled(&portal, email).await;
    let id = customer_id(&portal, email).await;

    let before = portal.now();
    confirm_erasure(&portal, email, &secret).await;
    let after = portal.now();
    let scheduled = erasure::scheduled(portal.store.pool(), id).await.unwrap().expect("scheduled");
    // Fourteen days from the confirmation; a wall-clock second may tick while it runs.
    assert!((before + 14 * DAY..=after + 14 * DAY).contains(&scheduled.due_at), "{}", scheduled.due_at - before);
    assert!(peek_outbox(&portal, "erasure_scheduled").await.unwrap().subject.starts_with("Your account will be deleted on"));
    assert!(matches!(erasure::request(&portal, id, &meta()).await, Err(Error::Invalid { field: "erasure", .. })), "once is enough");

    // Cancel: one step, no code.
    erasure::cancel(&portal, id, "192.0.2.1").await.unwrap();
    assert!(erasure::scheduled(portal.store.pool(), id).await.unwrap().is_none());
    assert!(matches!(erasure::cancel(&portal, id, "192.0.2.1").await, Err(Error::NotFound)));
    portal.clock.advance(15 * DAY);
    assert_eq!(job::run_due(&portal).await.unwrap(), 0, "a cancelled erasure never runs");

    // Confirm again; the reminder goes two days before; the job runs on the day.
    confirm_erasure(&portal, email, &secret).await;
    portal.clock.advance(12 * DAY + 1);
    assert_eq!(job::run_due(&portal).await.unwrap(), 0);
    assert!(peek_outbox(&portal, "erasure_reminder").await.unwrap().subject.starts_with("Reminder: your account will be deleted on"));
    portal.clock.advance(2 * DAY);
    assert_eq!(job::run_due(&portal).await.unwrap(), 1);
    assert_eq!(job::run_due(&portal).await.unwrap(), 0, "done once");

    assert!(
        matches!(identity::sign_in(&portal, email, PASSWORD, &meta(), None).await, Err(Error::BadCredentials)),
        "the account is gone"
    );
    let receipt = peek_outbox(&portal, "erasure_done").await.expect("receipt mail");
    assert_eq!(receipt.to, email);
    assert!(receipt.text.contains("Orders (14)") && receipt.text.contains("art. 2220"), "{}", receipt.text);
    assert!(receipt.text.contains("Stripe Payments Europe Ltd"));
    let (reference, state, customer, summary): (String, String, Option<i64>, String) =
        sqlx::query_as("SELECT reference, state, customer_id, summary FROM erasures WHERE state = 'done'")
            .fetch_one(portal.store.pool())
            .await
            .unwrap();
    assert_eq!((state.as_str(), customer), ("done", None), "a tombstone, linked to no one");
    assert!(reference.starts_with("ER-") && summary.contains("\"orders\":{\"erased\":0,\"kept\":14}"), "{summary}");
    let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM retained_records WHERE erasure_ref = $1 AND category = 'orders'")
        .bind(&reference)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(kept, 14);
    // Ten years on, the daily sweep deletes what was kept.
    portal.clock.advance(3660 * DAY);
    domain::retention::sweep(&portal).await.unwrap();
    let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM retained_records").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(kept, 0, "kept only as long as the law says");

    // The recipients are told, each once, signed.
    assert_eq!(webhooks::deliver_due(&portal, &webhooks::client()).await.unwrap(), 2);
    assert_eq!(webhooks::deliver_due(&portal, &webhooks::client()).await.unwrap(), 0);
    let calls = calls.lock().unwrap().clone();
    let mut paths: Vec<&str> = calls.iter().map(|c| c.0.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["/parcel", "/stripe"]);
    for (_, signature, body) in &calls {
        assert_eq!(signature, &webhooks::signature(&portal, body));
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["event"], "customer.erased");
        assert_eq!(v["customer_email"], email);
        assert_eq!(v["erasure_reference"], reference);
    }
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_deliveries WHERE payload_enc IS NOT NULL")
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(left, 0, "delivered payloads are erased");
    let _ = id;
}

async fn no_value_of_the_erased_customer_is_left_but_what_the_catalogue_keeps(portal: Portal) {
    let sink = MailSink::start();
    let email = "unique-carla@example.test";
    let (_, secret, _) = enrolled(&portal, email).await;
    let id = customer_id(&portal, email).await;
    let (public_id,): (String,) = sqlx::query_as("SELECT public_id FROM customers WHERE id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    domain::consent::ledger::set(&portal, id, "analytics", domain::consent::Choice::Give, "203.0.113.99").await.unwrap();
    domain::requests::submit(&portal, id, "orders", "Order NW-240117 is not mine, says Carla Unique.", &meta()).await.unwrap();
    confirm_erasure(&portal, email, &secret).await;
    portal.clock.advance(15 * DAY);
    assert_eq!(job::run_due(&portal).await.unwrap(), 1);
    // Every mail (the receipt too) goes out through real SMTP, so nothing stays readable here.
    let transport = domain::mail::Transport::smtp(&sink.url(), "Custodia <privacy@custodia.test>").unwrap();
    while domain::mail::worker::deliver_due(&portal, &transport).await.unwrap() > 0 {}
    assert!(sink.messages().iter().any(|(to, subject, _)| to.contains(&email.to_string()) && subject == "Your account and data have been deleted"));

    let values = [
        email,
        &format!("Customer {email}"),
        "+34 612 345 678",
        "Calle de la Princesa",
        "Paseo de la Castellana",
        "Parcel delivered to the wrong door",
        "1988-04-17",
        "Carla Unique",
        "Autumn trails issue",
        "203.0.113.",
        "test-agent",
        &public_id,
        // Kept on purpose: order numbers and items, in retained_records only.
        "NW-2401",
        "Trail running shoes",
    ];
    let allowed = |table: &str, value: &str| table == "retained_records" && (value.starts_with("NW-") || value == "Trail running shoes");
    for (table, column) in text_columns(&portal).await {
        for value in values {
            let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE $1"))
                .bind(format!("%{value}%"))
                .fetch_one(portal.store.pool())
                .await
                .unwrap();
            assert!(n == 0 || allowed(&table, value), "{table}.{column} still holds {value:?} ({n} rows)");
        }
    }
    let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM retained_records WHERE record LIKE '%NW-2401%'").fetch_one(portal.store.pool()).await.unwrap();
    assert!(kept > 0, "the search can find what is there");
}

async fn an_erasure_stopped_half_way_resumes_and_completes(portal: Portal) {
    let email = "dora@example.test";
    let (_, secret, _) = enrolled(&portal, email).await;
    let id = customer_id(&portal, email).await;
    // Enough activity for several batches.
    let mut tx = portal.store.begin().await.unwrap();
    for chunk in 0..25 {
        let mut sql = String::from("INSERT INTO activity_events (customer_id, occurred_at, kind, detail) VALUES ");
        for i in 0..1000 {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("({id}, {}, 'page_view', '/p/{chunk}/{i}')", portal.now() - i));
        }
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    let count = |portal: Portal| async move {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
        n
    };
    confirm_erasure(&portal, email, &secret).await;
    let before = count(portal.clone()).await;
    assert!(before > 25_000);
    portal.clock.advance(15 * DAY);
    let (eid,): (i64,) = sqlx::query_as("SELECT id FROM erasures WHERE customer_id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    assert!(job::claim(&portal, eid).await.unwrap());
    // The process "dies" after one batch: everything done so far is committed, nothing else.
    job::execute(&portal, eid, Some(1)).await.unwrap();
    let after_crash = count(portal.clone()).await;
    assert_eq!(after_crash, before - job::BATCH, "one committed batch gone, the rest still there");
    assert_eq!(kept_count(&portal, id).await, Some(after_crash), "the page's activity total follows the batches");
    assert!(customer_id_exists(&portal, id).await, "the account is still whole enough to resume");
    assert_eq!(job::run_due(&portal).await.unwrap(), 0, "another instance leaves a claimed erasure alone");

    // After the claim lapses, the next run resumes and completes it.
    portal.clock.advance(16 * 60);
    assert_eq!(job::run_due(&portal).await.unwrap(), 1);
    assert_eq!(count(portal.clone()).await, 0);
    assert!(!customer_id_exists(&portal, id).await);
    assert_eq!(kept_count(&portal, id).await, None, "the activity count went with the customer");
    let (receipts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE kind = 'erasure_done'").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(receipts, 1, "one receipt, however many runs it took");
}

async fn customer_id_exists(portal: &Portal, id: i64) -> bool {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM customers WHERE id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    n == 1
}

/// The customer's activity total as the database keeps it for "My data".
async fn kept_count(portal: &Portal, id: i64) -> Option<i64> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT events FROM activity_counts WHERE customer_id = $1").bind(id).fetch_optional(portal.store.pool()).await.unwrap();
    row.map(|(n,)| n)
}
