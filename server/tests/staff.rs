//! The staff console over real HTTP, on SQLite and PostgreSQL: every server function called as
//! anonymous, customer A, customer B, agent and DPO gets the answer its role deserves; masked
//! values never carry the hidden text, in the page or in the serialized response.

mod support;

use domain::Portal;
use domain::on_both_backends;
use domain::requests::{self, work};
use domain::staff::Role;
use domain::testing::*;
use support::*;

on_both_backends!(every_server_function_answers_each_role_as_it_should, masked_values_never_carry_the_hidden_text);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    A,
    B,
    Agent,
    Dpo,
}

const WHO: [Who; 5] = [Who::Anonymous, Who::A, Who::B, Who::Agent, Who::Dpo];

/// Server functions whose gate is not a role but a credential, an emailed token or a sign-in step
/// (their refusals are tested in authorisation.rs, verified_changes.rs, password_reset.rs and
/// hardening.rs). Every other server function must be in the matrix below; a test enforces it.
const PUBLIC: &[&str] = &[
    "sign_in",
    "verify_code",
    "enrollment",
    "confirm_enrollment",
    "recovery_codes",
    "sign_out",
    // Ends only the caller's own other sessions; sessions.rs tests it.
    "end_other_sessions",
    "change_link",
    "confirm_change",
    "revert_link",
    "revert_email",
    // A forgotten password: gated by the mailed link and the authenticator (password_reset.rs).
    "request_password_reset",
    "reset_link",
    "reset_password",
    "dev_mailbox",
    "staff_sign_in",
    "staff_sign_out",
];

