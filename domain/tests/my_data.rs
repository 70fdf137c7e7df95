//! The "My data" read model and the import that fills it, on SQLite and PostgreSQL.

use domain::profile::{self, Cell, MyData};
use domain::{Backend, Error, Lang, Portal};
use domain::on_both_backends;
use domain::testing::*;

on_both_backends!(
    my_data_shows_every_category_with_its_explanations,
    activity_is_paged,
    one_customer_never_sees_another_customers_rows,
    texts_follow_the_language,
    a_failing_import_writes_nothing,
    outstanding_says_which_lists_hold_something,
    each_list_keeps_its_own_order_and_columns,
    the_signed_in_read_shows_only_the_sessions_own_customer,
    the_signed_in_read_is_the_page_read_by_id,
    the_activity_total_follows_every_insert_and_delete,
);

fn category<'a>(data: &'a MyData, key: &str) -> &'a profile::CategoryData {
    data.categories.iter().find(|c| c.info.key == key).unwrap_or_else(|| panic!("no {key}"))
}

fn all_text(data: &MyData) -> String {
    let mut out = String::new();
    for c in &data.categories {
        for (_, v) in &c.fields {
            let (Cell::Text(t) | Cell::Term(t)) = v;
            out.push_str(t);
            out.push('\n');
        }
        for row in c.table.iter().flat_map(|t| &t.rows) {
            for v in row {
                let (Cell::Text(t) | Cell::Term(t)) = v;
                out.push_str(t);
                out.push('\n');
            }
        }
    }
    out
}

async fn my_data_shows_every_category_with_its_explanations(portal: Portal) {
    let id = customer(&portal, "nora@example.test").await;
    let data = profile::my_data(&portal, id, Lang::En, 0).await.unwrap();
    let keys: Vec<&str> = data.categories.iter().map(|c| c.info.key.as_str()).collect();
    for key in ["profile", "contact", "addresses", "orders", "support", "preferences", "activity", "security"] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    for c in &data.categories {
        for (what, text) in [
            ("purpose", &c.info.texts.purpose),
            ("legal basis", &c.info.texts.legal_basis),
            ("retention", &c.info.texts.retention),
            ("source", &c.info.texts.source),
        ] {
            assert!(!text.trim().is_empty(), "{} has no {what}", c.info.key);
        }
    }
    assert_eq!(category(&data, "orders").table.as_ref().unwrap().total, 14);
    assert_eq!(category(&data, "addresses").table.as_ref().unwrap().total, 3);
    assert!(all_text(&data).contains("Customer nora@example.test"));
    assert!(all_text(&data).contains("nora@example.test"));
}

async fn activity_is_paged(portal: Portal) {
    let id = customer(&portal, "olga@example.test").await;
    let first = profile::my_data(&portal, id, Lang::En, 0).await.unwrap();
    let table = category(&first, "activity").table.clone().unwrap();
    assert_eq!(table.rows.len() as i64, profile::ACTIVITY_PAGE_SIZE);
    assert!(table.total > profile::ACTIVITY_PAGE_SIZE * 2);
    let last_page = (table.total - 1) / table.page_size;
    let last = profile::my_data(&portal, id, Lang::En, last_page).await.unwrap();
    let last_rows = category(&last, "activity").table.clone().unwrap().rows;
    assert_eq!(last_rows.len() as i64, table.total - last_page * table.page_size);
    assert_ne!(table.rows[0], last_rows[0]);
    // A page beyond the end, or a negative one, is clamped rather than an error.
    assert!(profile::my_data(&portal, id, Lang::En, 10_000).await.is_ok());
    assert!(profile::my_data(&portal, id, Lang::En, -3).await.is_ok());
}

async fn one_customer_never_sees_another_customers_rows(portal: Portal) {
    let a = customer(&portal, "pia@example.test").await;
    let b = customer(&portal, "quin@example.test").await;
    let a_text = all_text(&profile::my_data(&portal, a, Lang::En, 0).await.unwrap());
    let b_text = all_text(&profile::my_data(&portal, b, Lang::En, 0).await.unwrap());
    assert!(a_text.contains("pia@example.test") && !a_text.contains("quin@example.test"));
    assert!(b_text.contains("quin@example.test") && !b_text.contains("pia@example.test"));
    assert!(matches!(profile::my_data(&portal, 999_999, Lang::En, 0).await, Err(Error::NotFound)));
}

