//! Several servers in one process, as the test suites run them: starting one while another is
//! rendering pages never leaves a page without an answer. Each start used to list the app's
//! routes, which switches resource loading off process-wide for a moment (leptos issue #4773);
//! a page whose data began loading in that moment waited forever. Seen as rare 60-second
//! timeouts in authorisation.rs and sessions.rs; the routes are now listed once per process.

mod support;

use std::time::Duration;

use domain::testing::*;
use domain::Backend;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starting_servers_never_stalls_a_page_being_rendered() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let (token, _, _) = enrolled(&db.portal, "a@example.test").await;
    let app = TestApp::start(db.portal.clone()).await;
    let starting = tokio::spawn({
        let portal = db.portal.clone();
        async move {
            for _ in 0..60 {
                TestApp::start(portal.clone()).await;
            }
        }
    });
    let mut pages = 0;
    while !starting.is_finished() {
        let page = async {
            let res = app.page("/my-data", Some(&token)).await;
            (res.status(), res.text().await.unwrap())
        };
        let (status, body) = tokio::time::timeout(Duration::from_secs(10), page)
            .await
            .expect("a page got no answer within 10 s while other servers started");
        assert_eq!(status, 200);
        assert!(body.contains("</html>"), "the page ended early");
        pages += 1;
    }
    starting.await.unwrap();
    assert!(pages >= 5, "only {pages} pages overlapped the starts");
    db.finish().await;
}
