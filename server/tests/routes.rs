//! Every page route, as anonymous, customer A, customer B, agent and DPO, over real HTTP with
//! JavaScript off (both backends). Nobody gets a 2xx for a page that is not theirs: strangers are
//! sent to the right sign-in, customers never see staff pages, agents get 403 on DPO pages, and
//! B gets 404 for A's request. Every route the app declares must be in the table.

mod support;

use domain::Portal;
use domain::on_both_backends;
use domain::staff::Role;
use domain::testing::*;
use support::*;

on_both_backends!(every_page_answers_each_role_as_it_should);

/// What a role gets: a status, or a redirect to a path starting with this.
#[derive(Debug, Clone, Copy)]
enum Gets {
    Ok,
    Status(u16),
    To(&'static str),
}

async fn every_page_answers_each_role_as_it_should(portal: Portal) {
    let (a, _, _) = enrolled(&portal, "a@example.test").await;
    let (b, _, _) = enrolled(&portal, "b@example.test").await;
    let a_id = customer_id(&portal, "a@example.test").await;
    let (agent, _, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    let (dpo, dpo_session, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    let request = domain::requests::submit(&portal, a_id, "date_of_birth", "My date of birth is 7 March 1990.", &meta()).await.unwrap();
    let (reference,): (String,) = sqlx::query_as("SELECT public_id FROM customers WHERE id = $1").bind(a_id).fetch_one(portal.store.pool()).await.unwrap();
    let breach = domain::incidents::NewIncident {
        discovered_at: portal.now() - 600,
        what_happened: "A report was sent to the wrong customer.".into(),
        categories: vec!["contact".into()],
        approx_affected: 1,
        consequences: "Another customer saw an email address.".into(),
        measures: "The report was deleted by its recipient.".into(),
    };
    let incident = domain::incidents::record(&portal, &dpo_session, &breach, "192.0.2.1").await.unwrap();
    let app = TestApp::start(portal).await;

    let cookies = [
        None,
        Some(format!("custodia_session={a}")),
        Some(format!("custodia_session={b}")),
        Some(format!("custodia_staff={agent}")),
        Some(format!("custodia_staff={dpo}")),
    ];
    use Gets::*;
    let sign_in = To("/sign-in");
    let staff_in = To("/staff/sign-in");
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let own_request = leak(format!("/requests/{request}"));
    let staff_request = leak(format!("/staff/requests/{request}"));
    let staff_customer = leak(format!("/staff/customers/{reference}"));
    let staff_incident = leak(format!("/staff/incidents/{incident}"));
    // (route as declared, path to ask, what anonymous, A, B, agent, DPO get)
    let table: Vec<(&str, &str, [Gets; 5])> = vec![
        ("/", "/", [To("/my-data"); 5]),
        ("/sign-in", "/sign-in", [Ok; 5]),
        ("/staff/sign-in", "/staff/sign-in", [Ok; 5]),
        ("/confirmed", "/confirmed", [Ok; 5]),
        // Links from mail: anyone may open them; an unknown token shows a clear page.
        ("/confirm/{token}", "/confirm/not-a-real-link", [Ok; 5]),
        ("/revert-email/{token}", "/revert-email/not-a-real-link", [Ok; 5]),
        ("/password/reset/{token}", "/password/reset/not-a-real-link", [Ok; 5]),
        ("/password/forgot", "/password/forgot", [Ok; 5]),
        // Half-way sign-in steps: only a session at that step may use them.
        ("/sign-in/code", "/sign-in/code", [Ok; 5]),
        ("/enroll", "/enroll", [sign_in, sign_in, sign_in, sign_in, sign_in]),
        ("/recovery-codes", "/recovery-codes", [sign_in, Ok, Ok, sign_in, sign_in]),
        // The customer's own pages.
        ("/my-data", "/my-data", [sign_in, Ok, Ok, sign_in, sign_in]),
        ("/change/{field}", "/change/phone", [sign_in, Ok, Ok, sign_in, sign_in]),
        ("/requests/new", "/requests/new?subject=privacy", [Ok; 5]),
        ("/requests/{id}", own_request, [sign_in, Ok, Status(404), sign_in, sign_in]),
        ("/access-log", "/access-log", [sign_in, Ok, Ok, sign_in, sign_in]),
        ("/consent", "/consent", [sign_in, Ok, Ok, sign_in, sign_in]),
        ("/erasure", "/erasure", [sign_in, Ok, Ok, sign_in, sign_in]),
        ("/export", "/export", [sign_in, Ok, Ok, sign_in, sign_in]),
        ("/sessions", "/sessions", [sign_in, Ok, Ok, sign_in, sign_in]),
        ("/password", "/password", [sign_in, Ok, Ok, sign_in, sign_in]),
        ("/authenticator", "/authenticator", [sign_in, Ok, Ok, sign_in, sign_in]),
        // The staff console; oversight, incidents, records and the policy for DPOs only.
        ("/staff", "/staff", [staff_in, staff_in, staff_in, Ok, Ok]),
        ("/staff/requests/{id}", staff_request, [staff_in, staff_in, staff_in, Ok, Ok]),
        ("/staff/customers/{reference}", staff_customer, [staff_in, staff_in, staff_in, Ok, Ok]),
        ("/staff/oversight", "/staff/oversight", [staff_in, staff_in, staff_in, Status(403), Ok]),
        ("/staff/incidents", "/staff/incidents", [staff_in, staff_in, staff_in, Status(403), Ok]),
        ("/staff/incidents/{id}", staff_incident, [staff_in, staff_in, staff_in, Status(403), Ok]),
        ("/staff/records", "/staff/records", [staff_in, staff_in, staff_in, Status(403), Ok]),
        ("/staff/policy", "/staff/policy", [staff_in, staff_in, staff_in, Status(403), Ok]),
        // Trial mode only (no SMTP configured): everyone's mail, on purpose; absent otherwise.
        ("/dev/mailbox", "/dev/mailbox", [Ok; 5]),
    ];

    // Every route the app declares is in the table.
    // The server's own listing: listing again here would stall the other test's pages (see route_list).
    let declared: Vec<String> = server::startup::route_list().iter().map(|r| r.path().to_string()).collect();
    assert!(declared.len() >= 25, "{declared:?}");
    for route in &declared {
        assert!(table.iter().any(|(r, _, _)| r == route), "page route {route} is not in the table");
    }

    for (route, path, expected) in &table {
        for (who, cookie) in cookies.iter().enumerate() {
            let mut req = app.raw().get(app.url(path)).header("accept", "text/html");
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let at = location(&res);
            let ok = match expected[who] {
                Ok => (200..300).contains(&status),
                Status(s) => status == s,
                To(prefix) => res.status().is_redirection() && at.starts_with(prefix),
            };
            assert!(ok, "{route} ({path}) as #{who}: got {status} {at}, expected {:?}", expected[who]);
        }
    }
}
