//! Staff sign-in, masked look-ups, reveals with reasons, the access log customers read, and the
//! alert on unusual reading; on SQLite and PostgreSQL.

use domain::error::Problem;
use domain::identity::totp;
use domain::on_both_backends;
use domain::staff::{self, Role, access, alerts, customer_sessions, directory};
use domain::testing::*;
use domain::{Error, Portal};

on_both_backends!(
    staff_sign_in_needs_password_and_a_fresh_code,
    staff_sessions_end_after_fifteen_idle_minutes,
    staff_and_customer_sessions_never_mix,
    customers_are_found_by_exact_email_or_reference_only_and_shown_masked,
    a_reveal_needs_a_reason_and_the_customer_sees_it,
    many_reads_in_an_hour_raise_one_alert_for_dpos,
    staff_sign_a_customer_out_everywhere_for_a_reason_the_customer_reads,
);

async fn staff_sign_in_needs_password_and_a_fresh_code(portal: Portal) {
    let made = staff::add(&portal, "Agent@Example.test", Role::Agent, PASSWORD, None).await.unwrap();
    assert!(made.pseudonym.starts_with("staff-") && made.otpauth_uri.starts_with("otpauth://totp/"));
    let secret = secret_from_base32(&made.totp_key);
    let code = totp::code_at(&secret, portal.now()).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for (email, password, code, why) in [
        ("agent@example.test", "wrong password here", code.as_str(), "password"),
        ("agent@example.test", PASSWORD, wrong, "code"),
        ("nobody@example.test", PASSWORD, code.as_str(), "unknown email"),
    ] {
        assert!(matches!(staff::sign_in(&portal, email, password, code, &meta()).await, Err(Error::BadCredentials)), "{why}");
    }
    assert!(matches!(
        staff::sign_in(&portal, "agent@example.test", PASSWORD, "", &meta()).await,
        Err(Error::Invalid { field: "code", problem: Problem::Required })
    ));
    let ok = staff::sign_in(&portal, "agent@example.test", PASSWORD, &code, &meta()).await.unwrap();
    assert!(staff::session::resolve(&portal, &ok.token).await.unwrap().is_some());
    assert!(
        matches!(staff::sign_in(&portal, "agent@example.test", PASSWORD, &code, &meta()).await, Err(Error::BadCredentials)),
        "a code works once"
    );
    assert!(matches!(
        staff::add(&portal, "agent@example.test", Role::Dpo, PASSWORD, None).await,
        Err(Error::Invalid { field: "email", problem: Problem::Taken })
    ));
    staff::account::disable(&portal, "agent@example.test").await.unwrap();
    assert!(staff::session::resolve(&portal, &ok.token).await.unwrap().is_none(), "disabling ends sessions");
    portal.clock.advance(30);
    let code = totp::code_at(&secret, portal.now()).unwrap();
    assert!(matches!(staff::sign_in(&portal, "agent@example.test", PASSWORD, &code, &meta()).await, Err(Error::BadCredentials)));
}