async fn texts_follow_the_language(portal: Portal) {
    let id = customer(&portal, "rita@example.test").await;
    let en = profile::my_data(&portal, id, Lang::En, 0).await.unwrap();
    let es = profile::my_data(&portal, id, Lang::Es, 0).await.unwrap();
    let it = profile::my_data(&portal, id, Lang::It, 0).await.unwrap();
    let title = |d: &MyData| category(d, "orders").info.texts.title.clone();
    assert_ne!(title(&en), title(&es));
    assert_ne!(title(&en), title(&it));
    assert_ne!(title(&es), title(&it));
}

async fn a_failing_import_writes_nothing(portal: Portal) {
    let good = domain::demo::customer("sam@example.test", portal.now());
    let mut bad = domain::demo::customer("not-an-email", portal.now());
    bad.full_name = "Bad".into();
    let file = domain::import::ImportFile { catalogue: None, customers: vec![good.clone(), bad] };
    let r = domain::import::run(&portal, &file).await;
    assert!(matches!(r, Err(Error::Invalid { field: "email", .. })), "{r:?}");

    let dup = domain::import::ImportFile { catalogue: None, customers: vec![good.clone(), good] };
    assert!(domain::import::run(&portal, &dup).await.is_err(), "a duplicate email fails the import");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM customers").fetch_one(portal.store.pool()).await.unwrap();
    let (orders,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders").fetch_one(portal.store.pool()).await.unwrap();
    assert_eq!((n, orders), (0, 0), "nothing half-imported");
}

/// The page asks for pending changes and requests only when the read says there are some: a
/// flag that stayed off would hide them.
async fn outstanding_says_which_lists_hold_something(portal: Portal) {
    use domain::verification::{self, Field, NewValue};

    let id = customer(&portal, "uma@example.test").await;
    let fresh = profile::my_data(&portal, id, Lang::En, 0).await.unwrap();
    assert_eq!(fresh.outstanding, profile::Outstanding::default(), "a new customer has nothing outstanding");

    verification::request_change(&portal, id, Field::Phone, NewValue::Text("+34 600 111 222".into()), &meta()).await.unwrap();
    let after_change = profile::my_data(&portal, id, Lang::En, 0).await.unwrap().outstanding;
    assert!(after_change.pending_changes && !after_change.requests);
    assert_eq!(verification::pending_for(portal.store.pool(), &portal, id).await.unwrap().len(), 1);

    domain::requests::submit(&portal, id, "orders", "Order 1042 is not mine; please check it.", &meta()).await.unwrap();
    let after_request = profile::my_data(&portal, id, Lang::En, 0).await.unwrap().outstanding;
    assert!(after_request.pending_changes && after_request.requests);
    assert!(!after_request.incident_notices && !after_request.erasure && !after_request.policy_changes);
}

/// The record lists arrive in one query (`records_query!` in profile.rs); each must still come out in its
/// own order, with its own columns in place, and the activity page must be the one asked for.
async fn each_list_keeps_its_own_order_and_columns(portal: Portal) {
    let id = customer(&portal, "quinn@example.test").await;
    let pool = portal.store.pool();
    let first_column = |data: &MyData, key: &str| -> Vec<String> {
        let rows = &category(data, key).table.as_ref().unwrap().rows;
        rows.iter().map(|r| { let (Cell::Text(t) | Cell::Term(t)) = &r[0]; t.clone() }).collect()
    };
    let column = |sql: &'static str| async move {
        let rows: Vec<(String,)> = sqlx::query_as(sql).bind(id).fetch_all(pool).await.unwrap();
        rows.into_iter().map(|r| r.0).collect::<Vec<_>>()
    };
    let data = profile::my_data(&portal, id, Lang::En, 0).await.unwrap();

    let orders = column("SELECT order_number FROM orders WHERE customer_id = $1 ORDER BY placed_at DESC, id DESC").await;
    assert!(orders.len() > 1);
    assert_eq!(first_column(&data, "orders"), orders);
    let tickets = column("SELECT reference FROM support_tickets WHERE customer_id = $1 ORDER BY opened_at DESC, id DESC").await;
    assert!(!tickets.is_empty());
    assert_eq!(first_column(&data, "support"), tickets);
    let topics = column("SELECT topic FROM communication_preferences WHERE customer_id = $1 ORDER BY topic, channel").await;
    assert!(!topics.is_empty());
    assert_eq!(first_column(&data, "preferences"), topics.iter().map(|t| format!("topic_{t}")).collect::<Vec<_>>());

    // Addresses: opened, oldest first, each with its id for the change form.
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM addresses WHERE customer_id = $1 ORDER BY id").bind(id).fetch_all(pool).await.unwrap();
    let addresses = category(&data, "addresses").table.as_ref().unwrap();
    assert!(ids.len() > 1);
    assert_eq!(addresses.ids, ids.into_iter().map(|r| r.0).collect::<Vec<_>>());
    let opened = domain::vault::customer::addresses(pool, &portal, id, None).await.unwrap();
    assert_eq!(first_column(&data, "addresses"), opened.iter().map(|a| a.value.label.clone()).collect::<Vec<_>>());
    assert!(matches!(&addresses.rows[0][2], Cell::Text(city) if *city == opened[0].value.city));

    // Columns in place: an order's total is money, a ticket's channel and status are terms.
    let order = &category(&data, "orders").table.as_ref().unwrap().rows[0];
    assert!(matches!(&order[3], Cell::Text(t) if t.chars().any(|c| c.is_ascii_digit())), "{order:?}");
    assert!(matches!(&order[4], Cell::Term(t) if t.starts_with("status_")), "{order:?}");
    let ticket = &category(&data, "support").table.as_ref().unwrap().rows[0];
    assert!(matches!(&ticket[2], Cell::Term(t) if t.starts_with("channel_")), "{ticket:?}");
    assert!(matches!(&ticket[4], Cell::Term(t) if t.starts_with("status_")), "{ticket:?}");

    // Activity: the page asked for, newest first; a page past the end is the last one.
    let kinds = column("SELECT kind FROM activity_events WHERE customer_id = $1 ORDER BY occurred_at DESC, id DESC").await;
    let size = profile::ACTIVITY_PAGE_SIZE as usize;
    assert!(kinds.len() > size);
    let expect = |page: usize| -> Vec<String> {
        kinds.iter().skip(page * size).take(size).map(|k| format!("activity_{k}")).collect()
    };
    let second = profile::my_data(&portal, id, Lang::En, 1).await.unwrap();
    let what = |data: &MyData| -> Vec<String> {
        let rows = &category(data, "activity").table.as_ref().unwrap().rows;
        rows.iter().map(|r| { let (Cell::Text(t) | Cell::Term(t)) = &r[1]; t.clone() }).collect()
    };
    assert_eq!(what(&data), expect(0));
    assert_eq!(what(&second), expect(1));
    let last_page = (kinds.len() - 1) / size;
    let beyond = profile::my_data(&portal, id, Lang::En, 10_000).await.unwrap();
    assert_eq!(category(&beyond, "activity").table.as_ref().unwrap().page, last_page as i64);
    assert_eq!(what(&beyond), expect(last_page));
}

