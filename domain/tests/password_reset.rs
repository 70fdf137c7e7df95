//! A forgotten password, on both backends: asking answers the same for any address and mails a
//! link only to a customer, a few times an hour at most; the link alone never resets the password
//! of a customer with an authenticator; a reset replaces the password, uses up every link, ends
//! every session, forgives failed sign-ins, audits and mails; links expire and work once.

use domain::error::{LinkProblem, Problem};
use domain::identity::{self, SignInStep, password_reset, totp};
use domain::on_both_backends;
use domain::testing::*;
use domain::{Error, Portal};

on_both_backends!(
    asking_answers_alike_and_mails_only_a_customer,
    the_answer_only_queues_the_ask_and_the_worker_answers_it_once,
    asks_from_one_network_address_are_capped_whatever_they_name,
    an_ask_that_cannot_be_answered_is_dropped_and_holds_up_nothing,
    a_reset_needs_the_link_and_the_authenticator_and_ends_every_session,
    a_recovery_code_stands_in_for_a_lost_authenticator,
    links_expire_and_work_once,
    a_customer_without_an_authenticator_resets_with_the_link_alone,
);

const EMAIL: &str = "rosa@example.test";
const NEW: &str = "a brand new passphrase she will remember in 2027";

/// How many reset links the outbox holds for anyone.
async fn links_queued(portal: &Portal) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE kind = 'password_reset_link'")
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    n
}

/// Asks as the form does, then runs the mail worker's pass that answers asks.
async fn ask(portal: &Portal, email: &str) {
    password_reset::request(portal, email, &meta()).await.unwrap();
    password_reset::issue_asked(portal).await.unwrap();
}

/// Asks for a link and returns its token, read from the mail as the customer would.
async fn mailed_token(portal: &Portal) -> String {
    ask(portal, EMAIL).await;
    let mail = peek_outbox(portal, "password_reset_link").await.expect("a link is mailed");
    assert_eq!(mail.to, EMAIL);
    token_in(&mail.text, "/password/reset/").expect("a reset link in the mail")
}

fn field_problem<T: std::fmt::Debug>(r: domain::Result<T>) -> (&'static str, Problem) {
    match r {
        Err(Error::Invalid { field, problem }) => (field, problem),
        other => panic!("{other:?}"),
    }
}

async fn asking_answers_alike_and_mails_only_a_customer(portal: Portal) {
    customer(&portal, EMAIL).await;
    assert_eq!(field_problem(password_reset::request(&portal, "", &meta()).await), ("email", Problem::Required));
    assert_eq!(field_problem(password_reset::request(&portal, "not an address", &meta()).await), ("email", Problem::Malformed));
    assert_eq!(field_problem(password_reset::request(&portal, "a@b.c\r\nBcc: x@y.z", &meta()).await), ("email", Problem::Malformed));

    password_reset::request(&portal, "nobody@example.test", &meta()).await.expect("the same answer for an unknown address");
    password_reset::issue_asked(&portal).await.unwrap();
    assert_eq!(links_queued(&portal).await, 0, "no mail for an address without an account");

    // Any case and surrounding space find the account, as at sign-in.
    ask(&portal, "  Rosa@Example.TEST ").await;
    let mail = peek_outbox(&portal, "password_reset_link").await.unwrap();
    assert_eq!(mail.to, EMAIL);
    assert_eq!(mail.subject, "Reset your password");
    assert!(mail.text.contains("30 minutes"), "{}", mail.text);
    let token = token_in(&mail.text, "/password/reset/").unwrap();
    assert!(domain::keys::is_token_shape(&token));
    let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM password_resets WHERE token_hash = $1")
        .bind(&token)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, 0, "only the token's hash is kept");

    // Three links an hour; more asks answer alike and mail nothing.
    for _ in 0..5 {
        password_reset::request(&portal, EMAIL, &meta()).await.unwrap();
    }
    password_reset::issue_asked(&portal).await.unwrap();
    assert_eq!(links_queued(&portal).await, 3);
    portal.clock.advance(3_601);
    ask(&portal, EMAIL).await;
    assert_eq!(links_queued(&portal).await, 4, "the allowance comes back after an hour");
}