async fn staff_sessions_end_after_fifteen_idle_minutes(portal: Portal) {
    let (token, _, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    portal.clock.advance(14 * 60);
    assert!(staff::session::resolve(&portal, &token).await.unwrap().is_some(), "active within 15 minutes");
    portal.clock.advance(14 * 60);
    assert!(staff::session::resolve(&portal, &token).await.unwrap().is_some(), "each request counts as activity");
    portal.clock.advance(15 * 60 + 1);
    assert!(staff::session::resolve(&portal, &token).await.unwrap().is_none(), "15 idle minutes end it");
}

async fn staff_and_customer_sessions_never_mix(portal: Portal) {
    let (customer_token, _, _) = enrolled(&portal, "ana@example.test").await;
    let (staff_token, _, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    assert!(staff::session::resolve(&portal, &customer_token).await.unwrap().is_none());
    assert!(session(&portal, &staff_token).await.is_none());
}

async fn customers_are_found_by_exact_email_or_reference_only_and_shown_masked(portal: Portal) {
    let id = customer(&portal, "marco.bianchi@example.test").await;
    set_fields(&portal, id, &[("phone", Some("+39 333 123 4567")), ("full_name", Some("Marco Bianchi"))]).await;
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    for partial in ["marco", "marco.bianchi@example", "%@example.test", "C-"] {
        assert!(matches!(directory::find(&portal, &agent, partial, &meta()).await, Err(Error::NotFound)), "{partial}");
    }
    assert!(matches!(
        directory::find(&portal, &agent, "  ", &meta()).await,
        Err(Error::Invalid { field: "query", problem: Problem::Required })
    ));
    let card = directory::find(&portal, &agent, " Marco.Bianchi@Example.test ", &meta()).await.unwrap();
    let by_ref = directory::find(&portal, &agent, &card.public_id.to_lowercase(), &meta()).await.unwrap();
    assert_eq!(by_ref.public_id, card.public_id);
    let shown = format!("{:?}", card.fields);
    for secret in ["marco.bianchi@", "333 123", "Bianchi", "4567"] {
        assert!(!shown.contains(secret), "{secret} leaked in {shown}");
    }
    assert!(shown.contains("m***@example.test") && shown.contains("+39 *** *** **67"), "{shown}");
    let log = access::for_customer(&portal, id, 10).await.unwrap();
    assert_eq!(log.len(), 2, "each opening is a read the customer sees");
    assert!(log.iter().all(|r| r.what == "customer.opened" && r.role == "agent" && r.pseudonym == agent.staff.pseudonym));
}

async fn a_reveal_needs_a_reason_and_the_customer_sees_it(portal: Portal) {
    let id = customer(&portal, "ana@example.test").await;
    let other = customer(&portal, "bo@example.test").await;
    set_fields(&portal, id, &[("phone", Some("+34 611 222 333"))]).await;
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    let card = directory::find(&portal, &agent, "ana@example.test", &meta()).await.unwrap();
    for (reason, problem) in [("", Problem::Required), ("why", Problem::Malformed), (&"x".repeat(301)[..], Problem::TooLong)] {
        assert!(
            matches!(
                directory::reveal(&portal, &agent, &card.public_id, "phone", reason, &meta()).await,
                Err(Error::Invalid { field: "reason", problem: p }) if p == problem
            ),
            "{reason:?}"
        );
    }
    let (other_address,): (i64,) = sqlx::query_as("SELECT id FROM addresses WHERE customer_id = $1 LIMIT 1")
        .bind(other)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert!(
        directory::reveal(&portal, &agent, &card.public_id, &format!("address:{other_address}"), "checking delivery", &meta())
            .await
            .is_err(),
        "another customer's address cannot be revealed through this one"
    );
    let phone = directory::reveal(&portal, &agent, &card.public_id, "phone", "Customer asked us to call back", &meta()).await.unwrap();
    assert_eq!(phone, "+34 611 222 333");
    let other_card = directory::find(&portal, &agent, "bo@example.test", &meta()).await.unwrap();
    assert_eq!(directory::take_revealed(&portal, &agent, &other_card.public_id).await.unwrap(), None, "only for that customer");
    directory::reveal(&portal, &agent, &card.public_id, "phone", "Customer asked us to call back", &meta()).await.unwrap();
    assert_eq!(
        directory::take_revealed(&portal, &agent, &card.public_id).await.unwrap(),
        Some(("phone".to_string(), "+34 611 222 333".to_string()))
    );
    assert_eq!(directory::take_revealed(&portal, &agent, &card.public_id).await.unwrap(), None, "shown once");
    let log = access::for_customer(&portal, id, 10).await.unwrap();
    assert_eq!(log[0].what, "revealed:phone");
    assert_eq!(log[0].reason, "Customer asked us to call back");
    assert_eq!(log[0].pseudonym, agent.staff.pseudonym);
    assert!(access::for_customer(&portal, other, 10).await.unwrap().iter().all(|r| r.what == "customer.opened"));
}

async fn many_reads_in_an_hour_raise_one_alert_for_dpos(portal: Portal) {
    customer(&portal, "ana@example.test").await;
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    let (_, dpo, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    let limit = portal.policy.staff_reads_per_hour_alert;
    for _ in 0..limit {
        directory::find(&portal, &agent, "ana@example.test", &meta()).await.unwrap();
    }
    assert!(alerts::recent(&portal, &dpo.staff).await.unwrap().is_empty(), "at the threshold, no alert");
    for _ in 0..5 {
        directory::find(&portal, &agent, "ana@example.test", &meta()).await.unwrap();
    }
    let raised = alerts::recent(&portal, &dpo.staff).await.unwrap();
    assert_eq!(raised.len(), 1, "one alert per member per hour");
    assert_eq!((raised[0].pseudonym.as_str(), raised[0].reads), (agent.staff.pseudonym.as_str(), limit + 1));
    assert!(matches!(alerts::recent(&portal, &agent.staff).await, Err(Error::Forbidden)), "agents do not see alerts");
    portal.clock.advance(3601);
    directory::find(&portal, &agent, "ana@example.test", &meta()).await.unwrap();
    assert_eq!(alerts::recent(&portal, &dpo.staff).await.unwrap().len(), 1, "an hour later the count starts again");
}

async fn staff_sign_a_customer_out_everywhere_for_a_reason_the_customer_reads(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, "ana@example.test").await;
    let phone = another_session(&portal, "ana@example.test", &secret).await;
    let (bo, _, _) = enrolled(&portal, "bo@example.test").await;
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    let card = directory::find(&portal, &agent, "ana@example.test", &meta()).await.unwrap();
    assert!(matches!(
        customer_sessions::end_all(&portal, &agent, &card.public_id, " ", &meta()).await,
        Err(Error::Invalid { field: "end_reason", problem: Problem::Required })
    ));
    assert!(session(&portal, &here).await.is_some(), "a refusal ends nothing");
    assert!(matches!(customer_sessions::end_all(&portal, &agent, "C-NOSUCHONE0", "Account reported taken over", &meta()).await, Err(Error::NotFound)));

    let ended = customer_sessions::end_all(&portal, &agent, &card.public_id, "Account reported taken over", &meta()).await.unwrap();
    assert_eq!(ended, 2);
    assert!(session(&portal, &here).await.is_none() && session(&portal, &phone).await.is_none(), "every session of hers");
    assert!(session(&portal, &bo).await.is_some(), "and nobody else's");
    let id = customer_id(&portal, "ana@example.test").await;
    let log = access::for_customer(&portal, id, 10).await.unwrap();
    assert_eq!((log[0].what.as_str(), log[0].reason.as_str()), ("sessions.ended", "Account reported taken over"));
    assert_eq!(log[0].pseudonym, agent.staff.pseudonym);
    let actions: Vec<String> = domain::audit::for_customer(&portal, id, 50).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.iter().any(|a| a == "staff.customer_sessions_ended"), "{actions:?}");
    // She signs in again as usual.
    another_session(&portal, "ana@example.test", &secret).await;
}
