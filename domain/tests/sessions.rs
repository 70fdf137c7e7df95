//! Session lifetime: idle and absolute expiry, sign-out, on SQLite and PostgreSQL.

use domain::Portal;
use domain::identity;
use domain::on_both_backends;
use domain::testing::*;

on_both_backends!(
    ending_other_sessions_needs_a_factor_proved_in_the_last_15_minutes,
    idle_session_expires,
    activity_keeps_a_session_alive_until_its_absolute_end,
    sign_out_ends_the_session_on_the_server,
    a_forged_token_resolves_to_nothing,
);

async fn idle_session_expires(portal: Portal) {
    let (token, _, _) = enrolled(&portal, "ja@example.test").await;
    portal.clock.advance(portal.policy.session_idle_secs - 60);
    assert!(session(&portal, &token).await.is_some(), "still inside the idle window");
    portal.clock.advance(portal.policy.session_idle_secs + 1);
    assert!(session(&portal, &token).await.is_none(), "idle too long");
}

async fn activity_keeps_a_session_alive_until_its_absolute_end(portal: Portal) {
    let (token, _, _) = enrolled(&portal, "ka@example.test").await;
    let step = portal.policy.session_idle_secs / 2;
    let mut elapsed = 0;
    while elapsed + step < portal.policy.session_absolute_secs {
        portal.clock.advance(step);
        elapsed += step;
        assert!(session(&portal, &token).await.is_some(), "active at {elapsed}s");
    }
    portal.clock.advance(portal.policy.session_absolute_secs - elapsed + 1);
    assert!(session(&portal, &token).await.is_none(), "past the absolute limit");
}

async fn sign_out_ends_the_session_on_the_server(portal: Portal) {
    let (token, _, _) = enrolled(&portal, "lu@example.test").await;
    identity::sign_out(&portal, &token).await.unwrap();
    assert!(session(&portal, &token).await.is_none());
    identity::sign_out(&portal, &token).await.unwrap(); // twice is harmless
}

async fn a_forged_token_resolves_to_nothing(portal: Portal) {
    enrolled(&portal, "mo@example.test").await;
    for forged in ["", "x", &domain::keys::random_token(), "' OR 1=1 --"] {
        assert!(session(&portal, forged).await.is_none());
    }
}

async fn ending_other_sessions_needs_a_factor_proved_in_the_last_15_minutes(portal: Portal) {
    use domain::error::Problem;
    use domain::identity::{devices, reauth, totp};
    use domain::Error;

    let (here, secret, _) = enrolled(&portal, "a@example.test").await;
    let phone = another_session(&portal, "a@example.test", &secret).await;
    // Within 15 minutes of signing in, no further proof is asked for... (checked, not used)
    assert!(reauth::is_recent(&portal, &session(&portal, &here).await.unwrap()));
    // ...but a session signed in 20 minutes ago (kept alive by use) must prove a factor again.
    for _ in 0..4 {
        portal.clock.advance(5 * 60);
        session(&portal, &here).await.unwrap();
    }
    let s = session(&portal, &here).await.unwrap();
    let handle = |token: &str| domain::keys::token_hash(token)[..16].to_string();
    let refused = |r: domain::Result<u64>| matches!(r, Err(Error::Invalid { field: "reauth", problem: Problem::Required }));
    assert!(refused(devices::end_others(&portal, &s, "192.0.2.10").await));
    assert!(refused(devices::end(&portal, &s, &handle(&phone), "192.0.2.10").await.map(|_| 0)));
    assert!(session(&portal, &phone).await.is_some(), "nothing ended");

    // A wrong code is refused and counted; a right one makes the session recent and is used up.
    assert!(matches!(reauth::confirm(&portal, &s, "000000", &meta()).await, Err(Error::BadCredentials)));
    portal.clock.advance(30);
    let code = totp::code_at(&secret, portal.now()).unwrap();
    let recent = reauth::confirm(&portal, &s, &code, &meta()).await.unwrap();
    assert!(matches!(reauth::confirm(&portal, &s, &code, &meta()).await, Err(Error::BadCredentials)), "once");
    assert_eq!(devices::end_others(&portal, &recent, "192.0.2.10").await.unwrap(), 1);
    assert!(session(&portal, &phone).await.is_none());
    // The proof is kept on the session: a later request within the window needs none.
    portal.clock.advance(10 * 60);
    let again = session(&portal, &here).await.unwrap();
    assert!(reauth::is_recent(&portal, &again));
    // Signing this browser out never needs one.
    portal.clock.advance(10 * 60);
    let late = session(&portal, &here).await.unwrap();
    assert!(!reauth::is_recent(&portal, &late));
    devices::end(&portal, &late, &handle(&here), "192.0.2.10").await.unwrap();
    assert!(session(&portal, &here).await.is_none());
}