async fn reset_rows(portal: &Portal) -> (i64, i64, i64) {
    let count = |table: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(portal.store.pool()).await.unwrap();
        n
    };
    (count("reset_asks").await, count("password_resets").await, links_queued(portal).await)
}

/// The form's answer does the same work for any address (one insert of a keyed hash, so no
/// account's existence shows in its timing); the worker's pass looks the address up, and two
/// passes at once answer each ask once.
async fn the_answer_only_queues_the_ask_and_the_worker_answers_it_once(portal: Portal) {
    customer(&portal, EMAIL).await;
    password_reset::request(&portal, EMAIL, &meta()).await.unwrap();
    password_reset::request(&portal, "nobody@example.test", &meta()).await.unwrap();
    assert_eq!(reset_rows(&portal).await, (2, 0, 0), "asked: nothing looked up, no link, no mail");
    let (held,): (String,) = sqlx::query_as("SELECT email_lookup FROM reset_asks ORDER BY id LIMIT 1").fetch_one(portal.store.pool()).await.unwrap();
    assert!(!held.contains('@') && !held.to_lowercase().contains("rosa"), "only a keyed hash is queued");
    assert_eq!(password_reset::issue_asked(&portal).await.unwrap(), 1);
    assert_eq!(reset_rows(&portal).await, (0, 1, 1), "one link for the customer, nothing for the stranger, the queue drained");
    assert_eq!(password_reset::issue_asked(&portal).await.unwrap(), 0, "an ask is answered once");

    // More asks than one transaction takes, answered by two passes at once (two connections on
    // PostgreSQL): every customer gets exactly one link.
    let mut emails = Vec::new();
    for i in 0..60 {
        let email = format!("many{i}@example.test");
        customer(&portal, &email).await;
        password_reset::request(&portal, &email, &meta_from(&format!("198.51.100.{i}"))).await.unwrap();
        emails.push(email);
    }
    let (a, b) = tokio::join!(password_reset::issue_asked(&portal), password_reset::issue_asked(&portal));
    assert_eq!(a.unwrap() + b.unwrap(), 60);
    assert_eq!(reset_rows(&portal).await, (0, 61, 61));
    let (most,): (i64,) = sqlx::query_as("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM password_resets GROUP BY customer_id) per")
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(most, 1, "no customer got two links from one ask");
}

