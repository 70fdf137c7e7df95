//! PostgreSQL unreachable (the network to it cut, then restored): pages answer a friendly 503
//! with Retry-After, forms end in a message and write nothing, and the portal recovers by itself
//! once the database is back.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use domain::testing::*;
use domain::{Backend, Clock, Policy, Portal, Store};
use support::*;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

/// A TCP relay to the database that can be cut (every open connection dropped, new ones refused).
struct Cable {
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Cable {
    async fn lay(target: String) -> (Cable, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else { return };
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: refused
                }
                let target = target.clone();
                links2.lock().await.push(tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                }));
            }
        });
        (Cable { up, links }, port)
    }

    async fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().await.drain(..) {
            link.abort();
        }
    }

    fn mend(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_gives_a_friendly_503_and_no_half_writes() {
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let (token, _, _) = enrolled(&db.portal, "ana@example.test").await;
    let customer = customer_id(&db.portal, "ana@example.test").await;

    // The portal reaches the database only through the cable.
    let (at, rest) = db.url.split_once('@').unwrap();
    let (host, name) = rest.split_once('/').unwrap();
    let (cable, port) = Cable::lay(host.to_string()).await;
    let through = format!("{at}@127.0.0.1:{port}/{name}");
    let store = Store::connect(&through).await.unwrap();
    let portal = Portal::new(store.clone(), Clock::system(), domain::testing::test_keys(&store).await, Policy::default());
    let app = TestApp::start(portal).await;
    assert_eq!(app.page("/my-data", Some(&token)).await.status(), 200);

    cable.cut().await;
    let page = app.page("/my-data", Some(&token)).await;
    assert_eq!(page.status(), 503, "an outage is not a page that worked");
    assert!(page.headers().contains_key("retry-after"));
    let body = page.text().await.unwrap();
    assert!(body.contains("nothing you sent was half-saved"), "a friendly page");
    assert!(!body.to_lowercase().contains("sqlx") && !body.contains("postgres"), "no database text on the page");

    let form = app.form("request_change", Some(&token), &[("field", "phone"), ("value", "+34 600 111 222")]).await;
    assert!(form.status().is_redirection());
    assert!(location(&form).contains("e=unavailable"), "{}", location(&form));

    cable.mend();
    let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pending_changes WHERE customer_id = $1")
        .bind(customer)
        .fetch_one(db.portal.store.pool())
        .await
        .unwrap();
    assert_eq!(pending, 0, "nothing half-written");
    let mut back = 0;
    for _ in 0..50 {
        back = app.page("/my-data", Some(&token)).await.status().as_u16();
        if back == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(back, 200, "the portal recovers by itself");
    db.finish().await;
}
