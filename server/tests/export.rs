//! The export over real HTTP on SQLite and PostgreSQL, with JavaScript off: asked for with a
//! code through the page's form; the page shows progress, then the download form; the download
//! is a same-origin post that answers with the ZIP (server-chosen name, no-store, application/zip)
//! for its customer with a fresh code, and nothing for anyone else.

mod support;

use std::io::Read;

use domain::Portal;
use domain::identity::totp;
use domain::on_both_backends;
use domain::staff::Role;
use domain::testing::*;
use reqwest::Response;
use support::*;

on_both_backends!(asked_shown_and_downloaded_by_its_customer_only);

fn fresh_code(portal: &Portal, secret: &[u8]) -> String {
    portal.clock.advance(30);
    totp::code_at(secret, portal.now()).unwrap()
}

async fn post_download(app: &TestApp, cookie: Option<&str>, export: &str, code: &str, origin: &str) -> Response {
    let mut req = app
        .raw()
        .post(app.url("/export/download"))
        .header("origin", origin)
        .header("accept", "text/html")
        .form(&[("export", export), ("code", code)]);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.unwrap()
}

async fn wait_ready(portal: &Portal, customer: i64) -> String {
    for _ in 0..400 {
        let o = domain::export::overview(portal, customer).await.unwrap();
        if let Some(e) = o.latest.filter(|e| e.state == domain::export::State::Ready) {
            return e.public_id;
        }
        // The server's own job polls every 2 s; running it here too is safe (one claim wins).
        domain::export::job::run_due(portal).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the export did not become ready");
}

async fn asked_shown_and_downloaded_by_its_customer_only(portal: Portal) {
    let (a, secret_a, _) = enrolled(&portal, "a@example.test").await;
    let (b, secret_b, _) = enrolled(&portal, "b@example.test").await;
    let (staff, _, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    let a_id = customer_id(&portal, "a@example.test").await;
    let app = TestApp::start(portal).await;
    let (ca, cb, cs) = (format!("custodia_session={a}"), format!("custodia_session={b}"), format!("custodia_staff={staff}"));

    let page = app.page("/export", Some(&a)).await.text().await.unwrap();
    assert!(page.contains("id=\"field-ask-code\""), "the ask form with its code field");
    assert!(!page.contains("data-export-state"), "no export yet");

    // Asking: a wrong code is refused beside the field; a fresh one queues it.
    let wrong = totp::code_at(&secret_a, app.portal.now() + 3_600).unwrap();
    let res = app.form("request_export", Some(&a), &[("code", &wrong)]).await;
    assert_eq!(location(&res), "/export?e=credentials&f=ask");
    let page = app.page("/export?e=credentials&f=ask", Some(&a)).await.text().await.unwrap();
    assert!(page.contains("aria-invalid=\"true\""), "the message is tied to the code field");
    let res = app.form("request_export", Some(&a), &[("code", &fresh_code(&app.portal, &secret_a))]).await;
    assert_eq!(location(&res), "/export?e=export_requested&f=ask");
    let page = app.page("/export", Some(&a)).await.text().await.unwrap();
    assert!(page.contains("data-export-state=\"queued\"") || page.contains("data-export-state=\"building\"") || page.contains("data-export-state=\"ready\""));

    let export = wait_ready(&app.portal, a_id).await;
    let page = app.page("/export", Some(&a)).await.text().await.unwrap();
    assert!(page.contains("data-export-state=\"ready\"") && page.contains("action=\"/export/download\""));
    assert!(page.contains(&format!("value=\"{export}\"")));

    let origin = app.origin();
    // Nobody else: anonymous and staff are sent to sign in; B gets a 404 for A's export.
    for cookie in [None, Some(cs.as_str())] {
        let res = post_download(&app, cookie, &export, &fresh_code(&app.portal, &secret_a), &origin).await;
        assert_eq!(location(&res), "/sign-in?e=expired");
    }
    let res = post_download(&app, Some(&cb), &export, &fresh_code(&app.portal, &secret_b), &origin).await;
    assert_eq!(res.status(), 404);
    assert!(res.headers().get("content-disposition").is_none());
    // Another site cannot make the browser post it.
    let res = post_download(&app, Some(&ca), &export, &fresh_code(&app.portal, &secret_a), "http://evil.test").await;
    assert_eq!(res.status(), 403);
    // Not without the code step.
    let res = post_download(&app, Some(&ca), &export, "", &origin).await;
    assert_eq!(location(&res), "/export?e=code_required&f=download");
    let res = post_download(&app, Some(&ca), &export, &wrong, &origin).await;
    assert_eq!(location(&res), "/export?e=credentials&f=download");

    let res = post_download(&app, Some(&ca), &export, &fresh_code(&app.portal, &secret_a), &origin).await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/zip");
    assert_eq!(h["cache-control"], "no-store");
    let disposition = h["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"custodia-export-C-") && disposition.ends_with(".zip\""), "{disposition}");
    let bytes = res.bytes().await.unwrap();
    assert_eq!(h["content-length"].to_str().unwrap(), bytes.len().to_string());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid ZIP");
    let mut data = String::new();
    zip.by_name("data.json").unwrap().read_to_string(&mut data).unwrap();
    assert!(data.contains("\"email\":\"a@example.test\""));

    // After its week it is gone, and the page says so. (The week is moved rather than waited:
    // the session would end long before.)
    sqlx::query("UPDATE exports SET expires_at = $1 WHERE public_id = $2").bind(app.portal.now() - 1).bind(&export).execute(app.portal.store.pool()).await.unwrap();
    domain::export::job::run_due(&app.portal).await.unwrap();
    let res = post_download(&app, Some(&ca), &export, &fresh_code(&app.portal, &secret_a), &origin).await;
    assert_eq!(location(&res), "/export?e=export_expired&f=download");
    let page = app.page("/export", Some(&a)).await.text().await.unwrap();
    assert!(page.contains("data-export-state=\"expired\""), "deleted");
    assert!(page.contains("id=\"export-next\"") && !page.contains("id=\"field-ask-code\""), "a new one once the day is over");
}
