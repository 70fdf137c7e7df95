//! Data exports on both backends: asked for with a fresh code, one at a time and once a day;
//! built by the job into a ZIP that holds everything "My data" shows (data.json matching its
//! schema, safe CSV, a self-contained page, the Article 15 manifest); downloaded only by its
//! customer, with another fresh code, until it expires; a build cut off is taken over.

use std::collections::BTreeMap;
use std::io::Read;

use domain::error::{LinkProblem, Problem};
use domain::export::{self, State, job};
use domain::identity::totp;
use domain::on_both_backends;
use domain::testing::*;
use domain::{Error, Portal};

on_both_backends!(
    asking_takes_a_fresh_code_and_one_export_at_a_time,
    the_package_holds_everything_my_data_shows,
    another_customers_export_is_not_found,
    downloading_takes_a_fresh_code,
    an_expired_export_is_deleted_and_refused,
    a_build_cut_off_is_taken_over_and_finished,
);

const DAY: i64 = 86_400;

/// A code for the next 30-second step: each code works once, so every use moves the clock on.
fn fresh_code(portal: &Portal, secret: &[u8]) -> String {
    portal.clock.advance(30);
    totp::code_at(secret, portal.now()).unwrap()
}

async fn ready_export(portal: &Portal, email: &str) -> (i64, Vec<u8>, String) {
    let (_, secret, _) = enrolled(portal, email).await;
    let id = customer_id(portal, email).await;
    let public_id = export::request(portal, id, &fresh_code(portal, &secret), &meta()).await.unwrap();
    assert_eq!(job::run_due(portal).await.unwrap(), 1);
    (id, secret, public_id)
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a valid ZIP");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        files.insert(f.name().to_string(), text);
    }
    files
}

async fn download(portal: &Portal, customer: i64, public_id: &str, secret: &[u8]) -> Vec<u8> {
    let d = export::open_download(portal, customer, public_id, &fresh_code(portal, secret), &meta()).await.unwrap();
    let mut bytes = Vec::new();
    for seq in 0..d.parts {
        bytes.extend(export::read_part(portal, &d, seq).await.unwrap());
    }
    assert_eq!(bytes.len() as i64, d.size);
    assert!(d.file_name.starts_with("custodia-export-C-") && d.file_name.ends_with(".zip"), "{}", d.file_name);
    bytes
}

async fn asking_takes_a_fresh_code_and_one_export_at_a_time(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, "ask@example.test").await;
    let id = customer_id(&portal, "ask@example.test").await;
    assert!(matches!(export::request(&portal, id, "", &meta()).await, Err(Error::Invalid { field: "code", .. })));
    assert!(matches!(export::request(&portal, id, "12ab", &meta()).await, Err(Error::Invalid { field: "code", .. })));
    let wrong = totp::code_at(&secret, portal.now() + 3_600).unwrap();
    assert!(matches!(export::request(&portal, id, &wrong, &meta()).await, Err(Error::BadCredentials)));
    // The code used to finish enrolment is spent: a replay is refused.
    let used = totp::code_at(&secret, portal.now()).unwrap();
    assert!(matches!(export::request(&portal, id, &used, &meta()).await, Err(Error::BadCredentials)));
    assert!(export::overview(&portal, id).await.unwrap().latest.is_none(), "nothing queued by refused asks");

    let code = fresh_code(&portal, &secret);
    export::request(&portal, id, &code, &meta()).await.unwrap();
    let o = export::overview(&portal, id).await.unwrap();
    assert_eq!(o.latest.as_ref().unwrap().state, State::Queued);
    // One at a time.
    let again = export::request(&portal, id, &fresh_code(&portal, &secret), &meta()).await;
    assert!(matches!(again, Err(Error::Invalid { field: "export", problem: Problem::Busy })), "{again:?}");
    job::run_due(&portal).await.unwrap();
    assert_eq!(export::overview(&portal, id).await.unwrap().latest.unwrap().state, State::Ready);
    // Once a day.
    let again = export::request(&portal, id, &fresh_code(&portal, &secret), &meta()).await;
    assert!(matches!(again, Err(Error::Invalid { field: "export", problem: Problem::TooSoon })), "{again:?}");
    let next = export::overview(&portal, id).await.unwrap().next_allowed_at.unwrap();
    assert!(next > portal.now() && next <= portal.now() + DAY);
    portal.clock.advance(DAY);
    export::request(&portal, id, &fresh_code(&portal, &secret), &meta()).await.unwrap();
    let (requested,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1 AND kind = 'export_requested'")
        .bind(id)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(requested, 2, "the customer's activity shows each export asked for");
}

