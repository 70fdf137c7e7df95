//! Corrections and disputes over HTTP, as a browser without JavaScript sends them.

mod support;

use domain::Portal;
use domain::on_both_backends;
use domain::testing::*;
use support::*;

on_both_backends!(a_correction_request_from_form_to_my_data);

async fn a_correction_request_from_form_to_my_data(portal: Portal) {
    let (session, _, _) = enrolled(&portal, "ana@example.test").await;
    let app = TestApp::start(portal).await;

    let html = app.page("/my-data", Some(&session)).await.text().await.unwrap();
    assert!(html.contains("href=\"/requests/new?subject=date_of_birth\""), "date of birth offers a correction request");
    assert!(html.contains("href=\"/requests/new?subject=orders\""), "every category offers a dispute");

    let res = app.form("submit_request", Some(&session), &[("subject", "date_of_birth"), ("explanation", "short")]).await;
    let back = location(&res);
    assert_eq!(back, "/requests/new?subject=date_of_birth&e=explanation.required");
    let html = app.page(&back, Some(&session)).await.text().await.unwrap();
    let slot = html.find("id=\"field-explanation-error\"").expect("error slot");
    assert!(html[slot..].contains("at least 10 characters"), "message beside the field");

    let res = app.form("submit_request", Some(&session), &[("subject", "<script>"), ("explanation", "long enough text here")]).await;
    assert_eq!(location(&res), "/my-data?e=invalid");

    let res = app
        .form("submit_request", Some(&session), &[("subject", "date_of_birth"), ("explanation", "I was born on 7 March 1990.")])
        .await;
    assert_eq!(location(&res), "/my-data?e=request_sent#requests");
    let html = app.page("/my-data?e=request_sent", Some(&session)).await.text().await.unwrap();
    assert!(html.contains("Your requests to us") && html.contains("Correction") && html.contains("Received"));
    assert!(html.contains("We received your request"));

    let res = app.form("submit_request", None, &[("subject", "date_of_birth"), ("explanation", "I was born on 7 March 1990.")]).await;
    assert_eq!(location(&res), "/sign-in?e=expired", "signed-in customers only");
}
