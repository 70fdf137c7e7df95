//! What every response carries and what every form post must prove, over real HTTP.

mod support;

use domain::Portal;
use domain::on_both_backends;
use domain::testing::*;
use reqwest::header::{ACCEPT, ORIGIN};
use support::*;

on_both_backends!(
    pages_carry_security_headers_and_a_fresh_nonce,
    cross_site_posts_are_refused,
    sign_in_failures_redirect_with_one_generic_message,
    bad_input_is_a_message_not_a_failure,
    language_choice_is_remembered_and_stays_on_site,
    health_reports_the_database,
    behind_a_tls_proxy_cookies_are_host_only_and_secure_and_hsts_is_sent,
    a_panicking_handler_gets_a_plain_page_and_the_server_keeps_serving,
);

async fn pages_carry_security_headers_and_a_fresh_nonce(portal: Portal) {
    let (token, _, _) = enrolled(&portal, "a@example.test").await;
    let app = TestApp::start(portal).await;
    let mut nonces = Vec::new();
    for (path, session) in [("/sign-in", None), ("/my-data", Some(token.as_str()))] {
        let res = app.page(path, session).await;
        assert_eq!(res.status(), 200, "{path}");
        let h = res.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap().to_string();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain http");
        assert_eq!(h["content-type"].to_str().unwrap().to_lowercase(), "text/html; charset=utf-8", "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains(&format!("nonce=\"{nonce}\"")), "{path}: inline scripts carry the nonce");
        if path == "/sign-in" {
            // Masked, and open to password managers and paste.
            assert!(body.contains(r#"type="password""#) && body.contains(r#"autocomplete="current-password""#), "{body}");
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a nonce is never reused");
    // Only compiled assets are served: no source, no repository metadata.
    for path in ["/.git/config", "/Cargo.toml", "/pkg/../Cargo.toml", "/migrations/sqlite/0001_foundation.sql"] {
        let status = app.page(path, None).await.status();
        assert!(status == 404 || status == 400, "{path}: {status}");
    }

    let res = app.form("sign_in", None, &[("email", "a@example.test"), ("password", PASSWORD)]).await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
}

async fn cross_site_posts_are_refused(portal: Portal) {
    customer(&portal, "a@example.test").await;
    let app = TestApp::start(portal).await;
    let fields = [("email", "a@example.test"), ("password", PASSWORD)];
    let post = || app.raw().post(app.url("/api/sign_in")).header(ACCEPT, "text/html").form(&fields);

    let res = post().header(ORIGIN, "https://evil.example").send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.headers().get("set-cookie").is_none(), "a refused request signs nobody in");

    let res = post().header(ORIGIN, app.origin()).header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(res.status(), 403);

    let res = post().header(ORIGIN, "null").send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = post().header(ORIGIN, "null").header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(res.status(), 403, "a sandboxed or cross-site page");

    // What Chromium sends for a form post from our own page under Referrer-Policy: no-referrer.
    let res = post().header(ORIGIN, "null").header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(location(&res), "/enroll");

    let res = post().header(ORIGIN, app.origin()).header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(location(&res), "/enroll");
}

async fn sign_in_failures_redirect_with_one_generic_message(portal: Portal) {
    customer(&portal, "a@example.test").await;
    let app = TestApp::start(portal).await;

    let wrong = app.form("sign_in", None, &[("email", "a@example.test"), ("password", "wrong password!")]).await;
    let unknown = app.form("sign_in", None, &[("email", "nobody@example.test"), ("password", PASSWORD)]).await;
    assert_eq!(wrong.status(), 302);
    assert_eq!(location(&wrong), "/sign-in?e=credentials");
    assert_eq!(location(&unknown), location(&wrong), "unknown accounts are not revealed");
    assert!(set_session(&wrong).is_none());

    let page = app.page(&location(&wrong), None).await.text().await.unwrap();
    assert!(page.contains("role=\"alert\"") || page.contains("aria-live"), "the message is announced");

    // Script callers get the same outcome as a redirect target they can follow.
    let res = app.call("sign_in", None, &[("email", "a@example.test"), ("password", "wrong password!")]).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    assert_eq!(location(&res), "/sign-in?e=credentials");
}

async fn bad_input_is_a_message_not_a_failure(portal: Portal) {
    customer(&portal, "a@example.test").await;
    let app = TestApp::start(portal).await;
    let long = "x".repeat(10_000);
    let cases: Vec<(&str, Vec<(&str, &str)>, &str)> = vec![
        ("sign_in", vec![("email", ""), ("password", "")], "/sign-in?e=email_required"),
        ("sign_in", vec![("email", "a@example.test"), ("password", "")], "/sign-in?e=password_required"),
        ("sign_in", vec![("email", "no-at-sign"), ("password", "x")], "/sign-in?e=email_malformed"),
        ("sign_in", vec![("email", long.as_str()), ("password", "x")], "/sign-in?e=email_too_long"),
        ("sign_in", vec![("email", "a@example.test"), ("password", long.as_str())], "/sign-in?e=password_too_long"),
        ("sign_in", vec![("email", "'; DROP TABLE customers; --@x.y"), ("password", "x")], "/sign-in?e=email_malformed"),
        ("sign_in", vec![("email", "x'OR'1'='1@x.y"), ("password", "x' OR '1'='1")], "/sign-in?e=credentials"),
        ("verify_code", vec![("code", "12")], "/sign-in?e=expired"),
    ];
    for (endpoint, fields, expected) in cases {
        let res = app.form(endpoint, None, &fields).await;
        assert_eq!(res.status(), 302, "{endpoint} {expected}");
        assert_eq!(location(&res), expected);
    }
    // Missing or malformed arguments never give a 500 or a parser message: a plain form post is
    // sent back to its page (Leptos' no-JavaScript error path), a script caller gets a 4xx.
    for (endpoint, fields) in [("sign_in", vec![("email", "a@example.test")]), ("my_data", vec![("activity_page", "many")])] {
        let res = app.form(endpoint, None, &fields).await;
        assert!(res.status().is_redirection(), "{endpoint}: {}", res.status());
        let body = res.text().await.unwrap();
        assert!(!body.to_lowercase().contains("deserial"), "{endpoint}: {body}");
        let res = app.call(endpoint, None, &fields).await;
        assert!(res.status().is_client_error(), "{endpoint} by script: {}", res.status());
        let body = res.text().await.unwrap();
        assert!(!body.to_lowercase().contains("deserial"), "{endpoint}: {body}");
    }
    // The database is intact.
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM customers").fetch_one(app.portal.store.pool()).await.unwrap();
    assert_eq!(n, 1);
}

async fn language_choice_is_remembered_and_stays_on_site(portal: Portal) {
    let app = TestApp::start(portal).await;
    let res = app.page("/language/es?next=/sign-in", None).await;
    assert!(res.status().is_redirection());
    assert_eq!(location(&res), "/sign-in");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("lang=es"), "{cookie}");

    for evil in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let res = app.page(&format!("/language/it?next={evil}"), None).await;
        assert_eq!(location(&res), "/", "{evil}");
    }
    let page = app
        .raw()
        .get(app.url("/sign-in"))
        .header("cookie", "lang=it")
        .header("accept-language", "es")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("lang=\"it\""), "the chosen language beats the browser's");
    let page = app.raw().get(app.url("/sign-in")).header("accept-language", "es-ES,es;q=0.9").send().await.unwrap();
    assert!(page.text().await.unwrap().contains("lang=\"es\""));
}

