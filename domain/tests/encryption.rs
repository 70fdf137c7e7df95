//! Encryption at rest on both backends: every personal field sealed under the customer's own
//! key, found by email only through a keyed hash; erasure destroys the key; a master key
//! rotation re-wraps every key while the portal keeps serving, after which the old master
//! opens nothing and the new one alone opens everything.

use domain::identity::{self, SignInStep};
use domain::on_both_backends;
use domain::testing::*;
use domain::vault::{self, MasterKey, MasterKeys};
use domain::verification::{Field, NewValue};
use domain::{Clock, Error, Keys, Lang, Policy, Portal};

on_both_backends!(
    personal_fields_are_sealed_at_rest_and_read_back_in_full,
    a_pending_change_and_an_email_revert_are_sealed_too,
    sign_in_and_look_ups_find_the_email_by_its_keyed_hash_only,
    erasure_destroys_the_customers_key,
    rotation_rewraps_every_key_while_the_portal_serves,
);

const EMAIL: &str = "ana.garcia@example.test";

/// Every text value in the database, as (table.column, value).
async fn every_text_value(portal: &Portal) -> Vec<(String, String)> {
    let mut values = Vec::new();
    for (table, column) in text_columns(portal).await {
        let rows: Vec<(Option<String>,)> =
            sqlx::query_as(&format!("SELECT CAST({column} AS TEXT) FROM {table}")).fetch_all(portal.store.pool()).await.unwrap();
        values.extend(rows.into_iter().filter_map(|(v,)| v).map(|v| (format!("{table}.{column}"), v)));
    }
    values
}

