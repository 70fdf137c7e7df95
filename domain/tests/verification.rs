//! Verified changes on SQLite and PostgreSQL: nothing changes until link + code, and then
//! everything (data, audit, notice) changes at once, exactly once.

use domain::error::{LinkProblem, Problem};
use domain::identity::totp;
use domain::mail::outbox;
use domain::verification::{self, AddressValue, Field, NewValue};
use domain::{Error, Portal};
use domain::on_both_backends;
use domain::testing::*;

on_both_backends!(
    a_phone_change_waits_for_link_and_code_then_applies_with_audit_and_notice,
    opening_the_link_writes_nothing,
    an_expired_link_is_refused,
    a_link_works_once,
    another_customers_link_is_refused,
    a_tampered_token_is_unknown,
    a_change_altered_after_its_link_was_sent_is_refused,
    a_totp_step_cannot_confirm_two_changes,
    five_wrong_codes_cancel_the_change,
    fifty_concurrent_confirmations_with_one_code_apply_once,
    a_recovery_code_confirms_and_is_notified,
    an_email_change_is_proven_by_the_new_address_and_undone_from_the_old,
    a_cancelled_or_replaced_request_stops_its_link,
    bad_values_name_their_field_and_store_nothing,
    an_address_change_applies_to_that_address_only,
);

const EMAIL: &str = "lucia@example.test";

async fn phone(portal: &Portal, id: i64) -> Option<String> {
    person(portal, id).await.phone
}

async fn count(portal: &Portal, sql: &str, id: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).bind(id).fetch_one(portal.store.pool()).await.unwrap();
    n
}


/// Enrolls a customer and asks to change their phone; returns (id, secret, codes, link token).
async fn phone_request(portal: &Portal, email: &str, new: &str) -> (i64, Vec<u8>, Vec<String>, String) {
    let (_, secret, codes) = enrolled(portal, email).await;
    let id = customer_id(portal, email).await;
    verification::request_change(portal, id, Field::Phone, NewValue::Text(new.into()), &meta()).await.unwrap();
    let mail = last_mail_to(portal, email).await.expect("confirmation mail");
    let token = token_in(&mail.text, "/confirm/").expect("link in mail");
    // The enrollment code's step is spent; codes below are for the next steps.
    portal.clock.advance(30);
    (id, secret, codes, token)
}

fn code_now(portal: &Portal, secret: &[u8]) -> String {
    totp::code_at(secret, portal.now()).unwrap()
}

async fn a_phone_change_waits_for_link_and_code_then_applies_with_audit_and_notice(portal: Portal) {
    let (id, secret, _, token) = phone_request(&portal, EMAIL, "+34 600 111 222").await;
    let before = phone(&portal, id).await;
    assert_ne!(before.as_deref(), Some("+34 600 111 222"));

    let pending = verification::pending_for(portal.store.pool(), &portal, id).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].field, Field::Phone);
    assert_eq!(pending[0].new_value, "+34 600 111 222");

    let mail = last_mail_to(&portal, EMAIL).await.unwrap();
    assert!(mail.subject.contains("phone number"), "{}", mail.subject);
    assert!(mail.text.contains("+34 600 111 222"));
    assert!(mail.html.contains("/confirm/"), "HTML part carries the link too");
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM pending_changes WHERE customer_id = $1")
        .bind(id)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_ne!(stored, token, "only a hash of the token is stored");
    assert_eq!(token.len(), 43, "256 bits, base64url");

    let done = verification::confirm(&portal, &token, &code_now(&portal, &secret), None, &meta()).await.unwrap();
    assert_eq!(done.field, Field::Phone);
    assert!(!done.used_recovery_code);
    assert_eq!(phone(&portal, id).await.as_deref(), Some("+34 600 111 222"));
    assert!(verification::pending_for(portal.store.pool(), &portal, id).await.unwrap().is_empty());
    assert_eq!(
        count(&portal, "SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 AND action = 'verification.applied' AND detail = 'phone' AND ip = '192.0.2.10'", id).await,
        1
    );
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM activity_events WHERE customer_id = $1 AND kind = 'data_changed'", id).await, 1);
    let notice = last_mail_to(&portal, EMAIL).await.unwrap();
    assert!(notice.subject.contains("was changed"), "{}", notice.subject);
    assert!(notice.text.contains("Not you?"));
    assert!(!notice.text.contains("+34 600 111 222"), "the notice does not repeat the value");
}

