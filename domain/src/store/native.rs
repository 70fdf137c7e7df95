//! The PostgreSQL connections of the signed-in "My data" read, pooled here rather than by sqlx.
//! sqlx's pool pings every connection it takes back, in a task of its own: a round trip to the
//! database per page, and work on both sides, to learn whether the borrower left the
//! connection mid-statement. Here the borrower says so: a connection goes back only through
//! [`NativeConnection::give_back`], after a read that finished; one dropped any other way (an
//! error, a request abandoned half-way) is closed, and the next page opens a new one.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::Result;

/// How long a page waits for a connection, as for the `Any` pool.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection idle this long may have been cut off (a restart, an outage): pinged before use,
/// as `still_open` does for the `Any` pool. Under load one is back in use within microseconds.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct NativePool {
    shared: Arc<Shared>,
}

struct Shared {
    options: PgConnectOptions,
    max: u32,
    /// One permit per connection that may be open.
    permits: Arc<Semaphore>,
    /// Connections given back, newest last: the next page takes the one used most recently.
    idle: Mutex<Vec<(PgConnection, Instant)>>,
    /// Connections open, idle or lent.
    open: AtomicU32,
    closed: AtomicBool,
}

/// A connection lent for one read.
pub struct NativeConnection {
    conn: Option<PgConnection>,
    shared: Arc<Shared>,
    _permit: OwnedSemaphorePermit,
}

impl NativePool {
    /// At most `max` connections, opened on first use.
    pub fn lazy(options: PgConnectOptions, max: u32) -> Self {
        let max = max.max(1);
        NativePool {
            shared: Arc::new(Shared {
                options,
                max,
                permits: Arc::new(Semaphore::new(max as usize)),
                idle: Mutex::new(Vec::new()),
                open: AtomicU32::new(0),
                closed: AtomicBool::new(false),
            }),
        }
    }

    /// The same database with at most `max` connections of its own.
    pub fn sibling(&self, max: u32) -> Self {
        Self::lazy(self.shared.options.clone(), max)
    }

    /// How many connections are open, idle or lent.
    pub fn size(&self) -> u32 {
        self.shared.open.load(Ordering::Relaxed)
    }

    pub fn max_connections(&self) -> u32 {
        self.shared.max
    }

    pub async fn acquire(&self) -> Result<NativeConnection> {
        let shared = &self.shared;
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, shared.permits.clone().acquire_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        loop {
            // Taken out of the lock before any await.
            let idle = shared.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let Some((mut conn, since)) = idle else { break };
            if since.elapsed() < CHECK_AFTER_IDLE || conn.ping().await.is_ok() {
                return Ok(NativeConnection { conn: Some(conn), shared: shared.clone(), _permit: permit });
            }
            shared.open.fetch_sub(1, Ordering::Relaxed);
        }
        if shared.closed.load(Ordering::Relaxed) {
            return Err(sqlx::Error::PoolClosed.into());
        }
        let conn = tokio::time::timeout(ACQUIRE_TIMEOUT, shared.options.connect()).await.map_err(|_| sqlx::Error::PoolTimedOut)??;
        shared.open.fetch_add(1, Ordering::Relaxed);
        Ok(NativeConnection { conn: Some(conn), shared: shared.clone(), _permit: permit })
    }

    /// Closes the idle connections; lent ones close when they come back. Later asks fail.
    pub async fn close(&self) {
        let shared = &self.shared;
        shared.closed.store(true, Ordering::Relaxed);
        shared.permits.close();
        let idle = std::mem::take(&mut *shared.idle.lock().unwrap_or_else(PoisonError::into_inner));
        for (conn, _) in idle {
            shared.open.fetch_sub(1, Ordering::Relaxed);
            let _ = conn.close().await;
        }
    }
}

impl NativeConnection {
    /// Back to the pool, for a connection whose last statement finished: it waits for nothing.
    pub fn give_back(mut self) {
        let Some(conn) = self.conn.take() else { return };
        if self.shared.closed.load(Ordering::Relaxed) {
            self.shared.open.fetch_sub(1, Ordering::Relaxed);
            return;
        }
        self.shared.idle.lock().unwrap_or_else(PoisonError::into_inner).push((conn, Instant::now()));
    }
}

impl Drop for NativeConnection {
    /// Not given back: the connection may be half-way through an answer, so it is closed.
    fn drop(&mut self) {
        if self.conn.take().is_some() {
            self.shared.open.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl std::ops::Deref for NativeConnection {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        // Some until given back or dropped, and both take `self`.
        self.conn.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl std::ops::DerefMut for NativeConnection {
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!())
    }
}
