//! The retention sweep with an injected clock, on SQLite and PostgreSQL: rows just inside their
//! period stay, rows just outside go (deleted or anonymised as the catalogue says), anonymised
//! remains hold no personal data, and sweeps running at once count every row once.

use domain::on_both_backends;
use domain::retention;
use domain::testing::*;
use domain::Portal;

on_both_backends!(
    rows_just_inside_stay_and_rows_just_outside_go,
    anonymised_remains_hold_no_personal_data,
    sweeps_on_several_instances_count_every_row_once,
    the_daily_job_runs_once_a_day_across_instances,
);

const DAY: i64 = 86_400;

async fn count(portal: &Portal, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(portal.store.pool()).await.unwrap();
    n
}

async fn activity(portal: &Portal, customer: i64, at: i64, n: usize) {
    for _ in 0..n {
        sqlx::query("INSERT INTO activity_events (customer_id, occurred_at, kind, detail, ip, user_agent) VALUES ($1, $2, 'sign_in', '', '203.0.113.7', 'Firefox')")
            .bind(customer)
            .bind(at)
            .execute(portal.store.pool())
            .await
            .unwrap();
    }
}

async fn order(portal: &Portal, customer: i64, at: i64) {
    sqlx::query("INSERT INTO orders (customer_id, order_number, placed_at, status, total_cents, currency, items_summary) VALUES ($1, 'ORD-SECRET-1', $2, 'delivered', 4599, 'EUR', 'Reading lamp for Ana')")
        .bind(customer)
        .bind(at)
        .execute(portal.store.pool())
        .await
        .unwrap();
}

/// A customer with no records of their own, so counts are only the test's rows.
async fn bare(portal: &Portal, email: &str) -> i64 {
    let id = customer(portal, email).await;
    for table in ["activity_events", "orders", "support_tickets"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE customer_id = $1")).bind(id).execute(portal.store.pool()).await.unwrap();
    }
    id
}

async fn rows_just_inside_stay_and_rows_just_outside_go(portal: Portal) {
    let id = bare(&portal, "ana@example.test").await;
    let now = portal.now();
    activity(&portal, id, now - 365 * DAY + 60, 3).await; // inside the 365 days
    activity(&portal, id, now - 365 * DAY - 60, 2).await; // just outside
    order(&portal, id, now - 3650 * DAY + 60).await;
    order(&portal, id, now - 3650 * DAY - 60).await;
    let swept = retention::sweep(&portal).await.unwrap();
    assert_eq!(swept.total(), 3);
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM activity_events").await, 3);
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM orders").await, 1);
    assert!(swept.categories.contains(&("activity".into(), "delete".into(), 2)));
    assert!(swept.categories.contains(&("orders".into(), "anonymise".into(), 1)));
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.swept'").await, 2);
    // A day later, the rows that were just inside are just outside.
    portal.clock.advance(DAY);
    assert_eq!(retention::sweep(&portal).await.unwrap().total(), 4);
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM activity_events").await, 0);
    assert_eq!(retention::sweep(&portal).await.unwrap().total(), 0, "idempotent");
}

async fn anonymised_remains_hold_no_personal_data(portal: Portal) {
    let id = bare(&portal, "ana@example.test").await;
    order(&portal, id, portal.now() - 3651 * DAY).await;
    retention::sweep(&portal).await.unwrap();
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT category, month, attributes FROM anonymised_records").fetch_all(portal.store.pool()).await.unwrap();
    assert_eq!(rows.len(), 1);
    let (category, month, attributes) = &rows[0];
    assert_eq!(category, "orders");
    assert_eq!(month.len(), 7, "a month, not a moment: {month}");
    assert_eq!(attributes, "delivered;4599;EUR");
    let columns: Vec<(String,)> = match portal.store.backend() {
        domain::Backend::Sqlite => sqlx::query_as("SELECT name FROM pragma_table_info('anonymised_records')").fetch_all(portal.store.pool()).await.unwrap(),
        domain::Backend::Postgres => sqlx::query_as("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'anonymised_records'")
            .fetch_all(portal.store.pool())
            .await
            .unwrap(),
    };
    assert!(columns.iter().all(|(c,)| c != "customer_id"), "no link to a customer");
    for secret in ["ORD-SECRET-1", "Reading lamp", "Ana", "ana@example.test"] {
        assert!(!attributes.contains(secret) && !month.contains(secret));
    }
}

async fn sweeps_on_several_instances_count_every_row_once(portal: Portal) {
    let id = bare(&portal, "ana@example.test").await;
    let old = portal.now() - 3651 * DAY;
    for _ in 0..(retention::BATCH as usize + 150) {
        order(&portal, id, old).await;
    }
    let (one, two, three) = tokio::join!(retention::sweep(&portal), retention::sweep(&portal), retention::sweep(&portal));
    let total = one.unwrap().total() + two.unwrap().total() + three.unwrap().total();
    assert_eq!(total, retention::BATCH + 150);
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM orders").await, 0);
    assert_eq!(count(&portal, "SELECT COUNT(*) FROM anonymised_records").await, retention::BATCH + 150, "no remain twice");
}

async fn the_daily_job_runs_once_a_day_across_instances(portal: Portal) {
    let (a, b) = tokio::join!(retention::run_daily(&portal), retention::run_daily(&portal));
    let ran = [a.unwrap().is_some(), b.unwrap().is_some()];
    assert_eq!(ran.iter().filter(|r| **r).count(), 1, "one of two instances runs it");
    portal.clock.advance(DAY - 60);
    assert!(retention::run_daily(&portal).await.unwrap().is_none(), "not again within the day");
    portal.clock.advance(60);
    assert!(retention::run_daily(&portal).await.unwrap().is_some(), "the next day it runs");
}
