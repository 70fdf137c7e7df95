//! Test support, shared by the domain's and the server's tests (feature `testing`).
//! Every test runs twice: on a fresh SQLite file and on a fresh PostgreSQL database.
//! PostgreSQL comes from TEST_DATABASE_URL (default: the local server); when it cannot be
//! reached the PostgreSQL half is skipped, unless CUSTODIA_REQUIRE_PG=1 (CI), where it fails.

use crate::identity::{self, RequestMeta, Session, SignInStep};
use crate::{Backend, Clock, Keys, Policy, Portal, Store};
use sqlx::Connection;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestDb {
    pub portal: Portal,
    pg_name: Option<String>,
}

fn pg_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", crate::keys::random_token()[..16].to_ascii_lowercase().replace('-', "x").replace('_', "y"))
}

impl TestDb {
    /// None only when PostgreSQL is unreachable and not required.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        sqlx::any::install_default_drivers();
        let (url, pg_name) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join("custodia-tests");
                std::fs::create_dir_all(&dir).unwrap();
                (format!("sqlite://{}", dir.join(format!("{}.db", unique("t"))).display()), None)
            }
            Backend::Postgres => {
                let admin = pg_admin_url();
                let mut conn = match sqlx::AnyConnection::connect(&admin).await {
                    Ok(c) => c,
                    Err(e) => {
                        if std::env::var("CUSTODIA_REQUIRE_PG").as_deref() == Ok("1") {
                            panic!("PostgreSQL is required but unreachable: {e}");
                        }
                        eprintln!("skipping the PostgreSQL run: {e}");
                        return None;
                    }
                };
                let name = unique("custodia_t_");
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
                conn.close().await.unwrap();
                let base = admin.rsplit_once('/').unwrap().0;
                (format!("{base}/{name}"), Some(name))
            }
        };
        let store = Store::connect(&url).await.expect("connect and migrate");
        let portal = Portal::new(store, Clock::system(), Keys::from_master(&[7; 32]), Policy::default());
        crate::catalogue::ensure_default(&portal).await.unwrap();
        Some(TestDb { portal, pg_name })
    }

    /// Drops the PostgreSQL database (SQLite files live in the temp dir).
    pub async fn finish(self) {
        self.portal.store.close().await;
        if let Some(name) = self.pg_name {
            if let Ok(mut conn) = sqlx::AnyConnection::connect(&pg_admin_url()).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
            }
        }
    }
}

/// Runs an async test body, `fn(Portal)`, on both backends.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::testing::TestDb::new($crate::Backend::Sqlite).await.unwrap();
                    super::$name(db.portal.clone()).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::testing::TestDb::new($crate::Backend::Postgres).await else { return };
                    super::$name(db.portal.clone()).await;
                    db.finish().await;
                }
            )*
        }
    };
}

pub fn meta() -> RequestMeta {
    RequestMeta { ip: "192.0.2.10".into(), user_agent: "test-agent".into() }
}

pub fn meta_from(ip: &str) -> RequestMeta {
    RequestMeta { ip: ip.into(), user_agent: "test-agent".into() }
}

/// A customer with a password and some data, not yet enrolled; returns its id.
pub async fn customer(portal: &Portal, email: &str) -> i64 {
    let mut c = crate::demo::customer(email, portal.now());
    c.password = Some(PASSWORD.into());
    c.password_hash = None;
    c.full_name = format!("Customer {email}");
    let file = crate::import::ImportFile { catalogue: None, customers: vec![c] };
    crate::import::run(portal, &file).await.expect("import");
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM customers WHERE email = $1")
        .bind(email)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    id
}

pub async fn session(portal: &Portal, token: &str) -> Option<Session> {
    identity::session::resolve(portal, token).await.unwrap()
}

/// The TOTP secret a half-enrolled customer is shown, decoded from its base32 form.
pub fn secret_from_base32(b32: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = Vec::new();
    for c in b32.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).expect("base32") as u64;
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    out
}

/// Signs a new customer in and through enrollment: (full session token, TOTP secret, recovery codes).
pub async fn enrolled(portal: &Portal, email: &str) -> (String, Vec<u8>, Vec<String>) {
    customer(portal, email).await;
    let SignInStep::NeedsEnrollment(half) =
        identity::sign_in(portal, email, PASSWORD, &meta(), None).await.unwrap()
    else {
        panic!("a new customer must enroll first")
    };
    let s = session(portal, &half.token).await.unwrap();
    let e = identity::enrollment::enrollment(portal, &s).await.unwrap();
    let secret = secret_from_base32(&e.secret_base32);
    let code = identity::totp::code_at(&secret, portal.now()).unwrap();
    let full = identity::enrollment::confirm_enrollment(portal, &s, &code, &meta()).await.unwrap();
    let fs = session(portal, &full.token).await.unwrap();
    let codes = identity::enrollment::take_recovery_codes(portal, &fs).await.unwrap().unwrap();
    (full.token, secret, codes)
}