async fn health_reports_the_database(portal: Portal) {
    let app = TestApp::start(portal).await;
    let res = app.page("/healthz", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
}

/// Deployed as documented, behind a proxy that terminates TLS (`CUSTODIA_PUBLIC_URL=https://…`):
/// every answer carries HSTS for a year, and the session cookies get the `__Host-` prefix and
/// `Secure` (so browsers send them only over https, only to this host, for every path).
async fn behind_a_tls_proxy_cookies_are_host_only_and_secure_and_hsts_is_sent(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, "a@example.test").await;
    let app = TestApp::start_behind_proxy(portal, "https://privacy.example.com").await;
    for path in ["/sign-in", "/healthz", "/no-such-page"] {
        let res = app.page(path, None).await;
        let hsts = res.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(hsts.as_deref(), Some("max-age=31536000; includeSubDomains"), "{path}");
    }
    let res = app.form("sign_in", None, &[("email", "a@example.test"), ("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/sign-in/code");
    let session_cookie = |res: &reqwest::Response| {
        let all = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
        all.iter().find(|c| c.contains("custodia_session=")).cloned().unwrap_or_else(|| panic!("a session cookie: {all:?}"))
    };
    let cookie = session_cookie(&res);
    assert!(cookie.starts_with("__Host-custodia_session="), "{cookie}");
    for part in ["; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/"] {
        assert!(cookie.contains(part), "{part}: {cookie}");
    }
    assert!(!cookie.to_lowercase().contains("domain="), "host-only: {cookie}");
    // The prefixed cookie is the one read back.
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    app.portal.clock.advance(30);
    let code = domain::identity::totp::code_at(&secret, app.portal.now()).unwrap();
    let res = app
        .send("verify_code", Some(&format!("__Host-custodia_session={token}")), &[("code", &code)], true)
        .await;
    assert_eq!(location(&res), "/my-data");
    let full = session_cookie(&res);
    assert!(full.starts_with("__Host-custodia_session=") && full.contains("; Secure"), "{full}");
    // The plain name is not accepted in its place: it could have been set over http.
    let plain = full.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    let res = app.page("/my-data", Some(&plain)).await;
    assert!(res.status().is_redirection(), "the unprefixed name is ignored over https");
}

async fn boom() -> &'static str {
    panic!("customer rosa@example.test owes 42")
}

async fn boom_on_post() -> &'static str {
    panic!("secret")
}

/// No route of the portal panics on purpose, so this puts one under the portal's own stack of
/// layers: the answer is a 500 page with the usual headers that says nothing of the panic, and
/// the next request is served.
async fn a_panicking_handler_gets_a_plain_page_and_the_server_keeps_serving(portal: Portal) {
    use axum::routing::get;
    let routes = axum::Router::new()
        .route("/boom", get(boom).post(boom_on_post))
        .route("/fine", get(|| async { "fine" }));
    let router = server::startup::with_layers(routes, &test_config(None, None), portal);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();

    for _ in 0..3 {
        let res = client.get(format!("http://{addr}/boom")).header(ACCEPT, "text/html").send().await.expect("an answer, not a dropped connection");
        assert_eq!(res.status(), 500);
        let h = res.headers().clone();
        assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
        assert_eq!(h["cache-control"], "no-store");
        let body = res.text().await.unwrap();
        assert!(body.contains("Something went wrong on our side") && body.contains("Algo ha fallado") && body.contains("Qualcosa è andato storto"), "{body}");
        assert!(!body.contains("rosa") && !body.contains("42") && !body.contains("panic"), "{body}");
    }
    let origin = format!("http://{addr}");
    let res = client.post(format!("{origin}/boom")).header(ORIGIN, &origin).send().await.unwrap();
    assert_eq!(res.status(), 500);
    assert!(!res.text().await.unwrap().contains("secret"));
    let res = client.get(format!("http://{addr}/fine")).send().await.unwrap();
    assert_eq!((res.status().as_u16(), res.text().await.unwrap()), (200, "fine".to_string()));
}
