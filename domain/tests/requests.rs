//! Corrections customers cannot make alone, and disputes, on SQLite and PostgreSQL.

use domain::error::Problem;
use domain::requests;
use domain::{Error, Portal};
use domain::on_both_backends;
use domain::testing::*;

on_both_backends!(a_correction_request_is_filed_with_its_deadline_and_nothing_changes, bad_requests_name_their_field);

async fn a_correction_request_is_filed_with_its_deadline_and_nothing_changes(portal: Portal) {
    let id = customer(&portal, "ana@example.test").await;
    let other = customer(&portal, "bo@example.test").await;
    let (dob,): (Option<String>,) = sqlx::query_as("SELECT date_of_birth FROM customers WHERE id = $1")
        .bind(id)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    let r = requests::submit(&portal, id, "date_of_birth", "My date of birth is 7 March 1990, not what you hold.", &meta())
        .await
        .unwrap();
    requests::submit(&portal, id, "orders", "Order 1042 is not mine; please check it.", &meta()).await.unwrap();
    let mine = requests::for_customer(&portal, id).await.unwrap();
    assert_eq!(mine.len(), 2);
    let correction = mine.iter().find(|x| x.id == r).unwrap();
    assert_eq!((correction.kind.as_str(), correction.status.as_str()), ("correction", "new"));
    assert_eq!(correction.due_at, requests::one_month_after(correction.received_at));
    assert!(mine.iter().any(|x| x.kind == "dispute" && x.subject == "orders"));
    assert!(requests::for_customer(&portal, other).await.unwrap().is_empty(), "others see none of them");
    let (after,): (Option<String>,) = sqlx::query_as("SELECT date_of_birth FROM customers WHERE id = $1")
        .bind(id)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(after, dob, "a request changes no data");
    let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 AND action = 'requests.submitted'")
        .bind(id)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(audited, 2);
}

async fn bad_requests_name_their_field(portal: Portal) {
    let id = customer(&portal, "ana@example.test").await;
    let cases = [
        ("password_hash", "please change it for me", "subject"),
        ("date_of_birth", "   short ", "explanation"),
        ("date_of_birth", &"x".repeat(2001), "explanation"),
        ("date_of_birth", "ten chars and a \u{0} null", "explanation"),
    ];
    for (subject, text, field) in cases {
        match requests::submit(&portal, id, subject, text, &meta()).await {
            Err(Error::Invalid { field: f, problem }) => {
                assert_eq!(f, field, "{subject}");
                assert_ne!(problem, Problem::Unchanged);
            }
            other => panic!("{subject}: {other:?}"),
        }
    }
    assert!(requests::for_customer(&portal, id).await.unwrap().is_empty());
}
