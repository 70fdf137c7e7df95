//! `server audit verify`, the command a reviewer runs: exit 0 and "intact" on a clean log; after
//! a row is altered behind the application's back, exit 1 naming that row. Both backends.

use std::process::Command;

use domain::testing::*;
use domain::{Backend, Portal};

fn verify(url: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", url)
        .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
        .env("RUST_LOG", "error")
        .output()
        .expect("run the server binary");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

async fn reports_the_altered_row(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let portal: Portal = db.portal.clone();
    enrolled(&portal, "ana@example.test").await;
    let (ok, said) = verify(&db.url);
    assert!(ok, "{said}");
    assert!(said.contains("the audit log is intact"), "{said}");

    let guard = match backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_append_only",
        Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
    };
    sqlx::query(guard).execute(portal.store.pool()).await.unwrap();
    let (id,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM audit_log").fetch_one(portal.store.pool()).await.unwrap();
    sqlx::query("UPDATE audit_log SET action = 'nothing.happened' WHERE id = $1").bind(id).execute(portal.store.pool()).await.unwrap();
    let (ok, said) = verify(&db.url);
    assert!(!ok, "a tampered log must fail: {said}");
    assert!(said.contains(&format!("row {id} was altered")), "{said}");
    db.finish().await;
}

#[tokio::test]
async fn sqlite_audit_verify_reports_the_altered_row() {
    reports_the_altered_row(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_audit_verify_reports_the_altered_row() {
    reports_the_altered_row(Backend::Postgres).await;
}
