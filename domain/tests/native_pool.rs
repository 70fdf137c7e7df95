//! The pool of PostgreSQL's own connections that serves the signed-in "My data" read
//! (`domain::store::NativePool`), against a real server: a connection given back is used
//! again, and giving it back sends nothing; one not given back (an error, a read abandoned
//! mid-statement) is closed; at most `max` are open; one cut off while idle is replaced; and a
//! closed pool lends nothing.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use domain::store::NativePool;
use domain::testing::pg_admin_url;
use sqlx::Connection;
use sqlx::postgres::PgConnectOptions;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A pool of at most `max` on the test server; None when PostgreSQL is unreachable and not
/// required.
async fn pool(max: u32) -> Option<NativePool> {
    let pool = NativePool::lazy(PgConnectOptions::from_str(&pg_admin_url()).unwrap(), max);
    match pool.acquire().await {
        Ok(conn) => conn.give_back(),
        Err(e) => {
            assert_ne!(std::env::var("CUSTODIA_REQUIRE_PG").as_deref(), Ok("1"), "PostgreSQL is required but unreachable: {e}");
            eprintln!("skipping: {e}");
            return None;
        }
    }
    Some(pool)
}

async fn backend_pid(conn: &mut sqlx::PgConnection) -> i32 {
    let (pid,): (i32,) = sqlx::query_as("SELECT pg_backend_pid()").fetch_one(conn).await.unwrap();
    pid
}

/// Whether a server process with this pid is still connected.
async fn connected(pid: i32) -> bool {
    let mut admin = sqlx::PgConnection::connect_with(&PgConnectOptions::from_str(&pg_admin_url()).unwrap()).await.unwrap();
    for _ in 0..250 {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1").bind(pid).fetch_one(&mut admin).await.unwrap();
        if n == 0 {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_given_back_is_used_again() {
    let Some(pool) = pool(2).await else { return };
    let mut conn = pool.acquire().await.unwrap();
    let first = backend_pid(&mut conn).await;
    conn.give_back();
    for _ in 0..20 {
        let mut conn = pool.acquire().await.unwrap();
        assert_eq!(backend_pid(&mut conn).await, first, "the same connection, not a new one");
        conn.give_back();
    }
    assert_eq!(pool.size(), 1);
}

/// Counts the bytes a client sends to PostgreSQL through a relay on loopback, to see what
/// giving a connection back costs on the wire.
async fn relay() -> (u16, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let options = PgConnectOptions::from_str(&pg_admin_url()).unwrap();
    let upstream = format!("{}:{}", options.get_host(), options.get_port());
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = tokio::net::TcpStream::connect(&upstream).await.unwrap();
            let (mut client_in, mut client_out) = client.into_split();
            let (mut server_in, mut server_out) = server.into_split();
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                while let Ok(n @ 1..) = client_in.read(&mut buf).await {
                    counter.fetch_add(n as u64, Ordering::SeqCst);
                    if server_out.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
            tokio::spawn(async move { tokio::io::copy(&mut server_in, &mut client_out).await });
        }
    });
    (port, sent)
}

/// sqlx's own pool sends a Sync and waits for the answer when it takes a connection back; this
/// one sends nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_goes_back_without_a_round_trip() {
    if pool(1).await.is_none() {
        return;
    }
    let (port, sent) = relay().await;
    let options = PgConnectOptions::from_str(&pg_admin_url()).unwrap().host("127.0.0.1").port(port);
    let pool = NativePool::lazy(options, 1);
    let mut conn = pool.acquire().await.unwrap();
    backend_pid(&mut conn).await;
    let before = sent.load(Ordering::SeqCst);
    assert!(before > 0, "the relay carries the connection");
    conn.give_back();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sent.load(Ordering::SeqCst), before, "nothing sent when the connection went back");
    let mut conn = pool.acquire().await.unwrap();
    backend_pid(&mut conn).await;
    assert!(sent.load(Ordering::SeqCst) > before, "and the next statement goes through");
    conn.give_back();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_not_given_back_is_closed_and_replaced() {
    let Some(pool) = pool(2).await else { return };
    let mut conn = pool.acquire().await.unwrap();
    let dropped = backend_pid(&mut conn).await;
    drop(conn);
    assert_eq!(pool.size(), 0);
    assert!(!connected(dropped).await, "the server saw the connection close");

    // A read abandoned half-way through a statement: its connection must not serve the next.
    let mut conn = pool.acquire().await.unwrap();
    let abandoned = backend_pid(&mut conn).await;
    let slow = tokio::time::timeout(Duration::from_millis(100), sqlx::query("SELECT pg_sleep(5)").execute(&mut *conn)).await;
    assert!(slow.is_err(), "the statement was cut off");
    drop(conn);
    let mut next = pool.acquire().await.unwrap();
    assert_ne!(backend_pid(&mut next).await, abandoned);
    let (n,): (i64,) = sqlx::query_as("SELECT 41 + 1::BIGINT").fetch_one(&mut *next).await.unwrap();
    assert_eq!(n, 42, "the new connection answers its own statement");
    next.give_back();
    assert_eq!(pool.size(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_more_than_max_are_lent_at_once() {
    let Some(pool) = pool(2).await else { return };
    let a = pool.acquire().await.unwrap();
    let b = pool.acquire().await.unwrap();
    assert_eq!(pool.size(), 2);
    let third = tokio::spawn({
        let pool = pool.clone();
        async move { pool.acquire().await.map(|conn| conn.give_back()) }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!third.is_finished(), "a third waits while two are lent");
    a.give_back();
    third.await.unwrap().unwrap();
    b.give_back();
    assert_eq!(pool.size(), 2, "the third used the connection given back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_off_while_idle_is_replaced() {
    let Some(pool) = pool(2).await else { return };
    let mut conn = pool.acquire().await.unwrap();
    let cut = backend_pid(&mut conn).await;
    conn.give_back();
    let mut admin = sqlx::PgConnection::connect_with(&PgConnectOptions::from_str(&pg_admin_url()).unwrap()).await.unwrap();
    sqlx::query("SELECT pg_terminate_backend($1)").bind(cut).execute(&mut admin).await.unwrap();
    assert!(!connected(cut).await);
    // Idle past the check: the pool finds it dead before lending it.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut conn = pool.acquire().await.unwrap();
    assert_ne!(backend_pid(&mut conn).await, cut);
    conn.give_back();
    assert_eq!(pool.size(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pool_lends_nothing() {
    let Some(pool) = pool(2).await else { return };
    let mut lent = pool.acquire().await.unwrap();
    let pid = backend_pid(&mut lent).await;
    pool.close().await;
    assert!(pool.acquire().await.is_err());
    lent.give_back();
    assert_eq!(pool.size(), 0, "a connection given back to a closed pool is closed");
    assert!(!connected(pid).await);
}
