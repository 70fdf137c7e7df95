//! Who may call what, over real HTTP on SQLite and PostgreSQL: the customer always comes from the
//! session, so customer A reaches none of customer B's data through any server function or page.

mod support;

use domain::Portal;
use domain::on_both_backends;
use domain::testing::*;
use support::*;

on_both_backends!(
    customer_a_never_sees_customer_b,
    anonymous_and_half_signed_in_callers_get_nothing,
    a_forged_or_ended_session_is_refused,
);

/// Every server function, with arguments that would matter if any of them took a customer id.
const ENDPOINTS: &[(&str, &[(&str, &str)])] = &[
    ("my_data", &[("activity_page", "0")]),
    ("my_data", &[("activity_page", "1")]),
    ("enrollment", &[]),
    ("confirm_enrollment", &[("code", "000000")]),
    ("recovery_codes", &[]),
    ("verify_code", &[("code", "000000")]),
    ("change_form", &[("field", "phone")]),
    ("change_form", &[("field", "address"), ("address_id", "1")]),
    ("change_form", &[("field", "address"), ("address_id", "2")]),
    ("request_change", &[("field", "phone"), ("value", "+34 600 000 001")]),
    ("cancel_change", &[("id", "1")]),
    ("change_link", &[("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]),
    // Not here: dev_mailbox, which by design shows all mail and exists only without SMTP.
];

const PAGES: &[&str] = &[
    "/",
    "/my-data",
    "/my-data?activity_page=1",
    "/enroll",
    "/recovery-codes",
    "/sign-in/code",
    "/change/phone",
    "/change/address?id=1",
    "/change/address?id=2",
    "/confirmed?field=phone",
];

async fn markers(portal: &Portal, email: &str) -> Vec<String> {
    let id = customer_id(portal, email).await;
    let (public_id,): (String,) =
        sqlx::query_as("SELECT public_id FROM customers WHERE id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    vec![public_id, person(portal, id).await.full_name, email.to_string()]
}

async fn customer_a_never_sees_customer_b(portal: Portal) {
    let (a_token, _, _) = enrolled(&portal, "a@example.test").await;
    let (_b_token, _, _) = enrolled(&portal, "b@example.test").await;
    let a = markers(&portal, "a@example.test").await;
    let b = markers(&portal, "b@example.test").await;
    let app = TestApp::start(portal).await;

    // A's own data is there, so the checks below look at real responses.
    let mine = app.call("my_data", Some(&a_token), &[("activity_page", "0")]).await;
    assert_eq!(mine.status(), 200);
    let body = mine.text().await.unwrap();
    assert!(body.contains(&a[0]), "A's my_data carries A's id");

    for (endpoint, args) in ENDPOINTS {
        let body = app.call(endpoint, Some(&a_token), args).await.text().await.unwrap();
        for m in &b {
            assert!(!body.contains(m.as_str()), "{endpoint} showed B's data to A");
        }
    }
    for page in PAGES {
        let res = app.page(page, Some(&a_token)).await;
        assert!(res.status().as_u16() < 500, "{page}: {}", res.status());
        let body = res.text().await.unwrap();
        for m in &b {
            assert!(!body.contains(m.as_str()), "{page} showed B's data to A");
        }
    }
    let page = app.page("/my-data", Some(&a_token)).await.text().await.unwrap();
    assert!(page.contains(&a[1]), "A's page shows A's name");

    // B's own rows, addressed by id: A can neither read nor cancel them.
    let b_id = customer_id(&app.portal, "b@example.test").await;
    let (b_address,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM addresses WHERE customer_id = $1")
        .bind(b_id)
        .fetch_one(app.portal.store.pool())
        .await
        .unwrap();
    let b_pending = domain::verification::request_change(
        &app.portal,
        b_id,
        domain::verification::Field::Phone,
        domain::verification::NewValue::Text("+34 600 999 999".into()),
        &meta(),
    )
    .await
    .unwrap();
    let res = app.call("change_form", Some(&a_token), &[("field", "address"), ("address_id", &b_address.to_string())]).await;
    assert_ne!(res.status(), 200, "another customer's address is not found");
    let body = res.text().await.unwrap();
    assert!(body.contains("NotFound"), "{body}");
    assert!(b.iter().all(|m| !body.contains(m.as_str())));
    let res = app.page(&format!("/change/address?id={b_address}"), Some(&a_token)).await.text().await.unwrap();
    let b_line1 = address(&app.portal, b_address).await.line1;
    assert!(!res.contains(&b_line1), "B's address is not shown to A");
    let res = app.form("cancel_change", Some(&a_token), &[("id", &b_pending.to_string())]).await;
    assert_eq!(location(&res), "/my-data?e=change_gone#pending");
    assert_eq!(domain::verification::pending_for(app.portal.store.pool(), &app.portal, b_id).await.unwrap().len(), 1, "B's change stands");
}


async fn anonymous_and_half_signed_in_callers_get_nothing(portal: Portal) {
    enrolled(&portal, "a@example.test").await;
    let secret = markers(&portal, "a@example.test").await;
    let app = TestApp::start(portal).await;

    // Password right, code not yet given.
    let res = app.form("sign_in", None, &[("email", "a@example.test"), ("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/sign-in/code");
    let half = set_session(&res).expect("a half session cookie");

    for token in [None, Some(half.as_str())] {
        for endpoint in ["my_data", "recovery_codes", "enrollment"] {
            let res = app.call(endpoint, token, &[("activity_page", "0")]).await;
            assert_eq!(res.status(), 401, "{endpoint} with {token:?}");
            let body = res.text().await.unwrap();
            assert!(secret.iter().all(|m| !body.contains(m.as_str())), "{endpoint} leaked");
        }
        let res = app.page("/my-data", token).await;
        assert!(res.status().is_redirection(), "/my-data must send the visitor to sign in");
        assert!(location(&res).starts_with("/sign-in"), "{}", location(&res));
    }
}

async fn a_forged_or_ended_session_is_refused(portal: Portal) {
    let (token, _, _) = enrolled(&portal, "a@example.test").await;
    let app = TestApp::start(portal).await;

    let mut forged = token.clone();
    forged.replace_range(0..1, if forged.starts_with('A') { "B" } else { "A" });
    assert_eq!(app.call("my_data", Some(&forged), &[("activity_page", "0")]).await.status(), 401);
    assert_eq!(app.call("my_data", Some("not a token"), &[("activity_page", "0")]).await.status(), 401);

    assert_eq!(app.call("my_data", Some(&token), &[("activity_page", "0")]).await.status(), 200);
    let res = app.form("sign_out", Some(&token), &[]).await;
    assert_eq!(location(&res), "/sign-in?e=signed_out");
    let cleared = res.headers().get_all("set-cookie").iter().any(|c| {
        c.to_str().is_ok_and(|c| c.starts_with("custodia_session=;") && c.contains("Max-Age=0"))
    });
    assert!(cleared, "sign-out clears the cookie");
    // The old token is dead on the server, not only forgotten by the browser.
    assert_eq!(app.call("my_data", Some(&token), &[("activity_page", "0")]).await.status(), 401);
}
