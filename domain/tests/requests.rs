//! Corrections customers cannot make alone, and disputes, on SQLite and PostgreSQL.

use domain::error::Problem;
use domain::requests;
use domain::{Error, Portal};
use domain::on_both_backends;
use domain::requests::queue::{self, Order, Show};
use domain::requests::{Urgency, customer as mine, deadline, ratings, work};
use domain::staff::Role;
use domain::testing::*;
use domain::verification::{self, Field, NewValue};

on_both_backends!(
    a_correction_request_is_filed_with_its_deadline_and_nothing_changes,
    bad_requests_name_their_field,
    a_request_is_acknowledged_and_enters_the_queue_by_deadline,
    an_extension_is_bounded_reasoned_and_mailed,
    a_proposed_correction_is_written_only_when_the_customer_confirms,
    customers_reply_on_their_own_requests_and_rate_closed_ones,
    rejecting_needs_a_reason_and_closes_the_request,
);

async fn a_correction_request_is_filed_with_its_deadline_and_nothing_changes(portal: Portal) {
    let id = customer(&portal, "ana@example.test").await;
    let other = customer(&portal, "bo@example.test").await;
    let dob = person(&portal, id).await.date_of_birth;
    let r = requests::submit(&portal, id, "date_of_birth", "My date of birth is 7 March 1990, not what you hold.", &meta())
        .await
        .unwrap();
    requests::submit(&portal, id, "orders", "Order 1042 is not mine; please check it.", &meta()).await.unwrap();
    let mine = requests::for_customer(portal.store.pool(), id).await.unwrap();
    assert_eq!(mine.len(), 2);
    let correction = mine.iter().find(|x| x.id == r).unwrap();
    assert_eq!((correction.kind.as_str(), correction.status.as_str()), ("correction", "new"));
    assert_eq!(correction.due_at, requests::one_month_after(correction.received_at));
    assert!(mine.iter().any(|x| x.kind == "dispute" && x.subject == "orders"));
    assert!(requests::for_customer(portal.store.pool(), other).await.unwrap().is_empty(), "others see none of them");
    let after = person(&portal, id).await.date_of_birth;
    assert_eq!(after, dob, "a request changes no data");
    let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 AND action = 'requests.submitted'")
        .bind(id)
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(audited, 2);
}

async fn bad_requests_name_their_field(portal: Portal) {
    let id = customer(&portal, "ana@example.test").await;
    let cases = [
        ("password_hash", "please change it for me", "subject"),
        ("date_of_birth", "   short ", "explanation"),
        ("date_of_birth", &"x".repeat(2001), "explanation"),
        ("date_of_birth", "ten chars and a \u{0} null", "explanation"),
    ];
    for (subject, text, field) in cases {
        match requests::submit(&portal, id, subject, text, &meta()).await {
            Err(Error::Invalid { field: f, problem }) => {
                assert_eq!(f, field, "{subject}");
                assert_ne!(problem, Problem::Unchanged);
            }
            other => panic!("{subject}: {other:?}"),
        }
    }
    assert!(requests::for_customer(portal.store.pool(), id).await.unwrap().is_empty());
}

async fn a_request_is_acknowledged_and_enters_the_queue_by_deadline(portal: Portal) {
    let ana = customer(&portal, "ana@example.test").await;
    let bo = customer(&portal, "bo@example.test").await;
    let first = requests::submit(&portal, ana, "date_of_birth", "My date of birth is 7 March 1990.", &meta()).await.unwrap();
    portal.clock.advance(86_400);
    let second = requests::submit(&portal, bo, "privacy", "Why do you share my orders with a courier?", &meta()).await.unwrap();
    let ack = last_mail_to(&portal, "ana@example.test").await.expect("acknowledgement");
    assert!(ack.subject.contains("We received your request"), "{}", ack.subject);
    assert!(ack.text.contains(&format!("/requests/{first}")), "the mail links the request");

    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    let open = queue::list(&portal, &agent, Show::Open, Order::Deadline).await.unwrap();
    assert_eq!(open.iter().map(|r| r.id).collect::<Vec<_>>(), vec![first, second], "nearest deadline first");
    assert_eq!(open[1].kind, "complaint");
    assert!(open.iter().all(|r| r.urgency == Urgency::OnTrack));
    let newest = queue::list(&portal, &agent, Show::Open, Order::Received).await.unwrap();
    assert_eq!(newest[0].id, second);

    portal.clock.advance(24 * 86_400);
    let soon = queue::list(&portal, &agent, Show::Open, Order::Deadline).await.unwrap();
    assert_eq!(soon[0].urgency, Urgency::DueSoon);
    assert!(queue::list(&portal, &agent, Show::Overdue, Order::Deadline).await.unwrap().is_empty());
    portal.clock.advance(10 * 86_400);
    let overdue = queue::list(&portal, &agent, Show::Overdue, Order::Deadline).await.unwrap();
    assert_eq!(overdue.len(), 2);
    assert!(overdue.iter().all(|r| r.urgency == Urgency::Overdue));

    assert!(queue::list(&portal, &agent, Show::Mine, Order::Deadline).await.unwrap().is_empty());
    work::assign_to_me(&portal, &agent, first, &meta()).await.unwrap();
    let mine_now = queue::list(&portal, &agent, Show::Mine, Order::Deadline).await.unwrap();
    assert_eq!((mine_now.len(), mine_now[0].status.as_str()), (1, "in_progress"));
    assert_eq!(mine_now[0].assignee.as_deref(), Some(agent.staff.pseudonym.as_str()));

    let opened = queue::open(&portal, &agent, first, &meta()).await.unwrap();
    let kinds: Vec<&str> = opened.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["received", "mail", "assigned", "status"]);
    assert!(!opened.may_extend, "the first month is over");
    let log = domain::staff::access::for_customer(&portal, ana, 5).await.unwrap();
    assert_eq!(log[0].what, format!("request.viewed:{first}"), "opening a request is a read the customer sees");
}