async fn opening_the_link_writes_nothing(portal: Portal) {
    let (id, _, _, token) = phone_request(&portal, EMAIL, "+34 600 111 333").await;
    let snapshot = |p: Portal| async move {
        let (a, b, c): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM audit_log), (SELECT COUNT(*) FROM outbox), \
             (SELECT COALESCE(MAX(failed_codes), 0) + COUNT(*) FROM pending_changes WHERE status = 'pending')",
        )
        .fetch_one(p.store.pool())
        .await
        .unwrap();
        (a, b, c)
    };
    let before = snapshot(portal.clone()).await;
    for _ in 0..3 {
        let p = verification::preview(&portal, &token, None).await.unwrap();
        assert_eq!(p.new_value, "+34 600 111 333");
        assert_eq!(p.customer_id, id);
        assert_eq!(Some(p.old_value), phone(&portal, id).await.or(Some(String::new())));
    }
    assert_eq!(snapshot(portal.clone()).await, before);
}

async fn an_expired_link_is_refused(portal: Portal) {
    let (id, secret, _, token) = phone_request(&portal, EMAIL, "+34 600 111 444").await;
    portal.clock.advance(portal.policy.change_link_secs);
    assert!(matches!(verification::preview(&portal, &token, None).await, Err(Error::Link(LinkProblem::Expired))));
    let r = verification::confirm(&portal, &token, &code_now(&portal, &secret), None, &meta()).await;
    assert!(matches!(r, Err(Error::Link(LinkProblem::Expired))), "{r:?}");
    assert_ne!(phone(&portal, id).await.as_deref(), Some("+34 600 111 444"));
    assert!(verification::pending_for(portal.store.pool(), &portal, id).await.unwrap().is_empty(), "expired changes are not listed");
}

async fn a_link_works_once(portal: Portal) {
    let (_, secret, _, token) = phone_request(&portal, EMAIL, "+34 600 111 555").await;
    verification::confirm(&portal, &token, &code_now(&portal, &secret), None, &meta()).await.unwrap();
    portal.clock.advance(30);
    let again = verification::confirm(&portal, &token, &code_now(&portal, &secret), None, &meta()).await;
    assert!(matches!(again, Err(Error::Link(LinkProblem::Used))), "{again:?}");
    assert!(matches!(verification::preview(&portal, &token, None).await, Err(Error::Link(LinkProblem::Used))));
}

async fn another_customers_link_is_refused(portal: Portal) {
    let (a, secret_a, _, token) = phone_request(&portal, EMAIL, "+34 600 111 666").await;
    let (_, secret_b, _) = enrolled(&portal, "bruno@example.test").await;
    let b = customer_id(&portal, "bruno@example.test").await;
    portal.clock.advance(30);
    assert!(matches!(verification::preview(&portal, &token, Some(b)).await, Err(Error::Link(LinkProblem::Foreign))));
    for secret in [&secret_a, &secret_b] {
        let r = verification::confirm(&portal, &token, &code_now(&portal, secret), Some(b), &meta()).await;
        assert!(matches!(r, Err(Error::Link(LinkProblem::Foreign))), "{r:?}");
    }
    // Without a session the link still needs the owner's code: B's code is simply wrong.
    let r = verification::confirm(&portal, &token, &code_now(&portal, &secret_b), None, &meta()).await;
    assert!(matches!(r, Err(Error::BadCredentials)), "{r:?}");
    assert_ne!(phone(&portal, a).await.as_deref(), Some("+34 600 111 666"));
}

async fn a_tampered_token_is_unknown(portal: Portal) {
    let (_, secret, _, token) = phone_request(&portal, EMAIL, "+34 600 111 777").await;
    let mut chars: Vec<char> = token.chars().collect();
    chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    for t in [tampered.as_str(), &token[..42], "", "../../etc/passwd", &format!("{token}x")] {
        assert!(matches!(verification::preview(&portal, t, None).await, Err(Error::Link(LinkProblem::Unknown))), "{t:?}");
        let r = verification::confirm(&portal, t, &code_now(&portal, &secret), None, &meta()).await;
        assert!(matches!(r, Err(Error::Link(LinkProblem::Unknown))), "{t:?}: {r:?}");
    }
    // The real link still works: failures on fakes did not touch it.
    verification::confirm(&portal, &token, &code_now(&portal, &secret), None, &meta()).await.unwrap();
}

