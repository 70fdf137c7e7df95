//! "Where you are signed in" over real HTTP, on both backends: the customer sees each live
//! session with its browser and address, ends another one (whose cookie then stops working) or
//! all the others; nobody ends someone else's; signing out clears the site's data.

mod support;

use domain::identity::{self, SignInStep, totp};
use domain::on_both_backends;
use domain::testing::*;
use domain::Portal;
use support::*;

on_both_backends!(a_customer_sees_and_ends_their_sessions);

/// A second full sign-in for an enrolled customer, from another address and browser.
async fn second_session(portal: &Portal, email: &str, secret: &[u8]) -> String {
    let meta = identity::RequestMeta { ip: "198.51.100.7".into(), user_agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1".into() };
    let SignInStep::NeedsCode(half) = identity::sign_in(portal, email, PASSWORD, &meta, None).await.unwrap() else {
        panic!("an enrolled customer is asked for a code")
    };
    let s = session(portal, &half.token).await.unwrap();
    portal.clock.advance(30);
    let code = totp::code_at(secret, portal.now()).unwrap();
    identity::verify_second_factor(portal, &s, &code, &meta).await.unwrap().token
}

async fn a_customer_sees_and_ends_their_sessions(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, "a@example.test").await;
    let (b, _, _) = enrolled(&portal, "b@example.test").await;
    let phone = second_session(&portal, "a@example.test", &secret).await;
    let app = TestApp::start(portal).await;

    let page = app.page("/sessions", Some(&here)).await.text().await.unwrap();
    assert_eq!(page.matches("<tr data-current=").count(), 2, "both of A's sessions, none of B's");
    assert!(page.contains("Safari on iPhone") && page.contains("198.51.100.7"));
    assert!(page.contains("(this browser)"));
    let handle = {
        let at = page.find("data-current=\"false\"").unwrap();
        let rest = &page[at..];
        let v = rest.find("name=\"handle\" value=\"").unwrap() + 21;
        rest[v..v + 16].to_string()
    };

    // B cannot end A's session, even knowing its handle.
    let res = app.form("end_session", Some(&b), &[("handle", &handle)]).await;
    assert_eq!(location(&res), "/sessions?e=invalid");
    assert_eq!(app.page("/my-data", Some(&phone)).await.status(), 200, "A's phone is still signed in");

    // A ends the phone's session: its cookie stops working at once.
    let res = app.form("end_session", Some(&here), &[("handle", &handle)]).await;
    assert_eq!(location(&res), "/sessions?e=session_ended");
    assert!(app.page("/my-data", Some(&phone)).await.status().is_redirection(), "the ended session is refused");
    assert_eq!(app.page("/my-data", Some(&here)).await.status(), 200);

    // "Sign out everywhere else" leaves only this browser.
    let again = second_session(&app.portal, "a@example.test", &secret).await;
    let res = app.form("end_other_sessions", Some(&here), &[]).await;
    assert_eq!(location(&res), "/sessions?e=sessions_ended");
    assert!(domain::testing::session(&app.portal, &again).await.is_none());
    assert!(domain::testing::session(&app.portal, &here).await.is_some());

    // Signing out tells the browser to forget the site's data.
    let res = app.form("sign_out", Some(&here), &[]).await;
    let clear = res.headers().get("clear-site-data").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert!(clear.contains("\"cookies\"") && clear.contains("\"storage\""), "{clear:?}");
}