async fn an_extension_is_bounded_reasoned_and_mailed(portal: Portal) {
    let ana = customer(&portal, "ana@example.test").await;
    let id = requests::submit(&portal, ana, "orders", "Order 1042 is not mine; please check it.", &meta()).await.unwrap();
    let received = requests::for_customer(portal.store.pool(), ana).await.unwrap()[0].received_at;
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    assert!(matches!(
        work::extend(&portal, &agent, id, 1, "busy", &meta()).await,
        Err(Error::Invalid { field: "reason", .. })
    ));
    assert!(matches!(
        work::extend(&portal, &agent, id, 3, "The courier's records take weeks to obtain.", &meta()).await,
        Err(Error::Invalid { field: "months", .. })
    ));
    let due = work::extend(&portal, &agent, id, 1, "The courier's records take weeks to obtain.", &meta()).await.unwrap();
    assert_eq!(due, deadline::due(received, 1));
    let mail = last_mail_to(&portal, "ana@example.test").await.unwrap();
    assert!(mail.subject.contains("more time") && mail.text.contains("The courier's records take weeks to obtain."));
    assert!(matches!(
        work::extend(&portal, &agent, id, 2, "Still waiting for the courier's records.", &meta()).await,
        Err(Error::Invalid { field: "months", .. })
    ), "three months in all at most");
    portal.clock.advance(31 * 86_400);
    assert!(matches!(
        work::extend(&portal, &agent, id, 1, "Still waiting for the courier's records.", &meta()).await,
        Err(Error::Invalid { field: "months", .. })
    ), "only within the first month");
    let r = &requests::for_customer(portal.store.pool(), ana).await.unwrap()[0];
    assert_eq!(r.due_at, deadline::due(received, 1));
}

async fn a_proposed_correction_is_written_only_when_the_customer_confirms(portal: Portal) {
    let (_token, secret, _) = enrolled(&portal, "ana@example.test").await;
    let ana = customer_id(&portal, "ana@example.test").await;
    assert!(
        verification::request_change(&portal, ana, Field::DateOfBirth, NewValue::Text("1990-03-07".into()), &meta()).await.is_err(),
        "the customer cannot change the date of birth alone"
    );
    let id = requests::submit(&portal, ana, "date_of_birth", "My date of birth is 7 March 1990.", &meta()).await.unwrap();
    let dispute = requests::submit(&portal, ana, "orders", "Order 1042 is not mine; please check it.", &meta()).await.unwrap();
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    assert!(matches!(
        work::propose(&portal, &agent, dispute, "1990-03-07", &meta()).await,
        Err(Error::Invalid { field: "value", .. })
    ), "only corrections of a field take a value");
    assert!(matches!(
        work::propose(&portal, &agent, id, "07/03/1990", &meta()).await,
        Err(Error::Invalid { field: "value", problem: Problem::Malformed })
    ));
    work::propose(&portal, &agent, id, "1990-03-07", &meta()).await.unwrap();
    let dob = || async {
        person(&portal, ana).await.date_of_birth
    };
    assert_ne!(dob().await.as_deref(), Some("1990-03-07"), "nothing is written on a proposal");
    assert_eq!(requests::for_customer(portal.store.pool(), ana).await.unwrap().iter().find(|r| r.id == id).unwrap().status, "waiting_customer");
    let mail = last_mail_to(&portal, "ana@example.test").await.unwrap();
    let link = token_in(&mail.text, "/confirm/").expect("confirmation link");
    portal.clock.advance(30);
    let code = domain::identity::totp::code_at(&secret, portal.now()).unwrap();
    verification::confirm(&portal, &link, &code, Some(ana), &meta()).await.unwrap();
    assert_eq!(dob().await.as_deref(), Some("1990-03-07"));
    let seen = mine::detail(&portal, ana, id).await.unwrap();
    assert_eq!(seen.request.status, "done");
    let kinds: Vec<&str> = seen.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert!(kinds.ends_with(&["proposed", "mail", "status", "confirmed", "status"]), "{kinds:?}");
    let proposer = seen.timeline.iter().find(|e| e.kind == "proposed").unwrap();
    assert_eq!(proposer.staff, Some(("agent".to_string(), agent.staff.pseudonym.clone())));
}

