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
    /// Where the database is, for a second process (the server binary) to open it.
    pub url: String,
    pg_name: Option<String>,
}

/// The key set of a test database: the key ring opened with the test master key, as the
/// server opens it, so test code and a server on the same database agree.
pub async fn test_keys(store: &Store) -> Keys {
    let master = crate::vault::MasterKey::from_base64(&test_master_key_base64()).expect("test master key");
    Keys::load(store, crate::vault::MasterKeys::new(master, None)).await.expect("open the key ring")
}

/// The master key every test portal uses, as the server reads it from CUSTODIA_MASTER_KEY.
pub fn test_master_key_base64() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([7u8; 32])
}

/// The PostgreSQL server the tests use (`TEST_DATABASE_URL`), as its admin database.
pub fn pg_admin_url() -> String {
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
                // The test database on the same server, with the admin URL's options (sslmode).
                let (path, options) = admin.split_at(admin.find('?').unwrap_or(admin.len()));
                let base = path.rsplit_once('/').unwrap().0;
                (format!("{base}/{name}{options}"), Some(name))
            }
        };
        let store = Store::connect(&url).await.expect("connect and migrate");
        let url = url.clone();
        let portal = Portal::new(store.clone(), Clock::system(), test_keys(&store).await, Policy::default());
        crate::catalogue::ensure_default(&portal).await.unwrap();
        Some(TestDb { portal, url, pg_name })
    }

    /// After a process using this database was killed: waits until PostgreSQL has finished with
    /// whatever that process had already sent (a COMMIT in flight still lands after the kill), so
    /// the test reads the final state rather than a moment before it. SQLite needs no wait: the
    /// process held the only handle.
    pub async fn settle(&self) {
        if self.pg_name.is_none() {
            return;
        }
        for _ in 0..500 {
            let (busy,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND (state = 'active' OR state LIKE 'idle in transaction%')",
            )
            .fetch_one(self.portal.store.pool())
            .await
            .unwrap();
            if busy == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("a killed process's database work did not finish within 10 s");
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
    customer_id(portal, email).await
}

/// The id of the customer with this email.
pub async fn customer_id(portal: &Portal, email: &str) -> i64 {
    crate::vault::customer::id_by_email(portal.store.pool(), portal, email).await.unwrap().expect("no customer with that email")
}

/// The customer's fields as the portal reads them: opened with their key.
pub async fn person(portal: &Portal, id: i64) -> crate::vault::Person {
    crate::vault::customer::existing_person(portal.store.pool(), portal, id).await.expect("the customer's fields")
}

/// Arranges personal fields directly, sealed as the portal stores them. `column` is one of
/// full_name, phone, date_of_birth.
pub async fn set_fields(portal: &Portal, id: i64, fields: &[(&'static str, Option<&str>)]) {
    let key = crate::vault::customer::key(portal.store.pool(), portal, id).await.unwrap();
    for (column, value) in fields {
        let sealed_as = crate::vault::customer::sealed_customer_column(column).expect("a sealed customer field");
        sqlx::query(&format!("UPDATE customers SET {column} = $1 WHERE id = $2"))
            .bind(key.seal_opt(sealed_as, *value).unwrap())
            .bind(id)
            .execute(portal.store.pool())
            .await
            .unwrap();
    }
}

/// One address as the portal reads it, whoever's it is.
pub async fn address(portal: &Portal, address_id: i64) -> crate::verification::field::AddressValue {
    let (customer,): (i64,) =
        sqlx::query_as("SELECT customer_id FROM addresses WHERE id = $1").bind(address_id).fetch_one(portal.store.pool()).await.unwrap();
    let found = crate::vault::customer::addresses(portal.store.pool(), portal, customer, Some(address_id)).await.unwrap();
    found.into_iter().next().expect("the address").value
}

/// A second full sign-in for an enrolled customer, from another address and browser; its token.
pub async fn another_session(portal: &Portal, email: &str, secret: &[u8]) -> String {
    let meta = RequestMeta { ip: "198.51.100.7".into(), user_agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1".into() };
    let SignInStep::NeedsCode(half) = identity::sign_in(portal, email, PASSWORD, &meta, None).await.unwrap() else {
        panic!("an enrolled customer is asked for a code")
    };
    let s = session(portal, &half.token).await.unwrap();
    portal.clock.advance(30);
    let code = identity::totp::code_at(secret, portal.now()).unwrap();
    identity::verify_second_factor(portal, &s, &code, &meta).await.unwrap().token
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

/// Delivers whatever the outbox holds into the dev mailbox, as the worker would.
pub async fn deliver_to_dev_mailbox(portal: &Portal) -> usize {
    crate::mail::worker::deliver_due(portal, &crate::mail::Transport::DevMailbox).await.unwrap()
}

/// The newest message in the dev mailbox to `to`.
pub async fn last_mail_to(portal: &Portal, to: &str) -> Option<crate::mail::Mail> {
    deliver_to_dev_mailbox(portal).await;
    crate::mail::dev_mailbox::list(portal, 500)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.mail.to == to)
        .map(|m| m.mail)
}

/// The token of the first link under `path` (`"/confirm/"`) in a message's text part.
pub fn token_in(text: &str, path: &str) -> Option<String> {
    let start = text.find(path)? + path.len();
    Some(text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect())
}

/// Every text column of every table of the schema.
pub async fn text_columns(portal: &Portal) -> Vec<(String, String)> {
    let rows: Vec<(String, String)> = match portal.store.backend() {
        crate::Backend::Sqlite => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
               AND (UPPER(p.type) LIKE '%TEXT%' OR UPPER(p.type) LIKE '%CHAR%')",
        )
        .fetch_all(portal.store.pool())
        .await
        .unwrap(),
        crate::Backend::Postgres => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' AND data_type IN ('text', 'character varying')",
        )
        .fetch_all(portal.store.pool())
        .await
        .unwrap(),
    };
    assert!(rows.len() > 60, "the schema was read ({} text columns)", rows.len());
    rows
}

/// A real SMTP server (end2end/mail-sink.mjs, Node's smtp-server) writing each message it
/// receives as JSON into a fresh directory. Stopped when dropped.
pub struct MailSink {
    child: std::process::Child,
    pub port: u16,
    pub dir: std::path::PathBuf,
}

impl MailSink {
    pub fn start_on(port: u16) -> MailSink {
        Self::start_with(port, &[])
    }

    /// With more arguments for mail-sink.mjs (`--tls-key`, `--tls-cert`, `--starttls`).
    pub fn start_with(port: u16, extra: &[&str]) -> MailSink {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end");
        assert!(
            root.join("node_modules/smtp-server").exists(),
            "the mail sink needs end2end's npm packages: run `make setup` (or npm ci in end2end)"
        );
        let dir = std::env::temp_dir().join("custodia-tests").join(unique("mail"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = std::process::Command::new("node")
            .arg(root.join("mail-sink.mjs"))
            .args(["--port", &port.to_string(), "--dir"])
            .arg(&dir)
            .args(extra)
            .current_dir(&root)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node runs the mail sink");
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
        let port = line.trim().strip_prefix("listening ").and_then(|p| p.parse().ok()).expect("mail sink port");
        MailSink { child, port, dir }
    }

    pub fn start() -> MailSink {
        Self::start_on(0)
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far: (recipients, subject, text).
    pub fn messages(&self) -> Vec<(Vec<String>, String, String)> {
        let mut files: Vec<_> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|p| {
                let v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
                let to = v["to"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
                (to, v["subject"].as_str().unwrap().to_string(), v["text"].as_str().unwrap().to_string())
            })
            .collect()
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until a server process on this port answers /healthz (about ten seconds at most).
pub async fn wait_healthy(client: &reqwest::Client, port: u16) {
    for _ in 0..200 {
        if client.get(format!("http://127.0.0.1:{port}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server on port {port} did not become healthy");
}

/// A loopback port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The newest queued (undelivered) message of `kind`, read without delivering it.
pub async fn peek_outbox(portal: &Portal, kind: &str) -> Option<crate::mail::Mail> {
    let row: Option<(Vec<u8>,)> = sqlx::query_as(
        "SELECT content_enc FROM outbox WHERE kind = $1 AND sent_at IS NULL AND content_enc IS NOT NULL \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(kind)
    .fetch_optional(portal.store.pool())
    .await
    .unwrap();
    let (sealed,) = row?;
    let plain = portal.keys.open(crate::mail::outbox::SEAL_CONTEXT, &sealed).unwrap();
    Some(serde_json::from_slice(&plain).unwrap())
}

/// A staff member with `role`, signed in: (session token, session, TOTP secret).
pub async fn staff_signed_in(portal: &Portal, email: &str, role: crate::staff::Role) -> (String, crate::staff::StaffSession, Vec<u8>) {
    let made = crate::staff::add(portal, email, role, PASSWORD, None).await.expect("staff add");
    let secret = secret_from_base32(&made.totp_key);
    let token = staff_sign_in(portal, email, &secret).await;
    let session = crate::staff::session::resolve(portal, &token).await.unwrap().expect("staff session");
    (token, session, secret)
}

/// Signs an existing staff member in with a fresh code (moving the clock past the last step).
pub async fn staff_sign_in(portal: &Portal, email: &str, secret: &[u8]) -> String {
    portal.clock.advance(identity::totp::STEP_SECS);
    let code = identity::totp::code_at(secret, portal.now()).unwrap();
    crate::staff::sign_in(portal, email, PASSWORD, &code, &meta()).await.expect("staff sign-in").token
}

/// Gives `customer` `rows` page views, one a second up to now, in committed chunks of 50,000:
/// the large customers of the benchmarks.
pub async fn seed_activity(portal: &Portal, customer: i64, rows: i64) {
    let now = portal.now();
    let mut written = 0;
    while written < rows {
        let mut tx = portal.store.begin().await.unwrap();
        for _ in 0..50 {
            let n = (rows - written).min(1000);
            if n == 0 {
                break;
            }
            let mut sql = String::from("INSERT INTO activity_events (customer_id, occurred_at, kind, detail, ip, user_agent) VALUES ");
            for i in 0..n {
                if i > 0 {
                    sql.push(',');
                }
                let at = now - rows + written + i;
                sql.push_str(&format!("({customer}, {at}, 'page_view', '/products/{}', '203.0.113.7', 'Firefox 132 on Linux')", (written + i) % 97));
            }
            sqlx::query(&sql).execute(&mut *tx).await.unwrap();
            written += n;
        }
        tx.commit().await.unwrap();
    }
}
