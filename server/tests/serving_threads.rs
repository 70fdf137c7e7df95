//! Serving on threads that each run a scheduler and a database pool of their own
//! (`CUSTODIA_SERVE_THREADS`), over real HTTP on both backends. Connections are dealt to the
//! threads in turn, so consecutive new connections land on different threads: a session begun
//! on one works on the others and one ended on one is refused on all; the routes see each
//! client's address; pages asked for at once on many connections all come back whole.

mod support;

use domain::on_both_backends;
use domain::testing::*;
use domain::Portal;
use support::*;

on_both_backends!(threads_of_their_own_serve_the_same_portal);

const EMAIL: &str = "threads@example.test";

/// A client that opens a new connection for every request.
fn fresh() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).pool_max_idle_per_host(0).build().unwrap()
}

async fn my_data(app: &TestApp, token: &str) -> reqwest::Response {
    fresh()
        .get(app.url("/my-data"))
        .header("accept", "text/html")
        .header("cookie", format!("custodia_session={token}"))
        .send()
        .await
        .unwrap()
}

async fn threads_of_their_own_serve_the_same_portal(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, EMAIL).await;
    let mut config = test_config(None, None);
    config.serve_threads = 3;
    let app = TestApp::start_with_config(portal, config).await;

    // Thirty pages at once, each on a connection of its own: ten per thread.
    let pages = futures_util::future::join_all((0..30).map(|_| async {
        let res = my_data(&app, &here).await;
        (res.status(), res.text().await.unwrap())
    }))
    .await;
    for (status, page) in &pages {
        assert_eq!(*status, 200);
        assert!(page.contains(&format!("Customer {EMAIL}")), "the customer's own page");
    }

    // The pages were served by threads of their own, not by the test's scheduler (the other
    // backend's test, in this process too, may have its own threads by the same names).
    let names: Vec<String> = std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .map(|n| n.trim().to_string())
        .collect();
    for n in 0..3 {
        assert!(names.iter().any(|name| *name == format!("serve-{n}")), "{names:?}");
    }

    // A sign-in on one connection records the address the connection came from.
    let res = fresh()
        .post(app.url("/api/sign_in"))
        .header("origin", app.origin())
        .header("accept", "text/html")
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/sign-in/code");
    let (ip,): (String,) = sqlx::query_as("SELECT ip FROM sessions WHERE stage = 'needs_code'")
        .fetch_one(app.portal.store.pool())
        .await
        .unwrap();
    assert_eq!(ip, "127.0.0.1");

    // A second session, ended from the first over yet other connections: refused on each of
    // the next three (one per thread), while the first still works on each.
    let other = another_session(&app.portal, EMAIL, &secret).await;
    for _ in 0..3 {
        assert_eq!(my_data(&app, &other).await.status(), 200);
    }
    let res = fresh()
        .post(app.url("/api/end_other_sessions"))
        .header("origin", app.origin())
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .header("cookie", format!("custodia_session={here}"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/sessions?e=sessions_ended");
    for _ in 0..3 {
        assert!(my_data(&app, &other).await.status().is_redirection(), "the ended session is refused on every thread");
        assert_eq!(my_data(&app, &here).await.status(), 200);
    }
}
