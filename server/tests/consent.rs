//! The consent center over real HTTP, on SQLite and PostgreSQL, with JavaScript off: every
//! purpose starts off; giving and withdrawing are each one form post with nothing but the
//! session (no mail, no code) and take effect at once; the receipts download is the customer's
//! own, as a no-store attachment; a DPO's new policy version shows on the customer's next visit.

mod support;

use domain::Portal;
use domain::on_both_backends;
use domain::staff::Role;
use domain::testing::*;
use support::*;

on_both_backends!(giving_and_withdrawing_are_the_same_single_step, receipts_download_and_policy_banner);

fn purpose_state(html: &str, key: &str) -> String {
    let at = html.find(&format!("data-purpose=\"{key}\"")).unwrap_or_else(|| panic!("purpose {key} on the page"));
    let rest = &html[at..];
    let s = rest.find("data-state=\"").unwrap() + 12;
    rest[s..s + rest[s..].find('"').unwrap()].to_string()
}

async fn giving_and_withdrawing_are_the_same_single_step(portal: Portal) {
    let (token, _, _) = enrolled(&portal, "a@example.test").await;
    let id = customer_id(&portal, "a@example.test").await;
    let app = TestApp::start(portal).await;
    let page = app.page("/consent", Some(&token)).await.text().await.unwrap();
    for key in ["marketing_mail", "personalisation", "analytics", "partner_sharing"] {
        assert_eq!(purpose_state(&page, key), "off", "{key} is off by default");
    }
    assert!(page.contains("name=\"choice\" value=\"give\""));

    // Give: one post. The form the page shows carries exactly these two fields.
    let give = app.form("set_consent", Some(&token), &[("purpose", "partner_sharing"), ("choice", "give")]).await;
    assert!(give.status().is_redirection());
    assert_eq!(location(&give), "/consent?e=consent_given&p=partner_sharing#purpose-partner_sharing");
    assert!(domain::consent::ledger::is_given(&app.portal, id, "partner_sharing").await.unwrap(), "in force at once");
    let page = app.page("/consent", Some(&token)).await.text().await.unwrap();
    assert_eq!(purpose_state(&page, "partner_sharing"), "on");
    assert!(page.contains("name=\"choice\" value=\"withdraw\""));

    // Withdraw: the same one post, same fields, no mail and no code.
    let (queued_before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox").fetch_one(app.portal.store.pool()).await.unwrap();
    let withdraw = app.form("set_consent", Some(&token), &[("purpose", "partner_sharing"), ("choice", "withdraw")]).await;
    assert_eq!(location(&withdraw), "/consent?e=consent_withdrawn&p=partner_sharing#purpose-partner_sharing");
    assert!(!domain::consent::ledger::is_given(&app.portal, id, "partner_sharing").await.unwrap(), "withdrawn at once");
    let (queued_after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox").fetch_one(app.portal.store.pool()).await.unwrap();
    assert_eq!(queued_before, queued_after, "withdrawing sends no mail to confirm");
    let page = app.page("/consent", Some(&token)).await.text().await.unwrap();
    assert_eq!(purpose_state(&page, "partner_sharing"), "off");
    assert_eq!(page.matches("<tr data-action=").count(), 2, "two receipts in the history");

    // The hydrated app's call (no HTML accept header) is the same single request.
    let call = app.call("set_consent", Some(&token), &[("purpose", "analytics"), ("choice", "give")]).await;
    assert!(call.status().is_success() || call.status().is_redirection(), "{}", call.status());
    assert!(domain::consent::ledger::is_given(&app.portal, id, "analytics").await.unwrap());

    // Bad input gets a message, not a 500 and not a receipt.
    for fields in [[("purpose", "lottery"), ("choice", "give")], [("purpose", "analytics"), ("choice", "maybe")], [("purpose", "<script>"), ("choice", "give")]] {
        let res = app.form("set_consent", Some(&token), &fields).await;
        assert_eq!(location(&res), "/consent?e=invalid", "{fields:?}");
    }
    assert_eq!(domain::consent::ledger::history(&app.portal, id).await.unwrap().len(), 3);
}

async fn receipts_download_and_policy_banner(portal: Portal) {
    let (a, _, _) = enrolled(&portal, "a@example.test").await;
    let (b, _, _) = enrolled(&portal, "b@example.test").await;
    let (dpo, _, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    let app = TestApp::start(portal).await;
    app.form("set_consent", Some(&a), &[("purpose", "marketing_mail"), ("choice", "give")]).await;
    app.form("set_consent", Some(&b), &[("purpose", "analytics"), ("choice", "give")]).await;

    let res = app.page("/api/consent_receipts", Some(&a)).await;
    assert_eq!(res.status(), 200, "{:?}", res.headers());
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"consent-receipts.json\""));
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let file: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    let receipts = file["receipts"].as_array().unwrap();
    assert_eq!(receipts.len(), 1, "only A's own receipts");
    assert_eq!(receipts[0]["purpose"], "marketing_mail");
    assert_eq!(receipts[0]["action"], "given");
    assert_eq!(receipts[0]["privacy_policy_version"], 1);
    assert!(receipts[0]["at"].as_str().unwrap().ends_with('Z'));
    assert!(file["customer_reference"].as_str().unwrap().len() > 4);

    // A DPO publishes a version that rewords marketing mail; A sees the summary and is asked again.
    app.portal.clock.advance(60);
    let published = app
        .send("staff_publish_policy", Some(&format!("custodia_staff={dpo}")), &[
            ("summary_en", "Marketing mails now come from our new mail provider."),
            ("summary_es", "Los correos de marketing ahora salen de nuestro nuevo proveedor."),
            ("summary_it", "Le email di marketing ora partono dal nostro nuovo fornitore."),
            ("material[]", ""),
            ("material[]", "yes"),
            ("wording_key[]", "marketing_mail:en"),
            ("wording[]", "Our newsletter and offers by email, sent through our new provider in Ireland."),
        ], true)
        .await;
    assert_eq!(location(&published), "/staff/policy?e=policy_published&v=2");
    let my_data = app.page("/my-data", Some(&a)).await.text().await.unwrap();
    assert!(my_data.contains("Marketing mails now come from our new mail provider."), "the banner on My data");
    let page = app.page("/consent", Some(&a)).await.text().await.unwrap();
    assert_eq!(purpose_state(&page, "marketing_mail"), "asked_again");
    assert!(page.contains("new provider in Ireland"));
    let seen = app.form("acknowledge_policy", Some(&a), &[("version", "2"), ("back", "my_data")]).await;
    assert_eq!(location(&seen), "/my-data?e=policy_acknowledged");
    let my_data = app.page("/my-data", Some(&a)).await.text().await.unwrap();
    assert!(!my_data.contains("Marketing mails now come from our new mail provider."), "seen once, then gone");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mail = last_mail_to(&app.portal, "a@example.test").await.expect("material change mailed");
    assert_eq!(mail.subject, "We changed our privacy policy");
    assert!(mail.text.contains("Marketing mails now come from"));
    assert!(mail.text.contains("/consent"), "links to the consent page");
}
