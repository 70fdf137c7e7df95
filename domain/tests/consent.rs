//! The consent center: off by default, one step either way, an append-only ledger, and
//! privacy-policy versions that ask again for consents whose purpose was reworded; on both
//! backends.

use std::collections::BTreeMap;

use domain::consent::{self, Choice, Publish, State, ledger, policy};
use domain::error::Problem;
use domain::on_both_backends;
use domain::staff::Role;
use domain::testing::*;
use domain::{Error, Lang, Portal};

on_both_backends!(
    every_purpose_is_off_until_given_and_each_change_is_one_receipt,
    the_ledger_refuses_updates_and_deletes_while_the_account_exists,
    rewording_a_purpose_asks_for_its_consent_again_and_a_material_change_is_mailed,
    quick_repeated_presses_record_one_receipt,
);

const IP: &str = "192.0.2.1";

fn state(overview: &[consent::PurposeState], key: &str) -> State {
    overview.iter().find(|p| p.purpose.key == key).unwrap_or_else(|| panic!("purpose {key}")).state
}

async fn every_purpose_is_off_until_given_and_each_change_is_one_receipt(portal: Portal) {
    let id = customer(&portal, "ana@example.test").await;
    let overview = ledger::overview(&portal, id, Lang::Es).await.unwrap();
    let keys: Vec<&str> = overview.iter().map(|p| p.purpose.key.as_str()).collect();
    assert_eq!(keys, ["marketing_mail", "personalisation", "analytics", "partner_sharing"]);
    assert!(overview.iter().all(|p| p.state == State::Off), "privacy by default");
    assert_eq!(overview[0].purpose.title, "Correos de marketing", "texts in the customer's language");
    assert!(overview[3].purpose.recipients.iter().any(|r| r.name == "Northwind Travel GmbH"));

    let given = ledger::set(&portal, id, "marketing_mail", Choice::Give, IP).await.unwrap().expect("a receipt");
    assert_eq!(given.action, "given");
    assert_eq!((given.policy_version, given.purpose_version, given.channel.as_str()), (1, 1, "portal"));
    assert!(given.receipt_id.starts_with("CR-") && given.receipt_id.len() == 19);
    assert!(matches!(state(&ledger::overview(&portal, id, Lang::En).await.unwrap(), "marketing_mail"), State::On { .. }));
    assert!(ledger::is_given(&portal, id, "marketing_mail").await.unwrap());
    assert!(ledger::set(&portal, id, "marketing_mail", Choice::Give, IP).await.unwrap().is_none(), "already given");

    portal.clock.advance(60);
    let withdrawn = ledger::set(&portal, id, "marketing_mail", Choice::Withdraw, IP).await.unwrap().expect("a receipt");
    assert_eq!(withdrawn.action, "withdrawn");
    assert!(!ledger::is_given(&portal, id, "marketing_mail").await.unwrap(), "withdrawal takes effect at once");
    assert!(ledger::set(&portal, id, "marketing_mail", Choice::Withdraw, IP).await.unwrap().is_none());
    assert!(ledger::set(&portal, id, "analytics", Choice::Withdraw, IP).await.unwrap().is_none(), "nothing to withdraw");
    assert!(matches!(ledger::set(&portal, id, "lottery", Choice::Give, IP).await, Err(Error::NotFound)));

    let history = ledger::history(&portal, id).await.unwrap();
    assert_eq!(history, vec![withdrawn, given], "newest first, one receipt per change");
    let other = customer(&portal, "ben@example.test").await;
    assert!(ledger::history(&portal, other).await.unwrap().is_empty(), "receipts are per customer");

    let audited: Vec<(String,)> = sqlx::query_as("SELECT action FROM audit_log WHERE customer_id = $1 AND action LIKE 'consent.%' ORDER BY id")
        .bind(id)
        .fetch_all(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(audited, vec![("consent.given".to_string(),), ("consent.withdrawn".to_string(),)]);
}

async fn the_ledger_refuses_updates_and_deletes_while_the_account_exists(portal: Portal) {
    let id = customer(&portal, "carla@example.test").await;
    ledger::set(&portal, id, "analytics", Choice::Give, IP).await.unwrap();
    let pool = portal.store.pool();
    for statement in [
        "UPDATE consent_receipts SET action = 'withdrawn' WHERE customer_id = $1",
        "UPDATE consent_receipts SET at = at - 86400 WHERE customer_id = $1",
        "DELETE FROM consent_receipts WHERE customer_id = $1",
    ] {
        let refused = sqlx::query(statement).bind(id).execute(pool).await;
        assert!(refused.is_err(), "{statement} must be refused");
    }
    let history = ledger::history(&portal, id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "given");
    // Once the account itself is gone (erasure), its receipts may go too.
    sqlx::query("DELETE FROM customers WHERE id = $1").bind(id).execute(pool).await.unwrap();
    sqlx::query("DELETE FROM consent_receipts WHERE customer_id = $1").bind(id).execute(pool).await.unwrap();
}

fn publish_input(material: bool) -> Publish {
    let mut summaries = BTreeMap::new();
    summaries.insert(Lang::En, "We now use a new analytics provider based in Estonia.".to_string());
    summaries.insert(Lang::Es, "Ahora usamos un nuevo proveedor de analítica con sede en Estonia.".to_string());
    summaries.insert(Lang::It, "Ora usiamo un nuovo fornitore di analisi con sede in Estonia.".to_string());
    Publish { summaries, material, descriptions: BTreeMap::new() }
}

async fn rewording_a_purpose_asks_for_its_consent_again_and_a_material_change_is_mailed(portal: Portal) {
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    let (_, dpo, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    let id = customer(&portal, "dario@example.test").await;
    sqlx::query("UPDATE customers SET preferred_language = 'it' WHERE id = $1").bind(id).execute(portal.store.pool()).await.unwrap();
    ledger::set(&portal, id, "analytics", Choice::Give, IP).await.unwrap();
    ledger::set(&portal, id, "marketing_mail", Choice::Give, IP).await.unwrap();
    assert!(policy::unseen(portal.store.pool(), id, Lang::It).await.unwrap().is_empty(), "version 1 is no news");
    portal.clock.advance(3600);

    assert!(matches!(policy::publish(&portal, &agent, &publish_input(true), IP).await, Err(Error::Forbidden)));
    let mut missing = publish_input(true);
    missing.summaries.remove(&Lang::Es);
    match policy::publish(&portal, &dpo, &missing, IP).await {
        Err(Error::Invalid { field, problem }) => assert_eq!((field, problem), ("summary_es", Problem::Required)),
        other => panic!("{other:?}"),
    }

    // The form sends every description; only the one that differs counts as reworded.
    let texts = consent::purposes::all_texts(&portal).await.unwrap();
    let mut input = publish_input(true);
    for (key, by_lang) in &texts {
        let mut sent = BTreeMap::new();
        for lang in Lang::ALL {
            sent.insert(lang, by_lang[lang.code()].description.clone());
        }
        if key == "analytics" {
            sent.insert(Lang::En, "Measuring how you use our site and app, linked to your account, with our new provider.".into());
        }
        input.descriptions.insert(key.clone(), sent);
    }
    let version = policy::publish(&portal, &dpo, &input, IP).await.unwrap();
    assert_eq!(version, 2);

    let overview = ledger::overview(&portal, id, Lang::En).await.unwrap();
    assert!(matches!(state(&overview, "analytics"), State::AskedAgain { .. }), "reworded: asked again");
    assert!(matches!(state(&overview, "marketing_mail"), State::On { .. }), "unchanged wording stays given");
    assert!(!ledger::is_given(&portal, id, "analytics").await.unwrap());
    let analytics = overview.iter().find(|p| p.purpose.key == "analytics").unwrap();
    assert_eq!(analytics.purpose.version, 2);
    assert!(analytics.purpose.description.contains("new provider"));

    // The consent page reads all of this on one connection and must tell the same story.
    let center = consent::center::read(&mut portal.store.reader().await.unwrap(), id, Lang::En).await.unwrap();
    let states = |o: &[consent::PurposeState]| o.iter().map(|p| (p.purpose.key.clone(), p.purpose.version, p.state)).collect::<Vec<_>>();
    assert_eq!(states(&center.purposes), states(&overview));
    assert_eq!(center.history, ledger::history(&portal, id).await.unwrap());
    assert_eq!(center.unseen.iter().map(|v| v.version).collect::<Vec<_>>(), [2]);
    assert_eq!(center.policy_version, 2);

    let unseen = policy::unseen(portal.store.pool(), id, Lang::It).await.unwrap();
    assert_eq!(unseen.len(), 1);
    assert_eq!(unseen[0].version, 2);
    assert!(unseen[0].summary.starts_with("Ora usiamo"));
    assert_eq!(unseen[0].reworded, vec!["analytics"]);
    policy::acknowledge(&portal, id, 2).await.unwrap();
    assert!(policy::unseen(portal.store.pool(), id, Lang::It).await.unwrap().is_empty());
    assert!(matches!(policy::acknowledge(&portal, id, 9).await, Err(Error::NotFound)));

    let mail = peek_outbox(&portal, "policy_changed").await.expect("a policy mail");
    assert!(mail.text.contains("Ora usiamo un nuovo fornitore"), "{}", mail.text);
    assert!(mail.text.contains("Analisi di utilizzo"), "names the purpose asked again: {}", mail.text);
    let (mailed,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE kind = 'policy_changed'").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(mailed, 1, "every customer, once");

    let again = ledger::set(&portal, id, "analytics", Choice::Give, IP).await.unwrap().unwrap();
    assert_eq!((again.purpose_version, again.policy_version), (2, 2));
    assert!(ledger::is_given(&portal, id, "analytics").await.unwrap());

    // A non-material version is shown on the next visit but not mailed.
    portal.clock.advance(3600);
    policy::publish(&portal, &dpo, &publish_input(false), IP).await.unwrap();
    let (mailed,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE kind = 'policy_changed'").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(mailed, 1);
    assert_eq!(policy::unseen(portal.store.pool(), id, Lang::En).await.unwrap().len(), 1);
    assert_eq!(policy::list(&portal, Lang::En).await.unwrap().len(), 3);
}

async fn quick_repeated_presses_record_one_receipt(portal: Portal) {
    let id = customer(&portal, "eva@example.test").await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let portal = portal.clone();
        tasks.push(tokio::spawn(async move { ledger::set(&portal, id, "personalisation", Choice::Give, IP).await }));
    }
    let mut receipts = 0;
    for t in tasks {
        if t.await.unwrap().unwrap().is_some() {
            receipts += 1;
        }
    }
    assert_eq!(receipts, 1);
    assert_eq!(ledger::history(&portal, id).await.unwrap().len(), 1);
}