async fn personal_fields_are_sealed_at_rest_and_read_back_in_full(portal: Portal) {
    let id = customer(&portal, EMAIL).await;
    set_fields(&portal, id, &[("full_name", Some("Ana García Ruiz")), ("phone", Some("+34 611 222 333")), ("date_of_birth", Some("1988-02-29"))])
        .await;
    let p = person(&portal, id).await;
    assert_eq!((p.email.as_str(), p.full_name.as_str(), p.phone.as_deref()), (EMAIL, "Ana García Ruiz", Some("+34 611 222 333")));
    let addresses = vault::customer::addresses(portal.store.pool(), &portal, id, None).await.unwrap();
    assert!(!addresses.is_empty());
    let line1 = addresses[0].value.line1.clone();
    let postal = addresses[0].value.postal_code.clone();

    // My data shows everything in full.
    let mine = domain::profile::my_data(&portal, id, Lang::En, 0).await.unwrap();
    assert_eq!(mine.full_name, "Ana García Ruiz");

    // At rest: none of these values anywhere in the database, in any table.
    let secrets = [EMAIL, "Ana García Ruiz", "García", "+34 611 222 333", "1988-02-29", line1.as_str(), postal.as_str()];
    for (column, value) in every_text_value(&portal).await {
        for s in secrets {
            assert!(!value.contains(s), "{column} holds {s:?} in the clear: {value:?}");
        }
    }
    let (email, lookup, name): (String, String, String) =
        sqlx::query_as("SELECT email, email_lookup, full_name FROM customers WHERE id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    assert!(email.starts_with("s1.") && name.starts_with("s1."), "sealed form");
    assert_eq!(lookup.len(), 64, "a keyed hash, hex");
    // The same value sealed twice differs (fresh nonce), so equal values cannot be spotted.
    let other = customer(&portal, "bo@example.test").await;
    set_fields(&portal, other, &[("full_name", Some("Ana García Ruiz"))]).await;
    let (other_name,): (String,) =
        sqlx::query_as("SELECT full_name FROM customers WHERE id = $1").bind(other).fetch_one(portal.store.pool()).await.unwrap();
    assert_ne!(other_name, name);
    // A sealed value moved to another customer's row does not open there.
    sqlx::query("UPDATE customers SET full_name = $1 WHERE id = $2").bind(&name).bind(other).execute(portal.store.pool()).await.unwrap();
    assert!(matches!(vault::customer::person(portal.store.pool(), &portal, other).await, Err(Error::Crypto(_))));
}

async fn a_pending_change_and_an_email_revert_are_sealed_too(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, EMAIL).await;
    let id = customer_id(&portal, EMAIL).await;
    domain::verification::request_change(&portal, id, Field::Phone, NewValue::Text("+34 699 888 777".into()), &meta())
        .await
        .unwrap();
    let (stored,): (String,) =
        sqlx::query_as("SELECT new_value FROM pending_changes WHERE customer_id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    assert!(stored.starts_with("s1.") && !stored.contains("699"), "{stored}");
    let pending = domain::verification::pending_for(portal.store.pool(), &portal, id).await.unwrap();
    assert_eq!(pending[0].new_value, "+34 699 888 777", "shown in full to its owner");

    // An email change leaves a way back for the old address; both addresses are sealed.
    domain::verification::request_change(&portal, id, Field::Email, NewValue::Text("ana.new@example.test".into()), &meta())
        .await
        .unwrap();
    let token = token_in(&last_mail_to(&portal, "ana.new@example.test").await.unwrap().text, "/confirm/").unwrap();
    portal.clock.advance(30);
    let code = identity::totp::code_at(&secret, portal.now()).unwrap();
    domain::verification::confirm(&portal, &token, &code, Some(id), &meta()).await.unwrap();
    let (old, new): (String, String) =
        sqlx::query_as("SELECT old_email, new_email FROM email_reverts WHERE customer_id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    assert!(old.starts_with("s1.") && new.starts_with("s1.") && !old.contains("example"), "{old} {new}");
    let revert = token_in(&last_mail_to(&portal, EMAIL).await.unwrap().text, "/revert-email/").unwrap();
    let preview = domain::verification::revert_preview(&portal, &revert).await.unwrap();
    assert_eq!((preview.old_email.as_str(), preview.new_email.as_str()), (EMAIL, "ana.new@example.test"));
}

async fn sign_in_and_look_ups_find_the_email_by_its_keyed_hash_only(portal: Portal) {
    enrolled(&portal, EMAIL).await;
    let id = customer_id(&portal, EMAIL).await;
    let (found,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM customers WHERE email = $1 OR lower(email) = $1")
        .bind(EMAIL)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(found, 0, "the address itself is not searchable");
    let step = identity::sign_in(&portal, "  Ana.Garcia@EXAMPLE.test ", PASSWORD, &meta(), None).await.unwrap();
    assert!(matches!(step, SignInStep::NeedsCode(_)), "found by its keyed hash, any case");
    assert_eq!(vault::customer::id_by_email(portal.store.pool(), &portal, "ANA.GARCIA@example.test").await.unwrap(), Some(id));
    // Another portal key (another installation) computes other hashes: a stolen hash list
    // cannot be matched against a list of addresses without this installation's keys.
    let elsewhere = TestDb::new(portal.store.backend()).await.unwrap();
    assert_ne!(elsewhere.portal.keys.email_lookup(EMAIL), portal.keys.email_lookup(EMAIL));
    elsewhere.finish().await;
    // One account per address still holds.
    let again = domain::import::run(
        &portal,
        &domain::import::ImportFile { catalogue: None, customers: vec![domain::demo::customer("ANA.garcia@example.test", portal.now())] },
    )
    .await;
    assert!(matches!(again, Err(Error::Invalid { field: "email", .. })), "{again:?}");
}

async fn erasure_destroys_the_customers_key(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, EMAIL).await;
    let id = customer_id(&portal, EMAIL).await;
    let bystander = customer(&portal, "bo@example.test").await;
    // What a backup of the data tables would hold.
    let (sealed_name,): (String,) =
        sqlx::query_as("SELECT full_name FROM customers WHERE id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    assert!(vault::customer::key(portal.store.pool(), &portal, id).await.unwrap().open("customers.full_name", &sealed_name).is_ok());

    domain::erasure::request(&portal, id, &meta()).await.unwrap();
    let token = token_in(&peek_outbox(&portal, "confirm_change").await.unwrap().text, "/confirm/").unwrap();
    portal.clock.advance(30);
    let code = identity::totp::code_at(&secret, portal.now()).unwrap();
    domain::verification::confirm(&portal, &token, &code, Some(id), &meta()).await.unwrap();
    portal.clock.advance(15 * 86_400);
    assert_eq!(domain::erasure::job::run_due(&portal).await.unwrap(), 1);

    let (keys,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM customer_keys WHERE customer_id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(keys, 0, "the key is gone");
    assert!(matches!(vault::customer::key(portal.store.pool(), &portal, id).await, Err(Error::NotFound)));
    // No key left in the database opens the backed-up value.
    let remaining: Vec<(i64,)> = sqlx::query_as("SELECT customer_id FROM customer_keys").fetch_all(portal.store.pool()).await.unwrap();
    assert!(!remaining.is_empty());
    for (other,) in remaining {
        let key = vault::customer::key(portal.store.pool(), &portal, other).await.unwrap();
        assert!(key.open("customers.full_name", &sealed_name).is_err());
    }
    assert_eq!(person(&portal, bystander).await.email, "bo@example.test", "others are untouched");
}

/// A portal on the same database holding these master keys, as an instance started with them.
async fn instance(portal: &Portal, current: &MasterKey, previous: Option<&MasterKey>) -> domain::Result<Portal> {
    let keys = Keys::load(&portal.store, MasterKeys::new(current.clone(), previous.cloned())).await?;
    Ok(Portal::new(portal.store.clone(), Clock::system(), keys, Policy::default()))
}

async fn rotation_rewraps_every_key_while_the_portal_serves(portal: Portal) {
    let old = MasterKey::from_base64(&test_master_key_base64()).unwrap();
    let new = MasterKey::from_base64(&MasterKey::generate_base64()).unwrap();
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(customer(&portal, &format!("c{n}@example.test")).await);
    }
    let before = vault::rotation::status(&portal).await.unwrap();
    assert_eq!(before.by_master, vec![(old.id().to_string(), 4)], "three customers and the portal key");

    // Instances restarted with the new key and the previous one keep serving during the rotation.
    let serving = instance(&portal, &new, Some(&old)).await.unwrap();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (serving, ids) = (serving.clone(), ids.clone());
            tokio::spawn(async move {
                for round in 0..40 {
                    for id in &ids {
                        let p = vault::customer::existing_person(serving.store.pool(), &serving, *id).await;
                        assert!(p.is_ok(), "round {round}: {p:?}");
                    }
                }
            })
        })
        .collect();
    let rewrapped = vault::rotation::rotate(&serving).await.unwrap();
    for r in readers {
        r.await.unwrap();
    }
    assert_eq!(rewrapped, 4);
    let after = vault::rotation::status(&serving).await.unwrap();
    assert_eq!(after.by_master, vec![(new.id().to_string(), 4)], "nothing left under the old key");
    assert_eq!(vault::rotation::rotate(&serving).await.unwrap(), 0, "running it again finds nothing to do");

    // The new key alone opens everything, and sign-in finds the same emails (the keyed hashes
    // derive from the portal key, which did not change).
    let new_only = instance(&portal, &new, None).await.unwrap();
    for (n, id) in ids.iter().enumerate() {
        assert_eq!(person(&new_only, *id).await.email, format!("c{n}@example.test"));
        assert_eq!(customer_id(&new_only, &format!("c{n}@example.test")).await, *id);
    }
    // A customer added by the new instance is wrapped by the new key.
    let added = customer(&new_only, "late@example.test").await;
    assert_eq!(person(&new_only, added).await.email, "late@example.test");
    // The old key alone opens nothing now.
    assert!(matches!(instance(&portal, &old, None).await, Err(Error::Crypto(_))));
    assert!(matches!(vault::customer::person(portal.store.pool(), &portal, ids[0]).await, Err(Error::Crypto(_))), "an instance left on the old key alone");
}
