//! Rotating the master key with the real binary, as an operator does, on both backends:
//! instances restarted with the new key and the previous one keep serving signed-in customers
//! while `server keys rotate` re-wraps every key; afterwards the new key alone runs the portal
//! and the old key alone is refused at start with a message that names neither key.

use std::process::{Child, Command, Stdio};

use domain::testing::*;
use domain::vault::MasterKey;
use domain::Backend;

struct Keys<'a> {
    current: &'a str,
    previous: Option<&'a str>,
}

fn command(db_url: &str, keys: &Keys) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_server"));
    c.env("DATABASE_URL", db_url).env("CUSTODIA_MASTER_KEY", keys.current).env("RUST_LOG", "error");
    if let Some(p) = keys.previous {
        c.env("CUSTODIA_PREVIOUS_MASTER_KEY", p);
    }
    c
}

fn serve(db_url: &str, port: u16, keys: &Keys) -> Child {
    command(db_url, keys)
        .env("CUSTODIA_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary")
}

fn admin(db_url: &str, keys: &Keys, args: &[&str]) -> (bool, String) {
    let out = command(db_url, keys).args(args).output().expect("run the server binary");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

async fn my_data(client: &reqwest::Client, port: u16, token: &str) -> u16 {
    let res = client
        .get(format!("http://127.0.0.1:{port}/my-data"))
        .header("cookie", format!("custodia_session={token}"))
        .send()
        .await
        .expect("an answer");
    res.status().as_u16()
}

async fn rotates_while_serving(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let portal = db.portal.clone();
    let (token, _, _) = enrolled(&portal, "ana@example.test").await;
    for n in 0..5 {
        customer(&portal, &format!("c{n}@example.test")).await;
    }
    let old = test_master_key_base64();
    let new = MasterKey::generate_base64();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    // Step 1 of the documented procedure: restart with the new key, keeping the previous one.
    let both = Keys { current: &new, previous: Some(&old) };
    let port = free_port();
    let mut server = serve(&db.url, port, &both);
    wait_healthy(&client, port).await;
    assert_eq!(my_data(&client, port, &token).await, 200);
    let (ok, status) = admin(&db.url, &both, &["keys", "status"]);
    assert!(ok && status.contains("(to re-wrap)"), "{status}");

    // Step 2: rotate while a customer keeps using the portal.
    let reader = {
        let (client, token) = (client.clone(), token.clone());
        tokio::spawn(async move {
            let mut answers = Vec::new();
            for _ in 0..60 {
                answers.push(my_data(&client, port, &token).await);
            }
            answers
        })
    };
    let (ok, said) = admin(&db.url, &both, &["keys", "rotate"]);
    assert!(ok, "{said}");
    assert!(said.contains("re-wrapped 7 keys"), "six customers and the portal key: {said}");
    assert!(!said.contains(&new) && !said.contains(&old), "no key material in the output");
    let answers = reader.await.unwrap();
    assert!(answers.iter().all(|s| *s == 200), "every page served during the rotation: {answers:?}");
    let (_, status) = admin(&db.url, &both, &["keys", "status"]);
    assert!(!status.contains("(to re-wrap)"), "{status}");
    let (ok, again) = admin(&db.url, &both, &["keys", "rotate"]);
    assert!(ok && again.contains("re-wrapped 0 keys"), "{again}");
    server.kill().unwrap();
    server.wait().unwrap();

    // Step 3: the new key alone runs the portal; the session and every customer's data open.
    let new_only = Keys { current: &new, previous: None };
    let port = free_port();
    let mut server = serve(&db.url, port, &new_only);
    wait_healthy(&client, port).await;
    assert_eq!(my_data(&client, port, &token).await, 200);
    server.kill().unwrap();
    server.wait().unwrap();

    // The old key alone is refused at start, clearly, without printing any key.
    let old_only = Keys { current: &old, previous: None };
    let (ok, said) = admin(&db.url, &old_only, &["keys", "status"]);
    assert!(!ok, "{said}");
    assert!(said.contains("no master key given opens this database's key ring"), "{said}");
    assert!(!said.contains(&old) && !said.contains("panicked"), "{said}");
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_master_key_rotation_while_serving() {
    rotates_while_serving(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_master_key_rotation_while_serving() {
    rotates_while_serving(Backend::Postgres).await;
}