async fn a_change_altered_after_its_link_was_sent_is_refused(portal: Portal) {
    let (id, secret, _, token) = phone_request(&portal, EMAIL, "+34 600 111 888").await;
    // Someone holding the keys rewrites the stored value (sealed properly): the payload hash
    // bound to the link catches it. Someone without them can only write something that does
    // not open, which voids the link too.
    let key = domain::vault::customer::key(portal.store.pool(), &portal, id).await.unwrap();
    for forged in [key.seal("pending_changes.new_value", "+1 900 000 0000").unwrap(), "+1 900 000 0000".to_string()] {
        sqlx::query("UPDATE pending_changes SET new_value = $1 WHERE customer_id = $2")
            .bind(&forged)
            .bind(id)
            .execute(portal.store.pool())
            .await
            .unwrap();
        assert!(matches!(verification::preview(&portal, &token, None).await, Err(Error::Link(LinkProblem::Altered))));
        let r = verification::confirm(&portal, &token, &code_now(&portal, &secret), None, &meta()).await;
        assert!(matches!(r, Err(Error::Link(LinkProblem::Altered))), "{r:?}");
    }
    let p = phone(&portal, id).await;
    assert_ne!(p.as_deref(), Some("+1 900 000 0000"));
    assert_ne!(p.as_deref(), Some("+34 600 111 888"));
}

async fn a_totp_step_cannot_confirm_two_changes(portal: Portal) {
    let (id, secret, _, token) = phone_request(&portal, EMAIL, "+34 600 222 111").await;
    let code = code_now(&portal, &secret);
    verification::confirm(&portal, &token, &code, None, &meta()).await.unwrap();
    verification::request_change(&portal, id, Field::FullName, NewValue::Text("Lucía F. Ortega".into()), &meta())
        .await
        .unwrap();
    let second = token_in(&last_mail_to(&portal, EMAIL).await.unwrap().text, "/confirm/").unwrap();
    let r = verification::confirm(&portal, &second, &code, None, &meta()).await;
    assert!(matches!(r, Err(Error::BadCredentials)), "a replayed step is a wrong code: {r:?}");
    portal.clock.advance(30);
    verification::confirm(&portal, &second, &code_now(&portal, &secret), None, &meta()).await.unwrap();
}

async fn five_wrong_codes_cancel_the_change(portal: Portal) {
    let (id, secret, _, token) = phone_request(&portal, EMAIL, "+34 600 222 222").await;
    let good = code_now(&portal, &secret);
    let wrong = if good == "000000" { "111111" } else { "000000" };
    // A typo (too few digits) is named, and not counted as a guess.
    for _ in 0..6 {
        let r = verification::confirm(&portal, &token, "12 34", None, &meta()).await;
        assert!(matches!(r, Err(Error::Invalid { field: "code", problem: Problem::Malformed })), "{r:?}");
    }
    for i in 1..=4 {
        let r = verification::confirm(&portal, &token, wrong, None, &meta()).await;
        assert!(matches!(r, Err(Error::BadCredentials)), "attempt {i}: {r:?}");
    }
    let r = verification::confirm(&portal, &token, "not-a-code", None, &meta()).await;
    assert!(matches!(r, Err(Error::Link(LinkProblem::Cancelled))), "the fifth wrong code cancels: {r:?}");
    let r = verification::confirm(&portal, &token, &good, None, &meta()).await;
    assert!(matches!(r, Err(Error::Link(LinkProblem::Cancelled))), "{r:?}");
    assert_ne!(phone(&portal, id).await.as_deref(), Some("+34 600 222 222"));
}

