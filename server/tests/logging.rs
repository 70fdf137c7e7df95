//! What the real binary writes to its log, read back, on both backends: refused cross-site posts,
//! refused authorisation (anonymous, and an agent at a DPO's function) and refused sign-ins are
//! logged as warnings; and nothing a person typed or owns reaches the log: not their email,
//! password, name, phone number or new values, nor a session token.

use std::io::Read;
use std::process::{Command, Stdio};

use domain::staff::Role;
use domain::testing::*;
use domain::Backend;

const EMAIL: &str = "rosa.log@example.test";
const SECRET_VALUE: &str = "Rosalind Quiller-Xu";
const WRONG_PASSWORD: &str = "hunter2-but-longer-secret";

async fn logs_refusals_and_no_personal_data(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let portal = db.portal.clone();
    let (customer, _, _) = enrolled(&portal, EMAIL).await;
    let (agent, _, _) = staff_signed_in(&portal, "agent.log@example.test", Role::Agent).await;
    let person = person(&portal, customer_id(&portal, EMAIL).await).await;

    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", &db.url)
        .env("CUSTODIA_ADDR", format!("127.0.0.1:{port}"))
        .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
        .env("CUSTODIA_SMTP_URL", format!("smtp://127.0.0.1:{}", free_port()))
        // Everything the portal itself logs, at every level.
        .env("RUST_LOG", "debug,sqlx=warn,hyper=warn,h2=warn,reqwest=warn,tower=warn,lettre=warn")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server binary");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    wait_healthy(&client, port).await;
    let origin = format!("http://127.0.0.1:{port}");
    let post = |endpoint: &str, cookie: Option<String>, from: &str, fields: Vec<(&'static str, String)>, html: bool| {
        let mut req = client.post(format!("{origin}/api/{endpoint}")).header("origin", from).form(&fields);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        if html {
            req = req.header("accept", "text/html");
        }
        req.send()
    };

    // A post from another site: refused before anything runs.
    let res = post("sign_in", None, "http://evil.test", vec![("email", EMAIL.into()), ("password", WRONG_PASSWORD.into())], true).await.unwrap();
    assert_eq!(res.status(), 403);
    // A wrong password, typed into the real form.
    let res = post("sign_in", None, &origin, vec![("email", EMAIL.into()), ("password", WRONG_PASSWORD.into())], true).await.unwrap();
    assert!(res.status().is_redirection());
    // A script calling a customer's function without a session, and an agent calling a DPO's.
    let res = post("my_sessions", None, &origin, vec![], false).await.unwrap();
    assert_eq!(res.status(), 401);
    let res = post("staff_policy", Some(format!("custodia_staff={agent}")), &origin, vec![], false).await.unwrap();
    assert_eq!(res.status(), 403);
    // Ordinary use carrying personal data: a change of name and a request in free text.
    let cookie = Some(format!("custodia_session={customer}"));
    let res = post("request_change", cookie.clone(), &origin, vec![("field", "full_name".into()), ("value", SECRET_VALUE.into())], true).await.unwrap();
    assert!(res.status().is_redirection());
    let text = format!("My phone {} is wrong on order 77", person.phone.clone().unwrap_or_default());
    let res = post("submit_request", cookie.clone(), &origin, vec![("subject", "orders".into()), ("explanation", text)], true).await.unwrap();
    assert!(res.status().is_redirection());
    let res = client.get(format!("{origin}/my-data")).header("cookie", cookie.unwrap()).send().await.unwrap();
    assert_eq!(res.status(), 200);

    child.kill().unwrap();
    child.wait().unwrap();
    let mut log = String::new();
    child.stdout.take().unwrap().read_to_string(&mut log).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();

    for (event, why) in [
        ("refused a cross-site request", "a CSRF refusal"),
        ("sign-in attempt refused", "a wrong password"),
        ("status=401", "an anonymous call"),
        ("status=403", "an agent at a DPO's function"),
        ("staff role refused", "which role was refused"),
    ] {
        let line = log.lines().find(|l| l.contains(event)).unwrap_or_else(|| panic!("{why} is logged: {log}"));
        if event.starts_with("status=40") || event.contains("refused") {
            assert!(line.contains("WARN"), "{why} is a warning: {line}");
        }
    }
    let full_name = person.full_name.clone();
    let phone = person.phone.clone().unwrap_or_default();
    for (secret, what) in [
        (EMAIL, "the email"),
        (WRONG_PASSWORD, "a password"),
        (SECRET_VALUE, "a new value"),
        (full_name.as_str(), "the name"),
        (phone.as_str(), "the phone number"),
        (customer.as_str(), "the customer's session token"),
        (agent.as_str(), "the agent's session token"),
    ] {
        assert!(!secret.is_empty() && !log.contains(secret), "{what} reached the log");
    }
    assert!(log.lines().count() > 10, "the log was read: {log}");
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_logs_refusals_and_no_personal_data() {
    logs_refusals_and_no_personal_data(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_logs_refusals_and_no_personal_data() {
    logs_refusals_and_no_personal_data(Backend::Postgres).await;
}