enum Expect {
    /// A script call: the status each of anonymous, A, B, agent, DPO gets.
    Read([u16; 5]),
    /// A form post: for each, the Location must start with this.
    Form([&'static str; 5]),
    /// A GET (server functions that are links, such as downloads): the status each gets.
    Get([u16; 5]),
}

struct Fixture {
    a_token: String,
    b_token: String,
    agent: String,
    dpo: String,
    a_request: i64,
    a_closed: i64,
    a_pending: i64,
    a_ref: String,
    a_address: i64,
    incident: i64,
    a_notice: i64,
}

impl Fixture {
    fn cookie(&self, who: Who) -> Option<String> {
        match who {
            Who::Anonymous => None,
            Who::A => Some(format!("custodia_session={}", self.a_token)),
            Who::B => Some(format!("custodia_session={}", self.b_token)),
            Who::Agent => Some(format!("custodia_staff={}", self.agent)),
            Who::Dpo => Some(format!("custodia_staff={}", self.dpo)),
        }
    }
}

async fn fixture(portal: &Portal) -> Fixture {
    let (a_token, _, _) = enrolled(portal, "a@example.test").await;
    let (b_token, _, _) = enrolled(portal, "b@example.test").await;
    let a = customer_id(portal, "a@example.test").await;
    let (agent, agent_session, _) = staff_signed_in(portal, "agent@example.test", Role::Agent).await;
    let (dpo, dpo_session, _) = staff_signed_in(portal, "dpo@example.test", Role::Dpo).await;
    let a_request = requests::submit(portal, a, "date_of_birth", "My date of birth is 7 March 1990.", &meta()).await.unwrap();
    let a_closed = requests::submit(portal, a, "orders", "Order 1042 is not mine; please check it.", &meta()).await.unwrap();
    work::reply(portal, &agent_session, a_closed, "done", "We removed it.", &meta()).await.unwrap();
    let a_pending = domain::verification::request_change(
        portal,
        a,
        domain::verification::Field::Phone,
        domain::verification::NewValue::Text("+34 600 000 002".into()),
        &meta(),
    )
    .await
    .unwrap();
    let (a_ref,): (String,) =
        sqlx::query_as("SELECT public_id FROM customers WHERE id = $1").bind(a).fetch_one(portal.store.pool()).await.unwrap();
    let breach = domain::incidents::NewIncident {
        discovered_at: portal.now() - 600,
        what_happened: "A report was sent to the wrong customer.".into(),
        categories: vec!["contact".into()],
        approx_affected: 1,
        consequences: "Another customer saw an email address.".into(),
        measures: "The report was deleted by its recipient.".into(),
    };
    let incident = domain::incidents::record(portal, &dpo_session, &breach, "192.0.2.1").await.unwrap();
    domain::incidents::notify::notify(portal, &dpo_session, incident, 1, portal.now() + 60, "192.0.2.1").await.unwrap();
    let a_notice = domain::incidents::notify::banners(portal.store.pool(), a).await.unwrap()[0].notice_id;
    let (a_address,): (i64,) =
        sqlx::query_as("SELECT MIN(id) FROM addresses WHERE customer_id = $1").bind(a).fetch_one(portal.store.pool()).await.unwrap();
    Fixture { a_token, b_token, agent, dpo, a_request, a_closed, a_pending, a_ref, a_address, incident, a_notice }
}

async fn every_server_function_answers_each_role_as_it_should(portal: Portal) {
    let f = fixture(&portal).await;
    let app = TestApp::start(portal).await;
    let (r, closed, pending) = (f.a_request.to_string(), f.a_closed.to_string(), f.a_pending.to_string());
    let address = f.a_address.to_string();
    let a_ref = f.a_ref.clone();
    let reason = "Customer asked us to call back";
    let sign_in = "/sign-in?e=expired";
    let staff_in = "/staff/sign-in?e=expired";
    let req_page = format!("/staff/requests/{r}?e=");
    let (assigned, replied, extended, proposed) =
        (format!("{req_page}assigned"), format!("{req_page}reply_sent"), format!("{req_page}extended"), format!("{req_page}proposed"));
    let (a_reply, a_rated) = (format!("/requests/{r}?e=reply_sent"), format!("/requests/{closed}?e=rated"));
    let found = format!("/staff/customers/{a_ref}");
    let revealed = format!("/staff/customers/{a_ref}?shown=");
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    let (incident, notice) = (f.incident.to_string(), f.a_notice.to_string());
    let forbidden = "/staff?e=forbidden";
    let (notified, noted) = (format!("/staff/incidents/{incident}?e=customers_notified"), format!("/staff/incidents/{incident}?e=authority_noted"));

    let matrix: Vec<(&str, Vec<(&str, &str)>, Expect)> = vec![
        // The customer's own reads: customers get theirs, staff and strangers nothing.
        ("my_data", vec![("activity_page", "0")], Expect::Read([401, 200, 200, 401, 401])),
        ("access_log", vec![], Expect::Read([401, 200, 200, 401, 401])),
        ("change_form", vec![("field", "phone")], Expect::Read([401, 200, 200, 401, 401])),
        ("my_request", vec![("id", &r)], Expect::Read([401, 200, 404, 401, 401])),
        // The customer's own writes.
        ("submit_request", vec![("subject", "orders"), ("explanation", "Order 77 is not mine at all.")],
            Expect::Form([sign_in, "/my-data?e=request_sent", "/my-data?e=request_sent", sign_in, sign_in])),
        ("request_change", vec![("field", "full_name"), ("value", "Someone Else")],
            Expect::Form([sign_in, "/my-data?e=change_sent", "/my-data?e=change_sent", sign_in, sign_in])),
        ("cancel_change", vec![("id", &pending)],
            Expect::Form([sign_in, "/my-data?e=change_cancelled", "/my-data?e=change_gone", sign_in, sign_in])),
        ("request_address_change", vec![("address_id", &address), ("label", "Home"), ("line1", "Via Nuova 1"), ("line2", ""),
            ("city", "Torino"), ("postal_code", "10121"), ("region", ""), ("country", "Italy")],
            Expect::Form([sign_in, "/my-data?e=change_sent", "/my-data?e=invalid", sign_in, sign_in])),
        ("reply_request", vec![("id", &r), ("message", "Any news?")],
            Expect::Form([sign_in, leak(&a_reply), "/my-data?e=invalid", sign_in, sign_in])),
        ("rate_request", vec![("id", &closed), ("rating", "5"), ("comment", "")],
            Expect::Form([sign_in, leak(&a_rated), "/my-data?e=invalid", sign_in, sign_in])),
        // Staff reads: staff only; oversight for DPOs only.
        ("staff_queue", vec![("show", "open"), ("order", "deadline")], Expect::Read([401, 401, 401, 200, 200])),
        ("staff_request", vec![("id", &r)], Expect::Read([401, 401, 401, 200, 200])),
        ("staff_customer", vec![("reference", &a_ref)], Expect::Read([401, 401, 401, 200, 200])),
        ("staff_oversight", vec![], Expect::Read([401, 401, 401, 403, 200])),
        // Staff writes.
        ("staff_find_customer", vec![("query", "a@example.test")], Expect::Form([staff_in, staff_in, staff_in, leak(&found), leak(&found)])),
        ("staff_end_sessions", vec![("reference", &a_ref), ("end_reason", "")],
            Expect::Form([staff_in, staff_in, staff_in, leak(&format!("{found}?e=end_reason.required#sessions")), leak(&format!("{found}?e=end_reason.required#sessions"))])),
        ("staff_reveal", vec![("reference", &a_ref), ("field", "phone"), ("reason", reason)],
            Expect::Form([staff_in, staff_in, staff_in, leak(&revealed), leak(&revealed)])),
        ("staff_assign", vec![("id", &r)], Expect::Form([staff_in, staff_in, staff_in, leak(&assigned), leak(&assigned)])),
        ("staff_reply", vec![("id", &r), ("status", "waiting_customer"), ("message", "Could you send a document?")],
            Expect::Form([staff_in, staff_in, staff_in, leak(&replied), leak(&replied)])),
        ("staff_extend", vec![("id", &r), ("months", "1"), ("reason", "We must check with the registry.")],
            Expect::Form([staff_in, staff_in, staff_in, leak(&extended), leak(&extended)])),
        ("staff_propose", vec![("id", &r), ("value", "1990-03-07")],
            Expect::Form([staff_in, staff_in, staff_in, leak(&proposed), leak(&proposed)])),
        // Incidents and records of processing: DPOs only; notices: the customer they were sent to.
        ("staff_incidents", vec![], Expect::Read([401, 401, 401, 403, 200])),
        ("staff_incident", vec![("id", &incident), ("from", ""), ("to", "")], Expect::Read([401, 401, 401, 403, 200])),
        ("records_of_processing", vec![], Expect::Get([401, 401, 401, 403, 200])),
        ("staff_record_incident", vec![("discovered_at", "2026-01-02T03:04"), ("what_happened", "A laptop with exports was stolen."),
            ("categories[]", "orders"), ("approx_affected", "10"), ("consequences", "Order histories could be read."), ("measures", "The disk was encrypted; keys rotated.")],
            Expect::Form([staff_in, staff_in, staff_in, forbidden, "/staff/incidents/"])),
        ("staff_notify_incident", vec![("id", &incident), ("from", "2000-01-01"), ("to", "2100-01-01")],
            Expect::Form([staff_in, staff_in, staff_in, forbidden, leak(&notified)])),
        ("staff_authority_notified", vec![("id", &incident)], Expect::Form([staff_in, staff_in, staff_in, forbidden, leak(&noted)])),
        ("acknowledge_notice", vec![("id", &notice)],
            Expect::Form([sign_in, "/my-data?e=notice_acknowledged", "/my-data?e=invalid", sign_in, sign_in])),
        // Consent: each customer their own; the policy: DPOs publish, customers acknowledge.
        ("consent_center", vec![], Expect::Read([401, 200, 200, 401, 401])),
        ("consent_receipts", vec![], Expect::Get([401, 200, 200, 401, 401])),
        ("set_consent", vec![("purpose", "analytics"), ("choice", "give")],
            Expect::Form([sign_in, "/consent?e=consent_given", "/consent?e=consent_given", sign_in, sign_in])),
        ("staff_policy", vec![], Expect::Read([401, 401, 401, 403, 200])),
        ("staff_publish_policy", vec![("summary_en", "We added a partner for travel offers."), ("summary_es", "Añadimos un socio de ofertas de viaje."),
            ("summary_it", "Abbiamo aggiunto un partner per offerte di viaggio."), ("material[]", ""),
            ("wording_key[]", "analytics:en"), ("wording[]", "Measuring how you use our site, linked to your account, to improve it.")],
            Expect::Form([staff_in, staff_in, staff_in, forbidden, "/staff/policy?e=policy_published"])),
        // Sessions: each customer their own.
        ("my_sessions", vec![], Expect::Read([401, 200, 200, 401, 401])),
        ("end_session", vec![("handle", "0000000000000000")], Expect::Form([sign_in, "/sessions?e=invalid", "/sessions?e=invalid", sign_in, sign_in])),
        ("confirm_and_end_sessions", vec![("code", "12"), ("then", "others")],
            Expect::Form([sign_in, "/sessions?e=code.malformed&then=others", "/sessions?e=code.malformed&then=others", sign_in, sign_in])),
        ("password_page", vec![], Expect::Read([401, 200, 200, 401, 401])),
        ("change_password", vec![("current_password", PASSWORD), ("new_password", "short"), ("code", "123456")],
            Expect::Form([sign_in, "/password?e=new_password.malformed", "/password?e=new_password.malformed", sign_in, sign_in])),
        ("authenticator_page", vec![], Expect::Read([401, 200, 200, 401, 401])),
        ("start_authenticator_change", vec![("current_password", PASSWORD), ("code", "")],
            Expect::Form([sign_in, "/authenticator?e=code.required", "/authenticator?e=code.required", sign_in, sign_in])),
        ("finish_authenticator_change", vec![("new_code", "123456")],
            Expect::Form([sign_in, "/authenticator?e=authenticator_start_again", "/authenticator?e=authenticator_start_again", sign_in, sign_in])),
        // Erasure: each customer their own; staff cannot ask for a customer's erasure.
        ("erasure_preview", vec![], Expect::Read([401, 200, 200, 401, 401])),
        ("request_erasure", vec![], Expect::Form([sign_in, "/erasure?e=erasure_sent", "/erasure?e=erasure_sent", sign_in, sign_in])),
        ("cancel_erasure", vec![], Expect::Form([sign_in, "/my-data?e=erasure_gone", "/my-data?e=erasure_gone", sign_in, sign_in])),
        // Exports: each customer their own; staff have no way to one (the download is a plain
        // post outside the server functions, tested in tests/export.rs).
        ("export_status", vec![], Expect::Read([401, 200, 200, 401, 401])),
        ("export_progress", vec![], Expect::Read([401, 200, 200, 401, 401])),
        ("request_export", vec![("code", "12345")],
            Expect::Form([sign_in, "/export?e=code_malformed&f=ask", "/export?e=code_malformed&f=ask", sign_in, sign_in])),
        ("acknowledge_policy", vec![("version", "1"), ("back", "consent")],
            Expect::Form([sign_in, "/consent?e=policy_acknowledged", "/consent?e=policy_acknowledged", sign_in, sign_in])),
    ];

    // Every server function the app defines is either public by design or in the matrix.
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src/api");
    let mut defined = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(src)];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                for (i, _) in text.match_indices("#[server(endpoint = \"") {
                    let rest = &text[i + 21..];
                    defined.push(rest[..rest.find('"').unwrap()].to_string());
                }
            }
        }
    }
    assert!(defined.len() >= 30, "found {} server functions", defined.len());
    for name in &defined {
        assert!(
            PUBLIC.contains(&name.as_str()) || matrix.iter().any(|(e, _, _)| e == name),
            "server function {name} is in neither the role matrix nor the public list"
        );
    }

    for (endpoint, args, expect) in &matrix {
        for (i, who) in WHO.iter().enumerate() {
            let cookie = f.cookie(*who);
            match expect {
                Expect::Read(statuses) => {
                    let res = app.send(endpoint, cookie.as_deref(), args, false).await;
                    assert_eq!(res.status().as_u16(), statuses[i], "{endpoint} as {who:?}");
                }
                Expect::Get(statuses) => {
                    let mut req = app.raw().get(app.url(&format!("/api/{endpoint}")));
                    if let Some(c) = &cookie {
                        req = req.header("cookie", c);
                    }
                    let res = req.send().await.unwrap();
                    assert_eq!(res.status().as_u16(), statuses[i], "{endpoint} as {who:?}");
                }
                Expect::Form(locations) => {
                    let res = app.send(endpoint, cookie.as_deref(), args, true).await;
                    let at = location(&res);
                    assert!(res.status().is_redirection(), "{endpoint} as {who:?}: {}", res.status());
                    assert!(at.starts_with(locations[i]), "{endpoint} as {who:?}: went to {at}, expected {}", locations[i]);
                }
            }
        }
    }
    // B refusing to cancel A's change is shown in authorisation.rs; here: nobody but A rated.
    let (rating,): (Option<i64>,) =
        sqlx::query_as("SELECT rating FROM requests WHERE id = $1").bind(f.a_closed).fetch_one(app.portal.store.pool()).await.unwrap();
    assert_eq!(rating, Some(5));
}