/// The page reads who is asking together with what it shows: the session decides whose data
/// comes back, and a token that stands for no live, fully signed-in session gets nothing.
async fn the_signed_in_read_shows_only_the_sessions_own_customer(portal: Portal) {
    use domain::identity::{self, SignInStep};

    let read = |token: String| {
        let portal = portal.clone();
        async move {
            let catalogue = domain::catalogue::load(&portal, Lang::En).await.unwrap();
            profile::signed_in(&portal, catalogue, &token, Lang::En, 0).await.unwrap()
        }
    };
    let (sara, _, _) = enrolled(&portal, "sara@example.test").await;
    let (tom, _, _) = enrolled(&portal, "tom@example.test").await;
    let (session, data) = read(sara.clone()).await.expect("a live session reads its page");
    assert_eq!(session.customer_id, customer_id(&portal, "sara@example.test").await);
    assert_eq!(all_text(&data), all_text(&profile::my_data(&portal, session.customer_id, Lang::En, 0).await.unwrap()));
    assert!(all_text(&data).contains("sara@example.test") && !all_text(&data).contains("tom@example.test"));
    let (_, theirs) = read(tom.clone()).await.unwrap();
    assert!(all_text(&theirs).contains("tom@example.test") && !all_text(&theirs).contains("sara@example.test"));

    // Forged, empty and oversized tokens, and a session half-way through signing in: nothing.
    for forged in [String::new(), domain::keys::random_token(), "x".repeat(65), "' OR 1=1 --".into()] {
        assert!(read(forged).await.is_none());
    }
    customer(&portal, "ugo@example.test").await;
    let SignInStep::NeedsEnrollment(half) =
        identity::sign_in(&portal, "ugo@example.test", PASSWORD, &meta(), None).await.unwrap()
    else {
        panic!("a new customer must enroll first")
    };
    assert!(read(half.token).await.is_none(), "a half session reads no page");

    // An idle session ends here as it does everywhere else: deleted, and no page.
    portal.clock.advance(portal.policy.session_idle_secs + 1);
    assert!(read(sara.clone()).await.is_none());
    assert_eq!(session_row_count(&portal, &sara).await, 0, "the expired session is deleted on sight");
}

