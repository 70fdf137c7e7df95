//! "Where you are signed in" over real HTTP, on both backends: the customer sees each live
//! session with its browser and address, ends another one (whose cookie then stops working) or
//! all the others; nobody ends someone else's; changing the password or replacing the
//! authenticator app ends the others too; signing out clears the site's data.

mod support;

use domain::identity::totp;
use domain::on_both_backends;
use domain::testing::*;
use domain::Portal;
use support::*;

on_both_backends!(
    a_customer_sees_and_ends_their_sessions,
    replacing_the_authenticator_without_javascript_ends_the_other_sessions,
    after_a_while_ending_sessions_asks_for_a_code_first,
);

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

async fn replacing_the_authenticator_without_javascript_ends_the_other_sessions(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, "a@example.test").await;
    let phone = another_session(&portal, "a@example.test", &secret).await;
    let app = TestApp::start(portal).await;
    let sessions = app.page("/sessions", Some(&here)).await.text().await.unwrap();
    assert!(sessions.contains(r#"href="/authenticator""#), "linked from the sessions page");

    // First: the password and a code from the present app. A wrong code comes back beside it.
    let form = app.page("/authenticator", Some(&here)).await.text().await.unwrap();
    assert!(form.contains(r#"action="/api/start_authenticator_change""#) && !form.contains("totp-key"), "{form}");
    let res = app.form("start_authenticator_change", Some(&here), &[("current_password", PASSWORD), ("code", "000000")]).await;
    assert_eq!(location(&res), "/authenticator?e=code.wrong");
    let form = app.page("/authenticator?e=code.wrong", Some(&here)).await.text().await.unwrap();
    assert!(form.contains("That code is not right.") && form.contains(r#"aria-invalid="true""#), "{form}");
    app.portal.clock.advance(30);
    let code = totp::code_at(&secret, app.portal.now()).unwrap();
    let res = app.form("start_authenticator_change", Some(&here), &[("current_password", PASSWORD), ("code", &code)]).await;
    assert_eq!(location(&res), "/authenticator");

    // Then: the new key, as a QR code and as text, and a code from the app it went into.
    let page = app.page("/authenticator", Some(&here)).await.text().await.unwrap();
    assert!(page.contains("<svg") && page.contains(r#"action="/api/finish_authenticator_change""#), "{page}");
    let key = {
        let at = page.find(r#"data-key=""#).expect("the key as text") + 10;
        page[at..at + page[at..].find('"').unwrap()].to_string()
    };
    let new_secret = totp::secret_from_base32(&key).unwrap();
    assert_ne!(new_secret, secret);
    let res = app.form("finish_authenticator_change", Some(&here), &[("new_code", "12")]).await;
    assert_eq!(location(&res), "/authenticator?e=new_code.malformed");
    assert_eq!(app.page("/my-data", Some(&phone)).await.status(), 200, "nothing changed yet");
    app.portal.clock.advance(30);
    let code = totp::code_at(&new_secret, app.portal.now()).unwrap();
    let res = app.form("finish_authenticator_change", Some(&here), &[("new_code", &code)]).await;
    assert_eq!(location(&res), "/recovery-codes?e=authenticator_changed");
    assert!(app.page("/my-data", Some(&phone)).await.status().is_redirection(), "the phone is signed out");
    let page = app.page("/recovery-codes?e=authenticator_changed", Some(&here)).await.text().await.unwrap();
    assert!(page.contains("Your new authenticator app is set up."), "{page}");
    assert_eq!(page.matches("<li><code>").count(), 10, "ten new recovery codes: {page}");
    // Finishing twice finds nothing open.
    let res = app.form("finish_authenticator_change", Some(&here), &[("new_code", &code)]).await;
    assert_eq!(location(&res), "/authenticator?e=authenticator_start_again");
}

async fn after_a_while_ending_sessions_asks_for_a_code_first(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, "a@example.test").await;
    let phone = another_session(&portal, "a@example.test", &secret).await;
    let app = TestApp::start(portal).await;
    // Twenty minutes of use later, the sign-in is no longer a recent proof.
    for _ in 0..4 {
        app.portal.clock.advance(5 * 60);
        assert_eq!(app.page("/my-data", Some(&here)).await.status(), 200);
    }
    let res = app.form("end_other_sessions", Some(&here), &[]).await;
    assert_eq!(location(&res), "/sessions?e=reauth.required&then=others");
    let page = app.page("/sessions?e=reauth.required&then=others", Some(&here)).await.text().await.unwrap();
    assert!(page.contains(r#"action="/api/confirm_and_end_sessions""#) && page.contains(r#"name="then" value="others""#), "{page}");
    assert!(page.contains("first confirm it is you"), "{page}");
    assert_eq!(app.page("/my-data", Some(&phone)).await.status(), 200, "nothing ended yet");

    let res = app.form("confirm_and_end_sessions", Some(&here), &[("code", "000000"), ("then", "others")]).await;
    assert_eq!(location(&res), "/sessions?e=code.wrong&then=others");
    let res = app.form("confirm_and_end_sessions", Some(&here), &[("code", "1"), ("then", "<script>")]).await;
    assert_eq!(location(&res), "/sessions?e=invalid", "only a handle or \"others\" goes back into the URL");
    app.portal.clock.advance(30);
    let code = totp::code_at(&secret, app.portal.now()).unwrap();
    let res = app.form("confirm_and_end_sessions", Some(&here), &[("code", &code), ("then", "others")]).await;
    assert_eq!(location(&res), "/sessions?e=sessions_ended");
    assert!(app.page("/my-data", Some(&phone)).await.status().is_redirection(), "the phone is signed out");
    assert_eq!(app.page("/my-data", Some(&here)).await.status(), 200);
}