async fn masked_values_never_carry_the_hidden_text(portal: Portal) {
    let f = fixture(&portal).await;
    let a = customer_id(&portal, "a@example.test").await;
    set_fields(&portal, a, &[("phone", Some("+39 333 123 4567")), ("full_name", Some("Marco Bianchi")), ("date_of_birth", Some("1984-05-12"))]).await;
    let app = TestApp::start(portal).await;
    let hidden = ["a@example.test", "333 123", "4567", "Bianchi", "1984-05-12", "1984"];
    let agent = f.cookie(Who::Agent).unwrap();

    let json = app.send("staff_customer", Some(&agent), &[("reference", &f.a_ref)], false).await.text().await.unwrap();
    let html = app.staff_page(&format!("/staff/customers/{}", f.a_ref), &f.agent).await.text().await.unwrap();
    for (what, body) in [("server function", &json), ("page", &html)] {
        assert!(body.contains("M*** B***") && body.contains("+39 *** *** **67"), "{what} shows the masked values");
        for h in hidden {
            assert!(!body.contains(h), "{what} carries hidden text {h:?}");
        }
    }
    // The queue and a request page show the customer by reference only.
    let queue = app.staff_page("/staff", &f.agent).await.text().await.unwrap();
    assert!(queue.contains(&f.a_ref));
    for h in hidden {
        assert!(!queue.contains(h), "queue carries {h:?}");
    }

    // A reveal shows that one field, once, and the customer sees who and why.
    let res = app.send("staff_reveal", Some(&agent), &[("reference", &f.a_ref), ("field", "phone"), ("reason", "Calling back about order 1042")], true).await;
    assert!(location(&res).ends_with("#revealed"), "{}", location(&res));
    let html = app.staff_page(&format!("/staff/customers/{}", f.a_ref), &f.agent).await.text().await.unwrap();
    assert!(html.contains("+39 333 123 4567"), "revealed on the next page");
    assert!(!html.contains("Bianchi") && !html.contains("a@example.test"), "and nothing else");
    let again = app.staff_page(&format!("/staff/customers/{}", f.a_ref), &f.agent).await.text().await.unwrap();
    assert!(!again.contains("333 123"), "shown once");
    let log = app.page("/access-log", Some(&f.a_token)).await.text().await.unwrap();
    assert!(log.contains("Calling back about order 1042") && log.contains("Support agent"), "the customer reads the reveal");
    assert!(!log.contains("agent@example.test"), "staff are shown by role and pseudonym, never by email");
}

