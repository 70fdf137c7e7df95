//! Session lifetime: idle and absolute expiry, sign-out, on SQLite and PostgreSQL.

use domain::Portal;
use domain::identity;
use domain::on_both_backends;
use domain::testing::*;

on_both_backends!(
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
