//! Starting the real binary with settings, on both backends. An offline copy of Pwned Passwords:
//! a file that is missing or is not a sorted list of SHA-1 hashes stops the start with a message
//! naming the setting (never the file's contents), before anything listens; a good file is used,
//! so a password reset to a listed password is refused beside its field and another is taken.
//! The cap on reset asks per network address is taken from its setting. A bad number of database
//! connections, of serving threads or a bad list of trusted proxies stops the start too. All of the above runs on a single
//! database connection, the mail worker beside the requests: nothing holds one connection while
//! it waits for another.

use std::process::{Command, Stdio};
use std::time::Duration;

use domain::testing::*;
use domain::Backend;
use sha1::{Digest, Sha1};

const EMAIL: &str = "pwned.check@example.test";
const LEAKED: &str = "a passphrase that leaked in the spring of 2026";
const FRESH: &str = "a passphrase nobody has seen before in 2027";

fn server(db_url: &str, port: u16, breached: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_server"));
    c.env("DATABASE_URL", db_url)
        .env("CUSTODIA_ADDR", format!("127.0.0.1:{port}"))
        .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
        .env("CUSTODIA_BREACHED_PASSWORDS_FILE", breached)
        .env("RUST_LOG", "error")
        .env("NO_COLOR", "1");
    c
}

fn sha1_line(password: &str, count: u32) -> String {
    let hex: String = Sha1::digest(password.as_bytes()).iter().map(|b| format!("{b:02X}")).collect();
    format!("{hex}:{count}\r\n")
}

/// Runs the binary to its end (it must not start serving) and returns its output.
async fn refused(db_url: &str, breached: &std::path::Path, extra: &[(&str, &str)]) -> String {
    let port = free_port();
    let out = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::task::spawn_blocking({
            let mut c = server(db_url, port, breached);
            c.envs(extra.iter().copied());
            move || c.stdin(Stdio::null()).output().expect("run the server binary")
        }),
    )
    .await
    .expect("the server stops by itself when a setting is bad")
    .unwrap();
    assert!(!out.status.success());
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

async fn the_breached_password_file_is_checked_at_start_and_then_used(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let portal = db.portal.clone();
    customer(&portal, EMAIL).await;
    let dir = std::env::temp_dir().join(format!("custodia-start-up-{}-{backend:?}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let wrong = dir.join("not-hashes.txt");
    std::fs::write(&wrong, "password123\nletmein\n").unwrap();
    let said = refused(&db.url, &wrong, &[]).await;
    assert!(said.contains("CUSTODIA_BREACHED_PASSWORDS_FILE"), "{said}");
    assert!(!said.contains("password123") && !said.contains("letmein"), "the file's contents stay out of the output: {said}");
    let said = refused(&db.url, &dir.join("absent.txt"), &[]).await;
    assert!(said.contains("CUSTODIA_BREACHED_PASSWORDS_FILE"), "{said}");

    let mut lines = vec![sha1_line(LEAKED, 42), sha1_line("another leaked password", 7), sha1_line("and a third one", 1)];
    lines.sort();
    let good = dir.join("pwned.txt");
    std::fs::write(&good, lines.concat()).unwrap();
    for (setting, bad) in [
        ("CUSTODIA_DB_CONNECTIONS", "0"),
        ("CUSTODIA_DB_CONNECTIONS", "many"),
        ("CUSTODIA_DB_CONNECTIONS", "1001"),
        ("CUSTODIA_SERVE_THREADS", "0"),
        ("CUSTODIA_SERVE_THREADS", "two"),
        ("CUSTODIA_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal"),
    ] {
        let said = refused(&db.url, &good, &[(setting, bad)]).await;
        assert!(said.contains(setting), "{setting}={bad}: {said}");
    }
    let port = free_port();
    let mut child = server(&db.url, port, &good)
        .env("CUSTODIA_RESET_ASKS_PER_ADDRESS_HOUR", "2")
        .env("CUSTODIA_DB_CONNECTIONS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    wait_healthy(&client, port).await;
    let origin = format!("http://127.0.0.1:{port}");
    let post = |endpoint: &str, fields: Vec<(&'static str, String)>| {
        client
            .post(format!("{origin}/api/{endpoint}"))
            .header("origin", &origin)
            .header("accept", "text/html")
            .form(&fields)
            .send()
    };
    let to = |res: reqwest::Response| res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();

    let res = post("request_password_reset", vec![("email", EMAIL.into())]).await.unwrap();
    assert_eq!(to(res), "/password/forgot?e=reset_sent");
    let mut mail = None;
    for _ in 0..200 {
        mail = last_mail_to(&portal, EMAIL).await.filter(|m| m.subject == "Reset your password");
        if mail.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mail = mail.expect("the reset link is mailed within 10 s");
    let token = token_in(&mail.text, "/password/reset/").unwrap();
    let res = post("reset_password", vec![("token", token.clone()), ("new_password", LEAKED.into()), ("code", String::new())]).await.unwrap();
    assert_eq!(to(res), format!("/password/reset/{token}?e=new_password.breached"));
    let res = post("reset_password", vec![("token", token), ("new_password", FRESH.into()), ("code", String::new())]).await.unwrap();
    assert_eq!(to(res), "/sign-in?e=reset_done");

    // Two asks an hour from this address, as set (the default is twenty).
    let res = post("request_password_reset", vec![("email", "someone@example.test".into())]).await.unwrap();
    assert_eq!(to(res), "/password/forgot?e=reset_sent");
    let res = post("request_password_reset", vec![("email", EMAIL.into())]).await.unwrap();
    assert_eq!(to(res), "/password/forgot?e=locked");

    child.kill().ok();
    child.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn sqlite_the_breached_password_file_is_checked_at_start_and_then_used() {
    the_breached_password_file_is_checked_at_start_and_then_used(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_the_breached_password_file_is_checked_at_start_and_then_used() {
    the_breached_password_file_is_checked_at_start_and_then_used(Backend::Postgres).await;
}