/// A customer whose sealed name no longer opens (a damaged row) cannot be mailed. Their ask is
/// dropped with the link it had written, and the asks queued after it are answered.
async fn an_ask_that_cannot_be_answered_is_dropped_and_holds_up_nothing(portal: Portal) {
    let damaged = customer(&portal, "damaged@example.test").await;
    customer(&portal, EMAIL).await;
    sqlx::query("UPDATE customers SET full_name = 'not a sealed value' WHERE id = $1")
        .bind(damaged)
        .execute(portal.store.pool())
        .await
        .unwrap();
    password_reset::request(&portal, "damaged@example.test", &meta()).await.unwrap();
    password_reset::request(&portal, EMAIL, &meta()).await.unwrap();
    assert_eq!(password_reset::issue_asked(&portal).await.unwrap(), 1, "the ask after the damaged one is answered");
    assert_eq!(reset_rows(&portal).await, (0, 1, 1), "the queue drained; one link and one mail, both the customer's");
    let (theirs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM password_resets WHERE customer_id = $1")
        .bind(damaged)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(theirs, 0, "the link written before the failure went with it");
    assert_eq!(peek_outbox(&portal, "password_reset_link").await.expect("a link").to, EMAIL);
}

/// Twenty asks an hour from one network address; the refusal is the same for an account and a
/// stranger, queues nothing, and leaves other addresses alone; the next hour starts afresh.
async fn asks_from_one_network_address_are_capped_whatever_they_name(portal: Portal) {
    customer(&portal, EMAIL).await;
    let here = meta_from("203.0.113.7");
    // The clock is the wall clock plus an offset, so a second may tick between asks: the answer
    // is bounded by the readings taken around the first ask and around the refused one.
    let first_before = portal.now();
    let mut first_after = first_before;
    for i in 0..20 {
        let email = if i % 2 == 0 { EMAIL.to_string() } else { format!("stranger{i}@example.test") };
        password_reset::request(&portal, &email, &here).await.unwrap();
        if i == 0 {
            first_after = portal.now();
        }
    }
    portal.clock.advance(600);
    for email in [EMAIL, "someone.else@example.test"] {
        let before = portal.now();
        let answer = password_reset::request(&portal, email, &here).await;
        let after = portal.now();
        match answer {
            Err(Error::Throttled { retry_after }) => assert!(
                (first_before + 3_600 - after..=first_after + 3_600 - before).contains(&retry_after),
                "until the hour from the first ask is over: {retry_after}"
            ),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(reset_rows(&portal).await.0, 20, "a refused ask queues nothing");
    password_reset::request(&portal, EMAIL, &meta_from("203.0.113.8")).await.expect("another address asks freely");
    portal.clock.advance(3_000);
    password_reset::request(&portal, EMAIL, &here).await.expect("a new hour, a new allowance");
    assert_eq!(password_reset::issue_asked(&portal).await.unwrap(), 3, "and the account's own cap still holds");
}

async fn a_reset_needs_the_link_and_the_authenticator_and_ends_every_session(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, EMAIL).await;
    let elsewhere = another_session(&portal, EMAIL, &secret).await;
    let token = mailed_token(&portal).await;
    assert_eq!(password_reset::link(&portal, &token).await.unwrap(), password_reset::ResetLink { needs_code: true });
    portal.clock.advance(30);
    let c = totp::code_at(&secret, portal.now()).unwrap();

    assert_eq!(field_problem(password_reset::reset(&portal, &token, "short", &c, &meta()).await), ("new_password", Problem::Malformed));
    assert_eq!(field_problem(password_reset::reset(&portal, &token, "qwerty123456", &c, &meta()).await), ("new_password", Problem::Guessable));
    assert_eq!(field_problem(password_reset::reset(&portal, &token, NEW, "", &meta()).await), ("code", Problem::Required));
    assert!(matches!(password_reset::reset(&portal, &token, NEW, "000000", &meta()).await, Err(Error::BadCredentials)));
    assert!(session(&portal, &here).await.is_some(), "refusals change nothing");
    assert!(peek_outbox(&portal, "password_reset").await.is_none());
    assert!(password_reset::link(&portal, &token).await.is_ok(), "a mistyped code leaves the link usable");

    // Failed sign-ins before the reset are forgiven by it.
    for _ in 0..3 {
        let _ = identity::sign_in(&portal, EMAIL, "a wrong password, long enough", &meta(), None).await;
    }
    let a_second_link = mailed_token(&portal).await;
    assert_eq!(password_reset::reset(&portal, &token, NEW, &c, &meta()).await.unwrap(), 2, "both sessions ended");
    assert!(session(&portal, &here).await.is_none());
    assert!(session(&portal, &elsewhere).await.is_none());
    assert!(matches!(password_reset::link(&portal, &a_second_link).await, Err(Error::Link(LinkProblem::Used))), "every open link is used up");

    assert!(matches!(identity::sign_in(&portal, EMAIL, PASSWORD, &meta(), None).await, Err(Error::BadCredentials)), "the old password no longer works");
    for _ in 0..2 {
        let _ = identity::sign_in(&portal, EMAIL, "a wrong password, long enough", &meta(), None).await;
    }
    // Four failures before the reset (three passwords, one code) and three after would have
    // locked the account at five.
    assert!(matches!(identity::sign_in(&portal, EMAIL, NEW, &meta(), None).await.unwrap(), SignInStep::NeedsCode(_)));

    let mail = peek_outbox(&portal, "password_reset").await.expect("the customer is told");
    assert_eq!(mail.to, EMAIL);
    assert_eq!(mail.subject, "Your password was reset");
    assert!(mail.text.contains("2 signed-in browsers and devices were signed out"), "{}", mail.text);
    let id = customer_id(&portal, EMAIL).await;
    let actions: Vec<String> = domain::audit::for_customer(&portal, id, 50).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.iter().any(|a| a == "identity.password_reset"), "{actions:?}");
    let (activity,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1 AND kind = 'password_reset'")
        .bind(id)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(activity, 1, "shown in the customer's activity");
}

async fn a_recovery_code_stands_in_for_a_lost_authenticator(portal: Portal) {
    let (_, _, codes) = enrolled(&portal, EMAIL).await;
    let token = mailed_token(&portal).await;
    assert!(matches!(password_reset::reset(&portal, &token, NEW, "ZZZZZ-ZZZZZ", &meta()).await, Err(Error::BadCredentials)));
    password_reset::reset(&portal, &token, NEW, &codes[0], &meta()).await.unwrap();
    let id = customer_id(&portal, EMAIL).await;
    assert_eq!(identity::recovery::remaining(portal.store.pool(), id).await.unwrap(), 9, "the code is used up");

    // The same recovery code cannot do it again, with a fresh link.
    portal.clock.advance(60);
    let again = mailed_token(&portal).await;
    assert!(matches!(password_reset::reset(&portal, &again, "yet another passphrase for her", &codes[0], &meta()).await, Err(Error::BadCredentials)));
}

async fn links_expire_and_work_once(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, EMAIL).await;
    assert!(matches!(password_reset::link(&portal, "not-a-token").await, Err(Error::Link(LinkProblem::Unknown))));
    assert!(matches!(password_reset::link(&portal, &domain::keys::random_token()).await, Err(Error::Link(LinkProblem::Unknown))));

    let late = mailed_token(&portal).await;
    portal.clock.advance(30 * 60);
    assert!(matches!(password_reset::link(&portal, &late).await, Err(Error::Link(LinkProblem::Expired))));
    let c = totp::code_at(&secret, portal.now()).unwrap();
    assert!(matches!(password_reset::reset(&portal, &late, NEW, &c, &meta()).await, Err(Error::Link(LinkProblem::Expired))));

    let token = mailed_token(&portal).await;
    password_reset::reset(&portal, &token, NEW, &c, &meta()).await.unwrap();
    portal.clock.advance(30);
    let c = totp::code_at(&secret, portal.now()).unwrap();
    assert!(matches!(password_reset::reset(&portal, &token, "yet another passphrase for her", &c, &meta()).await, Err(Error::Link(LinkProblem::Used))));
    assert!(matches!(identity::sign_in(&portal, EMAIL, NEW, &meta(), None).await.unwrap(), SignInStep::NeedsCode(_)), "the first reset stands");
}

async fn a_customer_without_an_authenticator_resets_with_the_link_alone(portal: Portal) {
    // Imported, never signed in: the password is all they have, so the mailbox proves them.
    customer(&portal, EMAIL).await;
    let token = mailed_token(&portal).await;
    assert_eq!(password_reset::link(&portal, &token).await.unwrap(), password_reset::ResetLink { needs_code: false });
    password_reset::reset(&portal, &token, NEW, "", &meta()).await.unwrap();
    assert!(matches!(identity::sign_in(&portal, EMAIL, NEW, &meta(), None).await.unwrap(), SignInStep::NeedsEnrollment(_)), "and enroll next");
}
