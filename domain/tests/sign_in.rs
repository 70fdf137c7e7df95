//! Signing in with password and TOTP, on SQLite and PostgreSQL.

use domain::identity::{self, SignInStep, Stage, totp};
use domain::{Error, Portal};
use domain::on_both_backends;
use domain::testing::*;

on_both_backends!(
    first_sign_in_enrolls_then_asks_for_a_code,
    wrong_password_and_unknown_email_look_the_same,
    wrong_code_is_refused,
    a_code_works_only_once,
    account_locks_after_repeated_failures_and_unlocks_later,
    address_locks_after_failures_across_accounts,
    recovery_code_works_once_in_place_of_the_authenticator,
    recovery_codes_are_shown_once,
    half_session_expires_and_grants_nothing_else,
);

async fn first_sign_in_enrolls_then_asks_for_a_code(portal: Portal) {
    let (token, secret, codes) = enrolled(&portal, "ana@example.test").await;
    assert_eq!(codes.len(), 10);
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM customers").fetch_one(portal.store.pool()).await.unwrap();
    assert!(hash.starts_with("$argon2id$"), "passwords are held as Argon2id hashes only");
    assert_eq!(session(&portal, &token).await.unwrap().stage, Stage::Full);

    identity::sign_out(&portal, &token).await.unwrap();
    let SignInStep::NeedsCode(half) =
        identity::sign_in(&portal, "  Ana@Example.TEST ", PASSWORD, &meta(), None).await.unwrap()
    else {
        panic!("an enrolled customer is asked for a code")
    };
    let half_s = session(&portal, &half.token).await.unwrap();
    assert_eq!(half_s.stage, Stage::NeedsCode);
    portal.clock.advance(30); // the enrollment code's step is spent
    let code = totp::code_at(&secret, portal.now()).unwrap();
    let full = identity::verify_second_factor(&portal, &half_s, &code, &meta()).await.unwrap();
    assert_eq!(session(&portal, &full.token).await.unwrap().stage, Stage::Full);
    assert!(session(&portal, &half.token).await.is_none(), "the half session is replaced");
}

async fn wrong_password_and_unknown_email_look_the_same(portal: Portal) {
    customer(&portal, "bo@example.test").await;
    let wrong = identity::sign_in(&portal, "bo@example.test", "not the password", &meta(), None).await;
    let unknown = identity::sign_in(&portal, "nobody@example.test", PASSWORD, &meta(), None).await;
    assert!(matches!(wrong, Err(Error::BadCredentials)));
    assert!(matches!(unknown, Err(Error::BadCredentials)));
    let empty = identity::sign_in(&portal, "bo@example.test", "", &meta(), None).await;
    assert!(matches!(empty, Err(Error::Invalid { field: "password", .. })));
}

async fn wrong_code_is_refused(portal: Portal) {
    let (token, secret, _) = enrolled(&portal, "cy@example.test").await;
    identity::sign_out(&portal, &token).await.unwrap();
    let SignInStep::NeedsCode(half) =
        identity::sign_in(&portal, "cy@example.test", PASSWORD, &meta(), None).await.unwrap()
    else {
        panic!()
    };
    let s = session(&portal, &half.token).await.unwrap();
    let good = totp::code_at(&secret, portal.now() + 30).unwrap();
    let bad = if good == "000000" { "111111" } else { "000000" };
    let r = identity::verify_second_factor(&portal, &s, bad, &meta()).await;
    assert!(matches!(r, Err(Error::BadCredentials)));
    let old = totp::code_at(&secret, portal.now() - 300).unwrap();
    let r = identity::verify_second_factor(&portal, &s, &old, &meta()).await;
    assert!(matches!(r, Err(Error::BadCredentials)), "codes from minutes ago are stale");
    assert_eq!(session(&portal, &half.token).await.unwrap().stage, Stage::NeedsCode);
}

async fn a_code_works_only_once(portal: Portal) {
    let (token, secret, _) = enrolled(&portal, "di@example.test").await;
    identity::sign_out(&portal, &token).await.unwrap();
    portal.clock.advance(30);
    let code = totp::code_at(&secret, portal.now()).unwrap();

    let half = |p: Portal| async move {
        match identity::sign_in(&p, "di@example.test", PASSWORD, &meta(), None).await.unwrap() {
            SignInStep::NeedsCode(h) => session(&p, &h.token).await.unwrap(),
            _ => panic!(),
        }
    };
    let first = half(portal.clone()).await;
    let second = half(portal.clone()).await;
    identity::verify_second_factor(&portal, &first, &code, &meta()).await.unwrap();
    let replay = identity::verify_second_factor(&portal, &second, &code, &meta()).await;
    assert!(matches!(replay, Err(Error::BadCredentials)), "a replayed code is refused");
}

