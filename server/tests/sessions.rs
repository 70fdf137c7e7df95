//! "Where you are signed in" over real HTTP, on both backends: the customer sees each live
//! session with its browser and address, ends another one (whose cookie then stops working) or
//! all the others; nobody ends someone else's; changing the password ends the others too;
//! signing out clears the site's data.

mod support;

use domain::identity::totp;
use domain::on_both_backends;
use domain::testing::*;
use domain::Portal;
use support::*;

on_both_backends!(a_customer_sees_and_ends_their_sessions);

async fn a_customer_sees_and_ends_their_sessions(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, "a@example.test").await;
    let (b, _, _) = enrolled(&portal, "b@example.test").await;
    let phone = another_session(&portal, "a@example.test", &secret).await;
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
    let again = another_session(&app.portal, "a@example.test", &secret).await;
    let res = app.form("end_other_sessions", Some(&here), &[]).await;
    assert_eq!(location(&res), "/sessions?e=sessions_ended");
    assert!(domain::testing::session(&app.portal, &again).await.is_none());
    assert!(domain::testing::session(&app.portal, &here).await.is_some());

    // Changing the password, without JavaScript: a problem comes back beside its field; success
    // ends every other session and says so.
    let other = another_session(&app.portal, "a@example.test", &secret).await;
    let form = app.page("/password", Some(&here)).await.text().await.unwrap();
    assert!(form.contains(r#"name="current_password""#) && form.contains(r#"autocomplete="new-password""#), "{form}");
    app.portal.clock.advance(30);
    let code = totp::code_at(&secret, app.portal.now()).unwrap();
    let new = "a much longer passphrase 2026";
    let res = app.form("change_password", Some(&here), &[("current_password", "wrong but long enough"), ("new_password", new), ("code", &code)]).await;
    assert_eq!(location(&res), "/password?e=current_password.malformed");
    let form = app.page("/password?e=current_password.malformed", Some(&here)).await.text().await.unwrap();
    assert!(form.contains("That is not your current password.") && form.contains(r#"aria-invalid="true""#), "{form}");
    assert!(domain::testing::session(&app.portal, &other).await.is_some(), "nothing changed");
    let res = app.form("change_password", Some(&here), &[("current_password", PASSWORD), ("new_password", new), ("code", &code)]).await;
    assert_eq!(location(&res), "/sessions?e=password_changed");
    assert!(app.page("/my-data", Some(&other)).await.status().is_redirection(), "the other session is over");
    let page = app.page("/sessions?e=password_changed", Some(&here)).await.text().await.unwrap();
    assert!(page.contains("Your password is changed."), "{page}");

    // Signing out tells the browser to forget the site's data.
    let res = app.form("sign_out", Some(&here), &[]).await;
    let clear = res.headers().get("clear-site-data").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert!(clear.contains("\"cookies\"") && clear.contains("\"storage\""), "{clear:?}");
}
