//! The client's network address behind a reverse proxy, over real HTTP on both backends. With
//! the proxy named in CUSTODIA_TRUSTED_PROXIES, the address it forwards is the one the reset-ask
//! cap counts and the sessions page shows, and what a client writes into the header itself
//! changes nothing. Without the setting the header is ignored.

mod support;

use domain::on_both_backends;
use domain::testing::*;
use domain::Portal;
use server::client_address::TrustedProxies;
use support::*;

on_both_backends!(behind_a_trusted_proxy_each_client_is_counted_and_shown_by_its_own_address, without_the_setting_the_header_changes_nothing);

const EMAIL: &str = "proxied@example.test";

/// A form post with JavaScript off, through a proxy that says it forwards for `forwarded` (the
/// test's connection comes from 127.0.0.1, like a proxy on the same machine); where it leads.
async fn post_via_proxy(app: &TestApp, endpoint: &str, forwarded: &str, fields: &[(&str, &str)]) -> String {
    let res = app
        .raw()
        .post(app.url(&format!("/api/{endpoint}")))
        .header("origin", app.origin())
        .header("accept", "text/html")
        .header("x-forwarded-for", forwarded)
        .form(fields)
        .send()
        .await
        .unwrap();
    location(&res)
}

/// "Forgot your password?" for the customer.
async fn ask(app: &TestApp, forwarded: &str) -> String {
    post_via_proxy(app, "request_password_reset", forwarded, &[("email", EMAIL)]).await
}

/// Signs in with the password; returns the address the new session recorded.
async fn session_address(app: &TestApp, forwarded: &str) -> String {
    let to = post_via_proxy(app, "sign_in", forwarded, &[("email", EMAIL), ("password", PASSWORD)]).await;
    assert_eq!(to, "/sign-in/code");
    let (ip,): (String,) = sqlx::query_as("SELECT ip FROM sessions WHERE stage = 'needs_code'")
        .fetch_one(app.portal.store.pool())
        .await
        .unwrap();
    ip
}

async fn behind_a_trusted_proxy_each_client_is_counted_and_shown_by_its_own_address(portal: Portal) {
    enrolled(&portal, EMAIL).await;
    let mut config = test_config(None, None);
    config.trusted_proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
    let app = TestApp::start_with_config(portal, config).await;

    for _ in 0..20 {
        assert_eq!(ask(&app, "203.0.113.9").await, "/password/forgot?e=reset_sent");
    }
    assert_eq!(ask(&app, "203.0.113.9").await, "/password/forgot?e=locked", "the twenty-first from that client");
    // A client writing another address in front of the one the proxy appends gains nothing.
    assert_eq!(ask(&app, "198.51.100.77, 203.0.113.9").await, "/password/forgot?e=locked");
    // Another client behind the same proxy, here through a second proxy inside the network.
    assert_eq!(ask(&app, "198.51.100.4, 10.2.0.1").await, "/password/forgot?e=reset_sent");

    assert_eq!(session_address(&app, "198.51.100.4").await, "198.51.100.4");
}

async fn without_the_setting_the_header_changes_nothing(portal: Portal) {
    enrolled(&portal, EMAIL).await;
    let app = TestApp::start(portal).await;
    for i in 0..20 {
        assert_eq!(ask(&app, &format!("203.0.113.{i}")).await, "/password/forgot?e=reset_sent");
    }
    assert_eq!(ask(&app, "198.51.100.4").await, "/password/forgot?e=locked", "every ask is the connection's, whatever the header says");
    assert_eq!(session_address(&app, "198.51.100.4").await, "127.0.0.1");
}