async fn the_package_holds_everything_my_data_shows(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, "pack@example.test").await;
    let id = customer_id(&portal, "pack@example.test").await;
    let pool = portal.store.pool();
    // Values that must survive as text: a formula, markup, quotes, a line break, Unicode.
    sqlx::query("UPDATE support_tickets SET subject = $1 WHERE id = (SELECT MIN(id) FROM support_tickets WHERE customer_id = $2)")
        .bind("=HYPERLINK(\"http://evil.test\",\"x\")")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE support_tickets SET subject = $1 WHERE id = (SELECT MAX(id) FROM support_tickets WHERE customer_id = $2)")
        .bind("<script>alert(1)</script>\nsecond line, «ñ»")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    set_fields(&portal, id, &[("phone", Some("+34 600 111 222"))]).await;
    // Enough activity for several batches, three rows to each second, so batches end inside a
    // run of equal times.
    for chunk in 0..13 {
        let values: Vec<String> = (0..1000)
            .map(|i| format!("({id}, {}, 'page_view', '/p/{chunk}/{i}', '198.51.100.7', 'agent')", portal.now() - 100_000 + (chunk * 1000 + i) / 3))
            .collect();
        sqlx::query(&format!("INSERT INTO activity_events (customer_id, occurred_at, kind, detail, ip, user_agent) VALUES {}", values.join(",")))
            .execute(pool)
            .await
            .unwrap();
    }
    let public_id = export::request(&portal, id, &fresh_code(&portal, &secret), &meta()).await.unwrap();
    let (activity,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1").bind(id).fetch_one(pool).await.unwrap();
    assert_eq!(job::run_due(&portal).await.unwrap(), 1);
    let mail = peek_outbox(&portal, "export_ready").await.expect("a mail says it is ready");
    assert_eq!(mail.subject, "Your data export is ready");
    assert!(mail.text.contains("/export"), "the mail leads to the export page");
    assert!(!mail.text.contains(&public_id), "and never to the file itself");

    let files = unzip(&download(&portal, id, &public_id, &secret).await);
    for name in ["data.json", "schema.json", "manifest.json", "index.html", "activity.csv", "profile.csv", "contact.csv", "addresses.csv", "orders.csv", "support_tickets.csv", "consent_history.csv", "staff_access.csv"] {
        assert!(files.contains_key(name), "{name} in {:?}", files.keys());
    }

    // data.json holds every value My data shows, raw.
    let data: serde_json::Value = serde_json::from_str(&files["data.json"]).expect("data.json parses");
    let my = domain::profile::my_data(&portal, id, domain::Lang::En, 0).await.unwrap();
    let text = files["data.json"].clone();
    let holds = |key: &str, v: &str| {
        let quoted = serde_json::to_string(v).unwrap();
        assert!(text.contains(&quoted[1..quoted.len() - 1]), "{key} = {v} in data.json");
    };
    // Dates and money are shown formatted for the reader and held raw; every other value is
    // held as shown.
    let formatted = ["customer_since", "email_verified", "two_step", "date_of_birth", "placed", "opened", "changed", "when", "total"];
    let mut checked = 0;
    for c in &my.categories {
        let mut cells: Vec<(&str, &domain::profile::Cell)> = c.fields.iter().map(|(k, v)| (*k, v)).collect();
        if let Some(t) = &c.table {
            for row in &t.rows {
                cells.extend(t.columns.iter().copied().zip(row.iter()));
            }
        }
        for (key, cell) in cells {
            let domain::profile::Cell::Text(v) = cell else { continue };
            if v.is_empty() || formatted.contains(&key) {
                continue;
            }
            // The page joins an address's two lines.
            for part in if key == "address" { v.split(", ").collect() } else { vec![v.as_str()] } {
                holds(key, part);
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "checked {checked} values");
    assert_eq!(data["contact"]["phone"], "+34 600 111 222");
    assert_eq!(data["contact"]["email"], "pack@example.test");
    assert_eq!(data["orders"].as_array().unwrap().len(), 14);
    assert_eq!(data["support_tickets"].as_array().unwrap().len(), 5);
    let rows = data["activity"].as_array().unwrap();
    assert_eq!(rows.len() as i64, activity, "every activity row");
    let mut details: Vec<&str> = rows.iter().map(|r| r["detail"].as_str().unwrap()).filter(|d| d.starts_with("/p/")).collect();
    assert!(rows.windows(2).all(|w| w[0]["occurred_at"].as_str() <= w[1]["occurred_at"].as_str()), "oldest first");
    details.sort();
    details.dedup();
    assert_eq!(details.len(), 13_000, "each row once, none lost or repeated at batch edges");
    assert!(data["support_tickets"].as_array().unwrap().iter().any(|t| t["subject"] == "<script>alert(1)</script>\nsecond line, «ñ»"));
    // Its shape is the schema's: every key is described and every required key is there.
    let schema: serde_json::Value = serde_json::from_str(&files["schema.json"]).unwrap();
    let described: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    let present: Vec<&String> = data.as_object().unwrap().keys().collect();
    let mut a = described.clone();
    let mut b = present.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);

    // CSV: formulas are text, quotes doubled, line breaks kept inside quotes.
    let tickets = &files["support_tickets.csv"];
    assert!(tickets.contains("\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")\""), "{tickets}");
    assert!(tickets.contains("\"<script>alert(1)</script>\nsecond line, «ñ»\""));
    assert!(files["contact.csv"].contains("phone,\"'+34 600 111 222\""), "{}", files["contact.csv"]);
    assert_eq!(files["activity.csv"].lines().count() as i64, activity + 1, "a header and every row");

    // The page: escaped, self-contained, in the customer's language.
    let html = &files["index.html"];
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(!html.contains("<script"), "no scripts at all");
    assert!(!html.contains(" src=") && !html.contains("<link") && !html.contains("url("), "no external assets");
    assert!(html.contains("<html lang=\"en\">") && html.contains("Your rights"));
    assert!(html.contains("The newest 1000 of"), "the page shows the newest rows and says where the rest are");

    // The manifest: Article 15's list.
    let m: serde_json::Value = serde_json::from_str(&files["manifest.json"]).unwrap();
    let orders = m["categories"].as_array().unwrap().iter().find(|c| c["key"] == "orders").unwrap();
    for key in ["purpose", "legal_basis", "retention", "source", "recipients", "records"] {
        assert!(!orders[key].is_null(), "orders.{key}");
    }
    assert_eq!(orders["records"], 14);
    assert!(m["rights"].as_array().unwrap().iter().any(|r| r["article"] == "77"), "complaint to a supervisory authority");
    assert_eq!(m["consent_purposes"].as_array().unwrap().len(), 4);
    assert!(m["consent_history"].is_array() && m["staff_access"].is_array());
}

