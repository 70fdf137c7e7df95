//! Breaches: recorded by DPOs, the 72-hour clock, the Article 33 draft, and notices to the
//! customers whose data of the affected categories falls in the time range; on both backends.

use domain::error::Problem;
use domain::incidents::{self, NewIncident, draft, notify};
use domain::on_both_backends;
use domain::staff::Role;
use domain::testing::*;
use domain::{Error, Portal};

on_both_backends!(
    only_dpos_record_incidents_and_bad_input_names_its_field,
    the_authority_clock_runs_72_hours_from_discovery,
    affected_customers_are_those_with_data_in_the_range_and_are_told_once,
);

fn breach(portal: &Portal) -> NewIncident {
    NewIncident {
        discovered_at: portal.now() - 3600,
        what_happened: "A courier's tracking page showed other customers' delivery addresses.".into(),
        categories: vec!["orders".into(), "addresses".into()],
        approx_affected: 120,
        consequences: "Someone could learn where a customer lives.".into(),
        measures: "The page was taken down and the courier's access revoked.".into(),
    }
}

async fn only_dpos_record_incidents_and_bad_input_names_its_field(portal: Portal) {
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    let (_, dpo, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    assert!(matches!(incidents::record(&portal, &agent, &breach(&portal), "192.0.2.1").await, Err(Error::Forbidden)));
    assert!(matches!(incidents::list(&portal, &agent).await, Err(Error::Forbidden)));
    let mut future = breach(&portal);
    future.discovered_at = portal.now() + 86_400;
    let mut unknown = breach(&portal);
    unknown.categories = vec!["passwords".into()];
    let mut none = breach(&portal);
    none.categories.clear();
    let mut vague = breach(&portal);
    vague.measures = "none".into();
    for (bad, field) in [(future, "discovered_at"), (unknown, "categories"), (none, "categories"), (vague, "measures")] {
        match incidents::record(&portal, &dpo, &bad, "192.0.2.1").await {
            Err(Error::Invalid { field: f, problem }) => {
                assert_eq!(f, field);
                assert_ne!(problem, Problem::Unchanged);
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    let id = incidents::record(&portal, &dpo, &breach(&portal), "192.0.2.1").await.unwrap();
    let listed = incidents::list(&portal, &dpo).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].categories, vec!["addresses", "orders"]);
    assert_eq!(listed[0].recorded_by, dpo.staff.pseudonym);
}

async fn the_authority_clock_runs_72_hours_from_discovery(portal: Portal) {
    let (_, dpo, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    let new = breach(&portal);
    let id = incidents::record(&portal, &dpo, &new, "192.0.2.1").await.unwrap();
    let i = incidents::get(&portal, &dpo, id).await.unwrap();
    assert_eq!(i.authority_deadline, new.discovered_at + 72 * 3600);
    // Read at a fixed hour after discovery, not at the wall clock, which may have ticked since.
    assert_eq!(i.seconds_left(new.discovered_at + 3600), Some(71 * 3600));
    let sections = draft::article_33(&i, portal.now(), "dpo@company.example");
    let titles: Vec<&str> = sections.iter().map(|(t, _)| *t).collect();
    for required in ["Nature of the breach", "Categories of personal data concerned", "Approximate number of data subjects concerned",
        "Contact point (data protection officer)", "Likely consequences", "Measures taken or proposed, including to mitigate adverse effects"] {
        assert!(titles.contains(&required), "{required}");
    }
    assert!(!titles.iter().any(|t| t.starts_with("Reasons for the delay")), "not late yet");
    portal.clock.advance(72 * 3600);
    let late = incidents::get(&portal, &dpo, id).await.unwrap();
    assert!(late.seconds_left(portal.now()).unwrap() < 0);
    assert!(draft::article_33(&late, portal.now(), "dpo").iter().any(|(t, _)| t.starts_with("Reasons for the delay")));
    incidents::authority_notified(&portal, &dpo, id, "192.0.2.1").await.unwrap();
    assert_eq!(incidents::get(&portal, &dpo, id).await.unwrap().seconds_left(portal.now()), None, "the clock stops once told");
    assert!(matches!(incidents::authority_notified(&portal, &dpo, id, "192.0.2.1").await, Err(Error::NotFound)), "once");
}

async fn affected_customers_are_those_with_data_in_the_range_and_are_told_once(portal: Portal) {
    let a = customer(&portal, "a@example.test").await;
    let b = customer(&portal, "b@example.test").await;
    let c = customer(&portal, "c@example.test").await;
    // Orders in June 2019 for A and B only.
    let june = 1_560_000_000; // 2019-06-08
    for (who, at) in [(a, june), (b, june + 86_400), (c, june - 365 * 86_400)] {
        sqlx::query("INSERT INTO orders (customer_id, order_number, placed_at, status, total_cents, currency, items_summary) VALUES ($1, 'X-1', $2, 'delivered', 1000, 'EUR', 'Lamp')")
            .bind(who)
            .bind(at)
            .execute(portal.store.pool())
            .await
            .unwrap();
    }
    let (_, dpo, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    let mut new = breach(&portal);
    new.categories = vec!["orders".into()];
    let id = incidents::record(&portal, &dpo, &new, "192.0.2.1").await.unwrap();
    let (from, to) = (june - 7 * 86_400, june + 30 * 86_400);
    assert!(matches!(notify::preview(&portal, &dpo, id, to, from).await, Err(Error::Invalid { field: "to", .. })));
    assert_eq!(notify::preview(&portal, &dpo, id, from, to).await.unwrap(), 2);
    assert!(notify::banners(portal.store.pool(), a).await.unwrap().is_empty(), "a preview tells no one");
    assert_eq!(notify::notify(&portal, &dpo, id, from, to, "192.0.2.1").await.unwrap(), 2);
    assert_eq!(notify::notify(&portal, &dpo, id, from, to, "192.0.2.1").await.unwrap(), 0, "told once");
    for who in ["a@example.test", "b@example.test"] {
        let mail = last_mail_to(&portal, who).await.expect("notice mail");
        assert!(mail.subject.contains("security incident"));
        assert!(mail.text.contains("courier's tracking page") && mail.text.contains("access revoked") && mail.text.contains("where a customer lives"));
    }
    assert!(last_mail_to(&portal, "c@example.test").await.is_none_or(|m| !m.subject.contains("security incident")));
    let banners = notify::banners(portal.store.pool(), a).await.unwrap();
    assert_eq!(banners.len(), 1);
    assert!(notify::banners(portal.store.pool(), c).await.unwrap().is_empty());
    assert!(matches!(notify::acknowledge(&portal, b, banners[0].notice_id, "192.0.2.1").await, Err(Error::NotFound)), "not B's notice");
    notify::acknowledge(&portal, a, banners[0].notice_id, "192.0.2.1").await.unwrap();
    assert!(notify::banners(portal.store.pool(), a).await.unwrap().is_empty(), "acknowledged: the banner goes");
    assert_eq!(notify::banners(portal.store.pool(), b).await.unwrap().len(), 1);
    assert_eq!(incidents::get(&portal, &dpo, id).await.unwrap().customers_notified, 2);
    let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'incidents.%'").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(audited, 1 + 2 + 2 + 1, "recorded, two customers told, two notify runs, one acknowledgement");
}
