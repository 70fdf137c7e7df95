//! A forgotten password over real HTTP with JavaScript off, on both backends: sign-in leads to
//! the form; any well-formed address gets the same answer; the mailed link opens a form that
//! needs a code; problems come back beside their field; success signs every device out and
//! sends the customer to sign in; the link then says it was used; one network address asks at
//! most twenty times an hour.

mod support;

use domain::identity::totp;
use domain::on_both_backends;
use domain::testing::*;
use domain::Portal;
use support::*;

on_both_backends!(a_forgotten_password_is_reset_from_the_mailed_link);

const EMAIL: &str = "a@example.test";

/// The message with this subject, once delivered: the running server's mail worker may be
/// sending it this very moment, so wait for it in the dev mailbox as a person waits for mail.
async fn mailed(portal: &Portal, subject: &str) -> domain::mail::Mail {
    for _ in 0..100 {
        if let Some(m) = last_mail_to(portal, EMAIL).await.filter(|m| m.subject == subject) {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail \"{subject}\" within 5 s")
}

async fn a_forgotten_password_is_reset_from_the_mailed_link(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, EMAIL).await;
    let app = TestApp::start(portal).await;

    let sign_in = app.page("/sign-in", None).await.text().await.unwrap();
    assert!(sign_in.contains(r#"href="/password/forgot""#), "{sign_in}");
    let form = app.page("/password/forgot", None).await.text().await.unwrap();
    assert!(form.contains(r#"action="/api/request_password_reset""#) && form.contains(r#"name="email""#), "{form}");

    let res = app.form("request_password_reset", None, &[("email", "not an address")]).await;
    assert_eq!(location(&res), "/password/forgot?e=email.malformed");
    let page = app.page("/password/forgot?e=email.malformed", None).await.text().await.unwrap();
    assert!(page.contains("Enter an email address like name@example.com.") && page.contains(r#"aria-invalid="true""#), "{page}");

    // The same answer with and without an account.
    let unknown = app.form("request_password_reset", None, &[("email", "nobody@example.test")]).await;
    let known = app.form("request_password_reset", None, &[("email", EMAIL)]).await;
    assert_eq!(location(&unknown), "/password/forgot?e=reset_sent");
    assert_eq!(location(&known), location(&unknown));
    let page = app.page("/password/forgot?e=reset_sent", None).await.text().await.unwrap();
    assert!(page.contains("If an account uses that address, we have sent it a link."), "{page}");

    let mail = mailed(&app.portal, "Reset your password").await;
    let token = token_in(&mail.text, "/password/reset/").unwrap();
    let path = format!("/password/reset/{token}");
    let res = app.page(&path, None).await;
    assert_eq!(res.headers()["referrer-policy"], "no-referrer", "the token never leaves in a Referer");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let form = res.text().await.unwrap();
    assert!(form.contains(r#"name="new_password""#) && form.contains(r#"name="code""#) && form.contains(&token), "{form}");

    app.portal.clock.advance(30);
    let code = totp::code_at(&secret, app.portal.now()).unwrap();
    let new = "a new passphrase for the spring of 2027";
    let res = app.form("reset_password", None, &[("token", &token), ("new_password", "short"), ("code", &code)]).await;
    assert_eq!(location(&res), format!("{path}?e=new_password.malformed"));
    let res = app.form("reset_password", None, &[("token", &token), ("new_password", new), ("code", "000000")]).await;
    assert_eq!(location(&res), format!("{path}?e=code.wrong"));
    let page = app.page(&format!("{path}?e=code.wrong"), None).await.text().await.unwrap();
    assert!(page.contains("That code is not right.") && page.contains(r#"aria-invalid="true""#), "{page}");
    assert_eq!(app.page("/my-data", Some(&here)).await.status(), 200, "nothing changed yet");

    let res = app.form("reset_password", None, &[("token", &token), ("new_password", new), ("code", &code)]).await;
    assert_eq!(location(&res), "/sign-in?e=reset_done");
    assert!(app.page("/my-data", Some(&here)).await.status().is_redirection(), "every session ended");
    let page = app.page("/sign-in?e=reset_done", None).await.text().await.unwrap();
    assert!(page.contains("Your password is reset"), "{page}");
    let res = app.form("sign_in", None, &[("email", EMAIL), ("password", new)]).await;
    assert_eq!(location(&res), "/sign-in/code", "the new password signs in");

    let page = app.page(&path, None).await.text().await.unwrap();
    assert!(page.contains(r#"data-reason="link_used""#) && page.contains(r#"href="/password/forgot""#), "{page}");
    let page = app.page("/password/reset/not-a-real-link", None).await.text().await.unwrap();
    assert!(page.contains(r#"data-reason="link_unknown""#), "{page}");
    let res = app.form("reset_password", None, &[("token", "../../etc"), ("new_password", new), ("code", &code)]).await;
    assert_eq!(location(&res), "/password/reset/invalid");

    // Twenty asks an hour from one network address (two were made above), then a notice to wait.
    for i in 0..18 {
        let res = app.form("request_password_reset", None, &[("email", &format!("n{i}@example.test"))]).await;
        assert_eq!(location(&res), "/password/forgot?e=reset_sent");
    }
    let res = app.form("request_password_reset", None, &[("email", EMAIL)]).await;
    assert_eq!(location(&res), "/password/forgot?e=locked");
    let page = app.page("/password/forgot?e=locked", None).await.text().await.unwrap();
    assert!(page.contains("Too many attempts. Please wait a few minutes and try again."), "{page}");
}