async fn fifty_concurrent_confirmations_with_one_code_apply_once(portal: Portal) {
    let (id, secret, _, token) = phone_request(&portal, EMAIL, "+34 600 222 333").await;
    let code = code_now(&portal, &secret);
    let outbox_before = outbox::counts(&portal).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (p, t, c) = (portal.clone(), token.clone(), code.clone());
        tasks.push(tokio::spawn(async move { verification::confirm(&p, &t, &c, None, &meta()).await }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(Error::Link(LinkProblem::Used)) | Err(Error::BadCredentials) => {}
            Err(e) => panic!("unexpected outcome: {e:?}"),
        }
    }
    assert_eq!(ok, 1, "exactly one confirmation applies");
    assert_eq!(phone(&portal, id).await.as_deref(), Some("+34 600 222 333"));
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 AND action = 'verification.applied'", id).await, 1);
    let after = outbox::counts(&portal).await.unwrap();
    assert_eq!(after.queued - outbox_before.queued, 1, "one notice");
}

async fn a_recovery_code_confirms_and_is_notified(portal: Portal) {
    let (id, _, codes, token) = phone_request(&portal, EMAIL, "+34 600 222 444").await;
    let done = verification::confirm(&portal, &token, &codes[3].to_uppercase(), None, &meta()).await.unwrap();
    assert!(done.used_recovery_code);
    assert_eq!(phone(&portal, id).await.as_deref(), Some("+34 600 222 444"));
    deliver_to_dev_mailbox(&portal).await;
    let mails = domain::mail::dev_mailbox::list(&portal, 10).await.unwrap();
    assert!(mails.iter().any(|m| m.mail.subject == "A recovery code was used" && m.mail.text.contains("9 codes are left")));
    // The same recovery code does not work twice.
    verification::request_change(&portal, id, Field::Phone, NewValue::Text("+34 600 222 445".into()), &meta()).await.unwrap();
    let next = token_in(&last_mail_to(&portal, EMAIL).await.unwrap().text, "/confirm/").unwrap();
    assert!(matches!(verification::confirm(&portal, &next, &codes[3], None, &meta()).await, Err(Error::BadCredentials)));
}

async fn an_email_change_is_proven_by_the_new_address_and_undone_from_the_old(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, EMAIL).await;
    let id = customer_id(&portal, EMAIL).await;
    let taken = verification::request_change(&portal, id, Field::Email, NewValue::Text(EMAIL.to_uppercase()), &meta()).await;
    assert!(matches!(taken, Err(Error::Invalid { field: "email", problem: Problem::Unchanged })), "{taken:?}");
    customer(&portal, "someone@example.test").await;
    let taken = verification::request_change(&portal, id, Field::Email, NewValue::Text("someone@example.test".into()), &meta()).await;
    assert!(matches!(taken, Err(Error::Invalid { field: "email", problem: Problem::Taken })), "{taken:?}");

    verification::request_change(&portal, id, Field::Email, NewValue::Text(" Lucia.New@Example.TEST".into()), &meta())
        .await
        .unwrap();
    let to_new = last_mail_to(&portal, "lucia.new@example.test").await.expect("the link goes to the new address");
    let token = token_in(&to_new.text, "/confirm/").unwrap();
    portal.clock.advance(30);
    verification::confirm(&portal, &token, &code_now(&portal, &secret), None, &meta()).await.unwrap();
    assert_eq!(person(&portal, id).await.email, "lucia.new@example.test");

    let to_old = last_mail_to(&portal, EMAIL).await.expect("the old address is told");
    assert!(to_old.text.contains("lucia.new@example.test"));
    let revert = token_in(&to_old.text, "/revert-email/").expect("revert link");
    let p = verification::revert_preview(&portal, &revert).await.unwrap();
    assert_eq!(p.old_email, EMAIL);
    portal.clock.advance(6 * 24 * 3600);
    verification::revert_email(&portal, &revert, &meta()).await.unwrap();
    assert_eq!(person(&portal, id).await.email, EMAIL, "restored");
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM sessions WHERE customer_id = $1", id).await, 0, "every session ended");
    assert!(matches!(verification::revert_email(&portal, &revert, &meta()).await, Err(Error::Link(LinkProblem::Used))));
    let restored = last_mail_to(&portal, EMAIL).await.unwrap();
    assert_eq!(restored.subject, "Your email address was restored");
}