async fn account_locks_after_repeated_failures_and_unlocks_later(portal: Portal) {
    customer(&portal, "ed@example.test").await;
    for _ in 0..portal.policy.account_failures_before_lock {
        let r = identity::sign_in(&portal, "ed@example.test", "wrong password!", &meta(), None).await;
        assert!(matches!(r, Err(Error::BadCredentials)));
    }
    // Even the right password is refused while locked, from any address.
    let r = identity::sign_in(&portal, "ed@example.test", PASSWORD, &meta_from("198.51.100.7"), None).await;
    let Err(Error::Throttled { retry_after }) = r else { panic!("expected a lock, got {r:?}") };
    assert!(retry_after > 0 && retry_after <= portal.policy.lock_base_secs);

    portal.clock.advance(retry_after + 1);
    let r = identity::sign_in(&portal, "ed@example.test", PASSWORD, &meta(), None).await;
    assert!(matches!(r, Ok(SignInStep::NeedsEnrollment(_))), "unlocked after the wait");
}

async fn address_locks_after_failures_across_accounts(portal: Portal) {
    customer(&portal, "fay@example.test").await;
    let attacker = meta_from("203.0.113.66");
    for i in 0..portal.policy.address_failures_before_lock {
        let email = format!("guess{i}@example.test");
        let r = identity::sign_in(&portal, &email, "whatever password", &attacker, None).await;
        assert!(matches!(r, Err(Error::BadCredentials)));
    }
    let r = identity::sign_in(&portal, "fay@example.test", PASSWORD, &attacker, None).await;
    assert!(matches!(r, Err(Error::Throttled { .. })), "the address is locked");
    let r = identity::sign_in(&portal, "fay@example.test", PASSWORD, &meta(), None).await;
    assert!(r.is_ok(), "other addresses are not affected");
}

async fn recovery_code_works_once_in_place_of_the_authenticator(portal: Portal) {
    let (token, _, codes) = enrolled(&portal, "gil@example.test").await;
    identity::sign_out(&portal, &token).await.unwrap();
    let half = || async {
        match identity::sign_in(&portal, "gil@example.test", PASSWORD, &meta(), None).await.unwrap() {
            SignInStep::NeedsCode(h) => session(&portal, &h.token).await.unwrap(),
            _ => panic!(),
        }
    };
    let s = half().await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    let full = identity::verify_second_factor(&portal, &s, &typed, &meta()).await.unwrap();
    assert_eq!(session(&portal, &full.token).await.unwrap().stage, Stage::Full);
    assert_eq!(identity::recovery::remaining(portal.store.pool(), s.customer_id).await.unwrap(), 9);

    let s = half().await;
    let again = identity::verify_second_factor(&portal, &s, &codes[3], &meta()).await;
    assert!(matches!(again, Err(Error::BadCredentials)));
    let actions: Vec<String> = domain::audit::for_customer(&portal, s.customer_id, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(actions.iter().any(|a| a == "identity.recovery_code_used"), "{actions:?}");
}

async fn recovery_codes_are_shown_once(portal: Portal) {
    let (token, _, codes) = enrolled(&portal, "hu@example.test").await;
    // Held as keyed hashes only: none of the codes is in the database.
    let stored: Vec<(String,)> = sqlx::query_as("SELECT code_hash FROM recovery_codes").fetch_all(portal.store.pool()).await.unwrap();
    assert_eq!(stored.len(), codes.len());
    for (hash,) in &stored {
        assert_eq!(hash.len(), 64);
        assert!(codes.iter().all(|c| !hash.contains(c.as_str()) && !c.contains(hash.as_str())));
    }
    let s = session(&portal, &token).await.unwrap();
    assert!(identity::take_recovery_codes(&portal, &s).await.unwrap().is_none());
}

async fn half_session_expires_and_grants_nothing_else(portal: Portal) {
    customer(&portal, "io@example.test").await;
    let SignInStep::NeedsEnrollment(half) =
        identity::sign_in(&portal, "io@example.test", PASSWORD, &meta(), None).await.unwrap()
    else {
        panic!()
    };
    let s = session(&portal, &half.token).await.unwrap();
    assert!(matches!(identity::take_recovery_codes(&portal, &s).await, Err(Error::Unauthenticated)));
    portal.clock.advance(portal.policy.half_session_secs + 1);
    assert!(session(&portal, &half.token).await.is_none());
}
