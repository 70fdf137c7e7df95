//! Replacing the authenticator app while signed in, on both backends: the password and a present
//! factor (a code or, for a lost phone, a recovery code) open the change; a code from the new
//! app finishes it, swapping the key, replacing the recovery codes and ending every other
//! session in one go, with an audit row, an activity row and a mail. Refusals change nothing.

use domain::error::Problem;
use domain::identity::{self, SignInStep, authenticator_change, take_recovery_codes, totp};
use domain::on_both_backends;
use domain::testing::*;
use domain::{Error, Portal};

on_both_backends!(
    replacing_the_authenticator_swaps_the_key_and_ends_every_other_session,
    a_lost_phone_is_replaced_with_a_recovery_code,
    wrong_proofs_count_toward_the_lock,
);

const EMAIL: &str = "ines@example.test";

fn code(portal: &Portal, secret: &[u8]) -> String {
    totp::code_at(secret, portal.now()).unwrap()
}

async fn new_key(portal: &Portal, s: &identity::Session) -> Vec<u8> {
    let pending = authenticator_change::pending(portal, s).await.unwrap().expect("a change under way");
    assert_eq!(pending.account, EMAIL);
    assert!(pending.otpauth_uri.starts_with("otpauth://totp/"), "{}", pending.otpauth_uri);
    totp::secret_from_base32(&pending.secret_base32).unwrap()
}

/// Whether a sign-in with the password and `factor` gets through.
async fn signs_in_with(portal: &Portal, factor: &str) -> bool {
    let SignInStep::NeedsCode(half) = identity::sign_in(portal, EMAIL, PASSWORD, &meta(), None).await.unwrap() else {
        panic!("an enrolled customer is asked for a code")
    };
    let s = session(portal, &half.token).await.unwrap();
    identity::verify_second_factor(portal, &s, factor, &meta()).await.is_ok()
}