async fn a_cancelled_or_replaced_request_stops_its_link(portal: Portal) {
    let (id, secret, _, first) = phone_request(&portal, EMAIL, "+34 600 333 111").await;
    verification::request_change(&portal, id, Field::Phone, NewValue::Text("+34 600 333 222".into()), &meta()).await.unwrap();
    let second = token_in(&last_mail_to(&portal, EMAIL).await.unwrap().text, "/confirm/").unwrap();
    assert!(matches!(verification::preview(&portal, &first, None).await, Err(Error::Link(LinkProblem::Cancelled))));
    let pending = verification::pending_for(portal.store.pool(), &portal, id).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].new_value, "+34 600 333 222");

    let other = customer(&portal, "zoe@example.test").await;
    assert!(matches!(verification::cancel(&portal, other, pending[0].id, "192.0.2.1").await, Err(Error::NotFound)), "only the owner cancels");
    verification::cancel(&portal, id, pending[0].id, "192.0.2.1").await.unwrap();
    let r = verification::confirm(&portal, &second, &code_now(&portal, &secret), None, &meta()).await;
    assert!(matches!(r, Err(Error::Link(LinkProblem::Cancelled))), "{r:?}");
    assert!(verification::pending_for(portal.store.pool(), &portal, id).await.unwrap().is_empty());
}

async fn bad_values_name_their_field_and_store_nothing(portal: Portal) {
    let id = customer(&portal, EMAIL).await;
    let cases: Vec<(Field, NewValue, &str)> = vec![
        (Field::Phone, NewValue::Text("call me".into()), "phone"),
        (Field::FullName, NewValue::Text("".into()), "full_name"),
        (Field::FullName, NewValue::Text("Eve\r\nBcc: x@y.z".into()), "full_name"),
        (Field::Email, NewValue::Text("not-an-email".into()), "email"),
        (Field::PreferredLanguage, NewValue::Text("xx".into()), "preferred_language"),
    ];
    for (field, value, name) in cases {
        match verification::request_change(&portal, id, field, value, &meta()).await {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    // An address id that is not the customer's is not found, whoever owns it.
    let r = verification::request_change(&portal, id, Field::Address(999_999), NewValue::Address(AddressValue::default()), &meta()).await;
    assert!(matches!(r, Err(Error::Invalid { .. }) | Err(Error::NotFound)), "{r:?}");
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM pending_changes WHERE customer_id = $1", id).await, 0);
    assert_eq!(outbox::counts(&portal).await.unwrap(), Default::default());
}

async fn an_address_change_applies_to_that_address_only(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, EMAIL).await;
    let id = customer_id(&portal, EMAIL).await;
    let other = customer(&portal, "zoe@example.test").await;
    let (mine,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM addresses WHERE customer_id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    let (theirs,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM addresses WHERE customer_id = $1").bind(other).fetch_one(portal.store.pool()).await.unwrap();
    let value = AddressValue {
        label: "Home".into(),
        line1: "Calle de Alcalá 42, 3º B".into(),
        line2: String::new(),
        city: "Madrid".into(),
        postal_code: "28014".into(),
        region: "Madrid".into(),
        country: "Spain".into(),
    };
    let r = verification::request_change(&portal, id, Field::Address(theirs), NewValue::Address(value.clone()), &meta()).await;
    assert!(matches!(r, Err(Error::NotFound)), "another customer's address: {r:?}");
    verification::request_change(&portal, id, Field::Address(mine), NewValue::Address(value), &meta()).await.unwrap();
    let token = token_in(&last_mail_to(&portal, EMAIL).await.unwrap().text, "/confirm/").unwrap();
    let p = verification::preview(&portal, &token, Some(id)).await.unwrap();
    assert_eq!(p.new_value, "Calle de Alcalá 42, 3º B, 28014 Madrid, Madrid, Spain");
    portal.clock.advance(30);
    verification::confirm(&portal, &token, &code_now(&portal, &secret), Some(id), &meta()).await.unwrap();
    assert_eq!(address(&portal, mine).await.line1, "Calle de Alcalá 42, 3º B");
    assert_ne!(address(&portal, theirs).await.line1, "Calle de Alcalá 42, 3º B");
}