/// The signed-in read is the page read by the customer's id, every list, row and column, on the
/// first page, a later one and pages out of range; and a session stays readable up to the last
/// second of its idle limit, not one second more. The signed-in read goes through the backend's
/// native pool and the read by id through sqlx's `Any` driver, so this compares the two.
async fn the_signed_in_read_is_the_page_read_by_id(portal: Portal) {
    let read = |token: String, page: i64| {
        let portal = portal.clone();
        async move {
            let catalogue = domain::catalogue::load(&portal, Lang::Es).await.unwrap();
            profile::signed_in(&portal, catalogue, &token, Lang::Es, page).await.unwrap()
        }
    };
    // The boundary below is exact to the second: the wall clock must not tick under it.
    portal.clock.freeze();
    let (vera, _, _) = enrolled(&portal, "vera@example.test").await;
    let id = customer_id(&portal, "vera@example.test").await;
    for page in [0, 1, -2, 10_000] {
        let (session, signed_in) = read(vera.clone(), page).await.expect("a live session reads its page");
        assert_eq!(session.customer_id, id);
        let by_id = profile::my_data(&portal, id, Lang::Es, page).await.unwrap();
        assert_eq!(format!("{signed_in:?}"), format!("{by_id:?}"), "page {page}");
    }
    // Empty optional fields (on PostgreSQL the first page's header carries them by position).
    assert!(format!("{:?}", read(vera.clone(), 0).await.unwrap().1).contains("+34"), "the phone is shown");
    set_fields(&portal, id, &[("phone", None), ("date_of_birth", None)]).await;
    let (_, without) = read(vera.clone(), 0).await.expect("a live session reads its page");
    assert_eq!(format!("{without:?}"), format!("{:?}", profile::my_data(&portal, id, Lang::Es, 0).await.unwrap()));
    assert!(!format!("{without:?}").contains("+34"), "the phone is gone");
    match portal.store.backend() {
        Backend::Postgres => {
            let native = portal.store.native_postgres().expect("PostgreSQL has a native pool");
            assert!(native.size() > 0, "the signed-in read did not use the native pool");
            assert!(portal.store.native_sqlite().is_none());
        }
        Backend::Sqlite => {
            assert!(portal.store.native_postgres().is_none());
            let native = portal.store.native_sqlite().expect("SQLite has a native pool");
            assert!(native.size() > 0, "the signed-in read did not use the native pool");
        }
    }
    let data = read(vera.clone(), 0).await.unwrap().1;
    for key in ["addresses", "orders", "support", "preferences", "activity"] {
        assert!(!category(&data, key).table.as_ref().unwrap().rows.is_empty(), "{key} is empty: the comparison proves nothing");
    }

    // Idle for exactly the limit: still signed in (the list rows too); one second more: nothing.
    portal.clock.advance(portal.policy.session_idle_secs);
    let (_, at_limit) = read(vera.clone(), 0).await.expect("live at the idle limit");
    assert_eq!(format!("{at_limit:?}"), format!("{:?}", profile::my_data(&portal, id, Lang::Es, 0).await.unwrap()));
    portal.clock.advance(portal.policy.session_idle_secs + 1);
    assert!(read(vera.clone(), 0).await.is_none());
}

