//! The audit log as a hash chain, on both backends: intact after real use and concurrent
//! appends; the database refuses edits and deletes; an erasure's clearing keeps it intact; a
//! row altered or removed behind the application's back is named by `verify`.

use domain::audit::{self, Actor, Entry, Finding};
use domain::on_both_backends;
use domain::testing::*;
use domain::{Backend, Portal};

on_both_backends!(
    the_chain_holds_through_real_use_and_concurrent_appends,
    the_database_refuses_edits_and_deletes_but_not_an_erasures_clearing,
    an_altered_row_is_named,
    a_removed_row_is_found,
);

async fn some_history(portal: &Portal) -> i64 {
    enrolled(portal, "ana@example.test").await;
    let id = customer_id(portal, "ana@example.test").await;
    domain::consent::ledger::set(portal, id, "analytics", domain::consent::Choice::Give, "192.0.2.1").await.unwrap();
    domain::consent::ledger::set(portal, id, "analytics", domain::consent::Choice::Withdraw, "192.0.2.1").await.unwrap();
    for _ in 0..4 {
        audit::record_alone(portal, entry("test.more")).await.unwrap();
    }
    id
}

fn entry(action: &str) -> Entry<'_> {
    Entry { actor: Actor::System, customer_id: None, action, detail: "test", ip: None }
}

async fn the_chain_holds_through_real_use_and_concurrent_appends(portal: Portal) {
    some_history(&portal).await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let portal = portal.clone();
        tasks.push(tokio::spawn(async move { audit::record_alone(&portal, entry("test.concurrent")).await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    match audit::verify(&portal).await.unwrap() {
        Finding::Intact { rows } => assert!(rows >= 20, "{rows} rows"),
        other => panic!("{other}"),
    }
    // Rows written before the chain existed (an upgraded install) are chained at start-up.
    sqlx::query("INSERT INTO audit_log (at, actor, action, detail) VALUES (1, 'system', 'legacy', 'a'), (2, 'system', 'legacy', 'b')")
        .execute(portal.store.pool())
        .await
        .unwrap();
    assert!(matches!(audit::verify(&portal).await.unwrap(), Finding::Unchained { .. }));
    assert_eq!(audit::chain_unchained(&portal).await.unwrap(), 2);
    assert!(matches!(audit::verify(&portal).await.unwrap(), Finding::Intact { .. }));
}

async fn the_database_refuses_edits_and_deletes_but_not_an_erasures_clearing(portal: Portal) {
    let id = some_history(&portal).await;
    let pool = portal.store.pool();
    for statement in [
        "UPDATE audit_log SET detail = 'nothing happened' WHERE customer_id = $1",
        "UPDATE audit_log SET at = at - 3600 WHERE customer_id = $1",
        "UPDATE audit_log SET hash = 'x' WHERE customer_id = $1",
        "UPDATE audit_log SET customer_id = customer_id + 1 WHERE customer_id = $1",
        "DELETE FROM audit_log WHERE customer_id = $1",
    ] {
        assert!(sqlx::query(statement).bind(id).execute(pool).await.is_err(), "{statement} must be refused");
    }
    sqlx::query("UPDATE audit_log SET customer_id = NULL, ip = NULL WHERE customer_id = $1").bind(id).execute(pool).await.unwrap();
    assert!(matches!(audit::verify(&portal).await.unwrap(), Finding::Intact { .. }));
}

/// What someone with write access to the database, but not through the application, could do.
async fn without_guards(portal: &Portal) {
    let sql = match portal.store.backend() {
        Backend::Sqlite => "DROP TRIGGER audit_log_append_only",
        Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
    };
    sqlx::query(sql).execute(portal.store.pool()).await.unwrap();
    if portal.store.backend() == Backend::Sqlite {
        sqlx::query("DROP TRIGGER audit_log_no_delete").execute(portal.store.pool()).await.unwrap();
    }
}

async fn middle_row(portal: &Portal) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3").fetch_one(portal.store.pool()).await.unwrap();
    id
}

async fn an_altered_row_is_named(portal: Portal) {
    some_history(&portal).await;
    without_guards(&portal).await;
    let target = middle_row(&portal).await;
    sqlx::query("UPDATE audit_log SET detail = 'nothing to see' WHERE id = $1").bind(target).execute(portal.store.pool()).await.unwrap();
    assert_eq!(audit::verify(&portal).await.unwrap(), Finding::Altered { id: target });
}

async fn a_removed_row_is_found(portal: Portal) {
    some_history(&portal).await;
    without_guards(&portal).await;
    let target = middle_row(&portal).await;
    let (next,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM audit_log WHERE id > $1").bind(target).fetch_one(portal.store.pool()).await.unwrap();
    sqlx::query("DELETE FROM audit_log WHERE id = $1").bind(target).execute(portal.store.pool()).await.unwrap();
    assert_eq!(audit::verify(&portal).await.unwrap(), Finding::Broken { id: next });
    // And the newest row removed: the head still remembers it.
    sqlx::query("DELETE FROM audit_log WHERE id >= $1").bind(next).execute(portal.store.pool()).await.unwrap();
    let (kept,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM audit_log").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!(audit::verify(&portal).await.unwrap(), Finding::TailMissing { after: kept });
}