/// `server staff add` prints the password and the authenticator key once, and they work.
#[tokio::test]
async fn the_command_line_creates_staff_who_can_sign_in() {
    let dir = std::env::temp_dir().join(format!("custodia-staff-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_url = format!("sqlite://{}/cli.db?mode=rwc", dir.display());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", &db_url)
            .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
            .env_remove("CUSTODIA_STAFF_PASSWORD")
            .env_remove("CUSTODIA_STAFF_TOTP_KEY")
            .env("RUST_LOG", "error")
            .output()
            .unwrap()
    };
    let out = run(&["staff", "add", "--email", "Agent@Example.test", "--role", "agent"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let field = |label: &str| text.lines().find_map(|l| l.trim().strip_prefix(label)).map(str::trim).unwrap().to_string();
    let (password, key) = (field("password:"), field("authenticator key:"));
    assert!(password.len() >= 32, "a generated password is long");
    assert_eq!(run(&["staff", "add", "--email", "x@example.test", "--role", "boss"]).status.code(), Some(2), "unknown role");
    assert!(!run(&["staff", "add", "--email", "agent@example.test", "--role", "dpo"]).status.success(), "email taken");

    let store = domain::Store::connect(&db_url).await.unwrap();
    let keys = domain::testing::test_keys(&store).await;
    let portal = domain::Portal::new(store, domain::Clock::system(), keys, domain::Policy::default());
    let secret = domain::identity::totp::secret_from_base32(&key).unwrap();
    let code = domain::identity::totp::code_at(&secret, portal.now()).unwrap();
    let session = domain::staff::sign_in(&portal, "agent@example.test", &password, &code, &meta()).await.unwrap();
    let s = domain::staff::session::resolve(&portal, &session.token).await.unwrap().unwrap();
    assert_eq!(s.staff.role, Role::Agent);

    assert!(run(&["staff", "disable", "--email", "agent@example.test"]).status.success());
    assert!(domain::staff::session::resolve(&portal, &session.token).await.unwrap().is_none(), "disabled: signed out");
    portal.store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