async fn another_customers_export_is_not_found(portal: Portal) {
    let (_, _, theirs) = ready_export(&portal, "owner@example.test").await;
    let (_, secret, _) = enrolled(&portal, "other@example.test").await;
    let other = customer_id(&portal, "other@example.test").await;
    for id in [theirs.as_str(), "EX-doesnotexist", "../../etc/passwd", ""] {
        let r = export::open_download(&portal, other, id, &fresh_code(&portal, &secret), &meta()).await;
        assert!(matches!(r, Err(Error::NotFound)), "{id}: {r:?}");
    }
}

async fn downloading_takes_a_fresh_code(portal: Portal) {
    let (id, secret, public_id) = ready_export(&portal, "dl@example.test").await;
    assert!(matches!(export::open_download(&portal, id, &public_id, "", &meta()).await, Err(Error::Invalid { field: "code", .. })));
    let wrong = totp::code_at(&secret, portal.now() + 3_600).unwrap();
    assert!(matches!(export::open_download(&portal, id, &public_id, &wrong, &meta()).await, Err(Error::BadCredentials)));
    // The code that asked for the export cannot also download it.
    let spent = totp::code_at(&secret, portal.now()).unwrap();
    assert!(matches!(export::open_download(&portal, id, &public_id, &spent, &meta()).await, Err(Error::BadCredentials)));
    let (downloads,): (i64,) = sqlx::query_as("SELECT downloads FROM exports WHERE public_id = $1").bind(&public_id).fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(downloads, 0);
    download(&portal, id, &public_id, &secret).await;
    let (downloads,): (i64,) = sqlx::query_as("SELECT downloads FROM exports WHERE public_id = $1").bind(&public_id).fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(downloads, 1);
}

async fn an_expired_export_is_deleted_and_refused(portal: Portal) {
    let (id, secret, public_id) = ready_export(&portal, "old@example.test").await;
    portal.clock.advance(7 * DAY - 60);
    job::run_due(&portal).await.unwrap();
    download(&portal, id, &public_id, &secret).await;
    portal.clock.advance(120);
    job::run_due(&portal).await.unwrap();
    assert_eq!(export::overview(&portal, id).await.unwrap().latest.unwrap().state, State::Expired);
    let (parts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM export_parts").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(parts, 0, "the file is deleted");
    let r = export::open_download(&portal, id, &public_id, &fresh_code(&portal, &secret), &meta()).await;
    assert!(matches!(r, Err(Error::Link(LinkProblem::Expired))), "{r:?}");
}

async fn a_build_cut_off_is_taken_over_and_finished(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, "cut@example.test").await;
    let id = customer_id(&portal, "cut@example.test").await;
    let public_id = export::request(&portal, id, &fresh_code(&portal, &secret), &meta()).await.unwrap();
    // As a build that died half-way leaves it: claimed, lease running, a stray part stored.
    let (export_id,): (i64,) = sqlx::query_as("SELECT id FROM exports WHERE public_id = $1").bind(&public_id).fetch_one(portal.store.pool()).await.unwrap();
    sqlx::query("UPDATE exports SET state = 'building', claim_token = 'dead', attempts = 1, progress = 40, locked_until = $1 WHERE id = $2")
        .bind(portal.now() + portal.policy.export_lease_secs)
        .bind(export_id)
        .execute(portal.store.pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO export_parts (export_id, seq, data) VALUES ($1, 0, $2)")
        .bind(export_id)
        .bind(vec![0u8; 64])
        .execute(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(job::run_due(&portal).await.unwrap(), 0, "nobody takes it while its lease runs");
    portal.clock.advance(portal.policy.export_lease_secs + 1);
    assert_eq!(job::run_due(&portal).await.unwrap(), 1, "taken over once the lease lapsed");
    let files = unzip(&download(&portal, id, &public_id, &secret).await);
    assert!(files.contains_key("data.json"), "rebuilt from the start: the stray part is gone");
    let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE kind = 'export_ready'").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(mails, 1);
}
