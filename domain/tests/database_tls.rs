//! PostgreSQL over TLS (ASVS 12.3.1), against the test server (`TEST_DATABASE_URL`), which must
//! offer TLS (Debian's PostgreSQL does, with its own self-signed certificate). With
//! `sslmode=require` in the URL the portal's connection is encrypted, as the database itself
//! reports; with `sslmode=verify-ca` a certificate that the given authority did not sign is
//! refused rather than used, or the connection made in the clear. (Connecting under verify-ca
//! needs a server certificate signed by a CA: rustls will not take Debian's self-signed one as its
//! own root, so that half is not shown here.)

use std::process::Command;

use domain::store::Store;
use domain::testing::pg_admin_url;

fn with(url: &str, params: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{params}")
}

/// Whether the server offers TLS, asked over a plain connection (it must); None when PostgreSQL
/// is unreachable and not required (as for every PostgreSQL test).
async fn server_tls() -> Option<()> {
    let store = match Store::connect_without_migrating(&pg_admin_url()).await {
        Ok(s) => s,
        Err(e) => {
            assert!(std::env::var("CUSTODIA_REQUIRE_PG").as_deref() != Ok("1"), "PostgreSQL is required but unreachable: {e}");
            eprintln!("skipping: PostgreSQL unreachable");
            return None;
        }
    };
    let (ssl,): (String,) = sqlx::query_as("SHOW ssl").fetch_one(store.pool()).await.unwrap();
    assert_eq!(ssl, "on", "this PostgreSQL does not offer TLS (ssl = off): turn it on to run this test");
    Some(())
}

async fn encrypted(url: &str) -> (bool, String) {
    let store = Store::connect_without_migrating(url).await.unwrap_or_else(|e| panic!("{url}: {e:?}"));
    sqlx::query_as("SELECT ssl, COALESCE(version, '') FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetch_one(store.pool()).await.unwrap()
}

#[tokio::test]
async fn postgres_connections_are_encrypted_when_the_url_asks() {
    if server_tls().await.is_none() {
        return;
    }
    let (ssl, version) = encrypted(&with(&pg_admin_url(), "sslmode=require")).await;
    assert!(ssl, "pg_stat_ssl says the connection is not encrypted");
    assert!(version == "TLSv1.3" || version == "TLSv1.2", "{version}");

}

#[tokio::test]
async fn a_database_certificate_from_another_authority_is_refused() {
    if server_tls().await.is_none() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("custodia-pg-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (key, ca) = (dir.join("key.pem"), dir.join("ca.pem"));
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=Not the database's authority"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&ca)
        .output()
        .expect("openssl (scripts/setup.sh installs it)");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let url = with(&pg_admin_url(), &format!("sslmode=verify-ca&sslrootcert={}", ca.display()));
    let refused = Store::connect_without_migrating(&url).await;
    assert!(refused.is_err(), "a certificate no trusted authority signed was accepted");
    std::fs::remove_dir_all(&dir).ok();
}