async fn session_row_count(portal: &Portal, token: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE id_hash = $1")
        .bind(domain::keys::token_hash(token))
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    n
}

/// The activity total the page shows and the events actually held: the total is kept by the
/// database (`activity_counts`) instead of counted on each visit, so it must follow every way
/// events come and go.
async fn activity_totals(portal: &Portal, id: i64) -> (i64, i64) {
    let (held,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM activity_events WHERE customer_id = $1").bind(id).fetch_one(portal.store.pool()).await.unwrap();
    let data = profile::my_data(portal, id, Lang::En, 0).await.unwrap();
    (held, category(&data, "activity").table.as_ref().unwrap().total)
}

async fn the_activity_total_follows_every_insert_and_delete(portal: Portal) {
    let (_, secret, _) = enrolled(&portal, "wes@example.test").await;
    let a = customer_id(&portal, "wes@example.test").await;
    let b = customer(&portal, "xia@example.test").await;
    let (start, shown) = activity_totals(&portal, a).await;
    assert!(start > 0, "the import brought activity");
    assert_eq!(shown, start, "imported events are counted");
    let b_before = activity_totals(&portal, b).await;
    let exec = |sql: String| {
        let portal = portal.clone();
        async move { sqlx::query(&sql).execute(portal.store.pool()).await.unwrap().rows_affected() }
    };

    // Several rows in one statement, and a sign-in, which records an event of its own.
    let now = portal.now();
    let old = now - 400 * 86_400;
    exec(format!(
        "INSERT INTO activity_events (customer_id, occurred_at, kind, detail) VALUES \
         ({a}, {now}, 'page_view', '/1'), ({a}, {now}, 'page_view', '/2'), ({b}, {now}, 'page_view', '/3'), \
         ({a}, {old}, 'page_view', '/old'), ({a}, {old}, 'page_view', '/older')"
    ))
    .await;
    let (held, shown) = activity_totals(&portal, a).await;
    assert_eq!((held, shown), (start + 4, start + 4));
    another_session(&portal, "wes@example.test", &secret).await;
    let (held, shown) = activity_totals(&portal, a).await;
    assert_eq!((held, shown), (start + 5, start + 5), "a sign-in records its own event");

    // Retention takes the events past their period.
    domain::retention::sweep(&portal).await.unwrap();
    let (after_sweep, shown) = activity_totals(&portal, a).await;
    assert!(after_sweep < held, "the sweep removed the year-old events ({held} -> {after_sweep})");
    assert_eq!(shown, after_sweep, "after the retention sweep");

    // Deletes of some rows, then of all; the other customer keeps theirs.
    let some = exec(format!("DELETE FROM activity_events WHERE id IN (SELECT id FROM activity_events WHERE customer_id = {a} LIMIT 3)")).await;
    assert_eq!(some, 3);
    let (held, shown) = activity_totals(&portal, a).await;
    assert_eq!((held, shown), (after_sweep - 3, after_sweep - 3));
    exec(format!("DELETE FROM activity_events WHERE customer_id = {a}")).await;
    assert_eq!(activity_totals(&portal, a).await, (0, 0));
    let (b_held, b_shown) = activity_totals(&portal, b).await;
    assert_eq!((b_held, b_shown), (b_before.0 + 1, b_before.0 + 1), "the other customer's total moved only by their own event");

    // A customer whose count row is missing reads as having none.
    exec(format!("DELETE FROM activity_counts WHERE customer_id = {a}")).await;
    assert_eq!(activity_totals(&portal, a).await, (0, 0));
    exec(format!("INSERT INTO activity_events (customer_id, occurred_at, kind, detail) VALUES ({a}, {now}, 'page_view', '/back')")).await;
    assert_eq!(activity_totals(&portal, a).await, (1, 1), "and counts again from its next event");
}