async fn customers_reply_on_their_own_requests_and_rate_closed_ones(portal: Portal) {
    let ana = customer(&portal, "ana@example.test").await;
    let bo = customer(&portal, "bo@example.test").await;
    let id = requests::submit(&portal, ana, "orders", "Order 1042 is not mine; please check it.", &meta()).await.unwrap();
    assert!(matches!(mine::detail(&portal, bo, id).await, Err(Error::NotFound)), "another customer's request");
    assert!(matches!(mine::reply(&portal, bo, id, "hello", &meta()).await, Err(Error::NotFound)));
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    let (_, dpo, _) = staff_signed_in(&portal, "dpo@example.test", Role::Dpo).await;
    work::reply(&portal, &agent, id, "waiting_customer", "Which delivery address did it go to?", &meta()).await.unwrap();
    let mail = last_mail_to(&portal, "ana@example.test").await.unwrap();
    assert!(mail.text.contains("Which delivery address did it go to?") && mail.text.contains("waiting for you"));
    assert!(matches!(mine::rate(&portal, ana, id, 5, "").await, Err(Error::Invalid { field: "rating", .. })), "only closed requests");
    mine::reply(&portal, ana, id, "To Calle Falsa 123, which is not my address.", &meta()).await.unwrap();
    assert_eq!(mine::detail(&portal, ana, id).await.unwrap().request.status, "in_progress", "back to staff");
    work::reply(&portal, &agent, id, "done", "We removed the order from your account.", &meta()).await.unwrap();
    assert!(matches!(mine::reply(&portal, ana, id, "thanks", &meta()).await, Err(Error::Invalid { .. })), "closed");
    assert!(matches!(mine::rate(&portal, ana, id, 6, "").await, Err(Error::Invalid { field: "rating", .. })));
    mine::rate(&portal, ana, id, 4, "Quick and clear.").await.unwrap();
    assert!(matches!(mine::rate(&portal, ana, id, 1, "").await, Err(Error::Invalid { field: "rating", problem: Problem::Unchanged })));
    let other = requests::submit(&portal, bo, "privacy", "Please stop profiling my purchases.", &meta()).await.unwrap();
    work::reply(&portal, &agent, other, "done", "Profiling is now off for your account.", &meta()).await.unwrap();
    mine::rate(&portal, bo, other, 2, "").await.unwrap();
    let summary = ratings::summary(&portal, &dpo.staff).await.unwrap();
    let by_kind: Vec<(&str, i64, i64)> = summary.iter().map(|s| (s.kind.as_str(), s.count, s.average_hundredths)).collect();
    assert_eq!(by_kind, vec![("complaint", 1, 200), ("dispute", 1, 400)]);
    assert!(matches!(ratings::summary(&portal, &agent.staff).await, Err(Error::Forbidden)));
    let timeline = mine::detail(&portal, ana, id).await.unwrap().timeline;
    let messages: Vec<(&str, &str)> =
        timeline.iter().filter(|e| e.kind == "message").map(|e| (e.actor.as_str(), e.body.as_str())).collect();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[1], ("customer", "To Calle Falsa 123, which is not my address."));
}

async fn rejecting_needs_a_reason_and_closes_the_request(portal: Portal) {
    let ana = customer(&portal, "ana@example.test").await;
    let id = requests::submit(&portal, ana, "full_name", "Please spell my name with a capital letter in de.", &meta()).await.unwrap();
    let (_, agent, _) = staff_signed_in(&portal, "agent@example.test", Role::Agent).await;
    assert!(matches!(
        work::reply(&portal, &agent, id, "rejected", "   ", &meta()).await,
        Err(Error::Invalid { field: "message", problem: Problem::Required })
    ));
    assert!(matches!(work::reply(&portal, &agent, id, "new", "back to new", &meta()).await, Err(Error::Invalid { field: "status", .. })));
    work::reply(&portal, &agent, id, "rejected", "Your passport spells it in lower case.", &meta()).await.unwrap();
    let mail = last_mail_to(&portal, "ana@example.test").await.unwrap();
    assert!(mail.text.contains("Your passport spells it in lower case.") && mail.text.contains("rejected"));
    assert!(matches!(
        work::reply(&portal, &agent, id, "done", "Changed my mind.", &meta()).await,
        Err(Error::Invalid { field: "status", problem: Problem::Unchanged })
    ), "a closed request stays closed");
    assert_eq!(queue::list(&portal, &agent, Show::Closed, Order::Deadline).await.unwrap().len(), 1);
    assert!(queue::list(&portal, &agent, Show::Open, Order::Deadline).await.unwrap().is_empty());
}