async fn replacing_the_authenticator_swaps_the_key_and_ends_every_other_session(portal: Portal) {
    let (here, old_secret, old_codes) = enrolled(&portal, EMAIL).await;
    let elsewhere = another_session(&portal, EMAIL, &old_secret).await;
    let s = session(&portal, &here).await.unwrap();
    let field_problem = |r: domain::Result<()>| match r {
        Err(Error::Invalid { field, problem }) => (field, problem),
        other => panic!("{other:?}"),
    };
    portal.clock.advance(30);
    let c = code(&portal, &old_secret);
    assert_eq!(field_problem(authenticator_change::start(&portal, &s, "", &c, &meta()).await), ("current_password", Problem::Required));
    assert_eq!(field_problem(authenticator_change::start(&portal, &s, PASSWORD, " ", &meta()).await), ("code", Problem::Required));
    assert_eq!(
        field_problem(authenticator_change::start(&portal, &s, "not my password at all", &c, &meta()).await),
        ("current_password", Problem::Malformed)
    );
    assert!(matches!(authenticator_change::start(&portal, &s, PASSWORD, "000000", &meta()).await, Err(Error::BadCredentials)));
    assert!(authenticator_change::pending(&portal, &s).await.unwrap().is_none(), "refusals open nothing");
    assert!(matches!(authenticator_change::finish(&portal, &s, "123456", &meta()).await, Err(Error::NotFound)), "nothing to finish");

    authenticator_change::start(&portal, &s, PASSWORD, &c, &meta()).await.unwrap();
    let new_secret = new_key(&portal, &s).await;
    assert_ne!(new_secret, old_secret);
    // Until the new app proves itself, the old one is still the one.
    assert!(session(&portal, &elsewhere).await.is_some());
    let other = session(&portal, &elsewhere).await.unwrap();
    assert!(authenticator_change::pending(&portal, &other).await.unwrap().is_none(), "the new key is this session's alone");

    portal.clock.advance(30);
    let (err_field, problem) = match authenticator_change::finish(&portal, &s, "12ab", &meta()).await {
        Err(Error::Invalid { field, problem }) => (field, problem),
        other => panic!("{other:?}"),
    };
    assert_eq!((err_field, problem), ("new_code", Problem::Malformed));
    let from_old_app = code(&portal, &old_secret);
    assert!(matches!(authenticator_change::finish(&portal, &s, &from_old_app, &meta()).await, Err(Error::BadCredentials)));
    assert!(session(&portal, &elsewhere).await.is_some(), "refusals change nothing");

    let ended = authenticator_change::finish(&portal, &s, &code(&portal, &new_secret), &meta()).await.unwrap();
    assert_eq!(ended, 1, "one other session ended");
    assert!(session(&portal, &elsewhere).await.is_none(), "the other session is over");
    let s = session(&portal, &here).await.expect("this one goes on");
    assert!(authenticator_change::pending(&portal, &s).await.unwrap().is_none(), "the change is finished");
    let new_codes = take_recovery_codes(&portal, &s).await.unwrap().expect("new codes, shown once");
    assert_eq!(new_codes.len(), 10);
    assert!(new_codes.iter().all(|c| !old_codes.contains(c)));
    assert!(take_recovery_codes(&portal, &s).await.unwrap().is_none(), "only once");

    portal.clock.advance(30);
    assert!(!signs_in_with(&portal, &code(&portal, &old_secret)).await, "the old app no longer works");
    assert!(!signs_in_with(&portal, &old_codes[0]).await, "nor do the old recovery codes");
    assert!(signs_in_with(&portal, &code(&portal, &new_secret)).await, "the new app does");
    assert!(signs_in_with(&portal, &new_codes[0]).await, "and so do the new codes");

    let mail = peek_outbox(&portal, "authenticator_changed").await.expect("the customer is told");
    assert_eq!((mail.to.as_str(), mail.subject.as_str()), (EMAIL, "Your authenticator app was replaced"));
    let id = customer_id(&portal, EMAIL).await;
    let actions: Vec<String> = domain::audit::for_customer(&portal, id, 50).await.unwrap().into_iter().map(|e| e.action).collect();
    for action in ["identity.authenticator_change_started", "identity.authenticator_changed"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    let (activity,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1 AND kind = 'authenticator_changed'")
            .bind(id)
            .fetch_one(portal.store.pool())
            .await
            .unwrap();
    assert_eq!(activity, 1);
}

async fn a_lost_phone_is_replaced_with_a_recovery_code(portal: Portal) {
    let (_, old_secret, old_codes) = enrolled(&portal, EMAIL).await;
    // The phone is gone: sign in with a recovery code, then replace the app with another.
    let SignInStep::NeedsCode(half) = identity::sign_in(&portal, EMAIL, PASSWORD, &meta(), None).await.unwrap() else { panic!() };
    let half = session(&portal, &half.token).await.unwrap();
    let full = identity::verify_second_factor(&portal, &half, &old_codes[0], &meta()).await.unwrap();
    let s = session(&portal, &full.token).await.unwrap();
    assert!(
        matches!(authenticator_change::start(&portal, &s, PASSWORD, &old_codes[0], &meta()).await, Err(Error::BadCredentials)),
        "a used recovery code stays used"
    );
    authenticator_change::start(&portal, &s, PASSWORD, &old_codes[1], &meta()).await.unwrap();
    let new_secret = new_key(&portal, &s).await;
    portal.clock.advance(30);
    authenticator_change::finish(&portal, &s, &code(&portal, &new_secret), &meta()).await.unwrap();
    portal.clock.advance(30);
    assert!(!signs_in_with(&portal, &code(&portal, &old_secret)).await);
    assert!(!signs_in_with(&portal, &old_codes[2]).await);
    assert!(signs_in_with(&portal, &code(&portal, &new_secret)).await);
}

async fn wrong_proofs_count_toward_the_lock(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, EMAIL).await;
    let s = session(&portal, &here).await.unwrap();
    portal.clock.advance(30);
    let c = code(&portal, &secret);
    let mut last = None;
    for _ in 0..6 {
        last = Some(authenticator_change::start(&portal, &s, "wrong but long enough", &c, &meta()).await);
    }
    assert!(matches!(last, Some(Err(Error::Throttled { .. }))), "{last:?}");
    assert!(
        matches!(authenticator_change::start(&portal, &s, PASSWORD, &c, &meta()).await, Err(Error::Throttled { .. })),
        "locked even with the right proofs"
    );
}
