//! The database: one sqlx `Any` pool over SQLite or PostgreSQL, chosen by URL at run time.
//! Every query is written once in portable SQL with `$n` placeholders; the few statements that
//! must differ ask [`Store::backend`]. A second pool on the backend's own driver serves the one
//! read that every signed-in page makes ([`Store::native_postgres`], [`Store::native_sqlite`]).

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::pool::PoolConnectionMetadata;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};

use crate::Result;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// PostgreSQL only: the same database without sqlx's `Any` layer, which copies every row
    /// it reads into rows of its own, each text a second time (measured: 7 % of the server's
    /// time on "My data"). Used only where a page reads many rows; see
    /// [`native_postgres`](Self::native_postgres).
    native_postgres: Option<PgPool>,
    /// SQLite's counterpart, for the same reason: the `Any` layer's copy of every row.
    native_sqlite: Option<SqlitePool>,
}

pub type Tx = Transaction<'static, Any>;

/// One connection, for the web layer, which names it without depending on sqlx.
pub type Connection = sqlx::AnyConnection;

/// PostgreSQL's default pool: two connections per core, at least 4. More connections than the
/// cores can run only make PostgreSQL's processes take turns: on 2 cores with PostgreSQL on the
/// same machine, 4 connections served "My data" about a third faster than 16, and 32 slower
/// still (README, "Pool size on PostgreSQL").
fn postgres_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    (cores * 2).clamp(4, 64)
}

impl Store {
    /// Connects and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_sized(url, None).await
    }

    /// As [`connect`](Self::connect), with at most `connections` open at once instead of the
    /// backend's default.
    pub async fn connect_sized(url: &str, connections: Option<u32>) -> Result<Self> {
        let store = Self::open(url, connections).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn connect_without_migrating(url: &str) -> Result<Self> {
        Self::open(url, None).await
    }

    async fn open(url: &str, connections: Option<u32>) -> Result<Self> {
        install_default_drivers();
        let backend = Backend::from_url(url)
            .ok_or(crate::Error::Internal("DATABASE_URL must start with sqlite: or postgres:"))?;
        let url = match backend {
            // Create the file on first start.
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(connections.unwrap_or(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => postgres_connections(),
            }))
            .acquire_timeout(Duration::from_secs(10));
        let pool = match backend {
            Backend::Sqlite => {
                options
                    // A SQLite connection lives in this process and cannot go stale, so the ping
                    // sqlx sends on every acquire by default only costs a thread hand-off.
                    .test_before_acquire(false)
                    .after_connect(|conn, _| Box::pin(async move {
                        conn.execute(SQLITE_SETTINGS).await?;
                        Ok(())
                    }))
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => {
                options
                    // See `still_open`: no ping per acquire.
                    .test_before_acquire(false)
                    .before_acquire(still_open)
                    .connect(&url)
                    .await?
            }
        };
        let native_sqlite = match backend {
            // Opened on first use, like PostgreSQL's below; the same settings as the `Any` pool's.
            Backend::Sqlite => Some(
                SqlitePoolOptions::new()
                    .max_connections(pool.options().get_max_connections())
                    .acquire_timeout(Duration::from_secs(10))
                    .test_before_acquire(false)
                    .after_connect(|conn, _| Box::pin(async move {
                        conn.execute(SQLITE_SETTINGS).await?;
                        Ok(())
                    }))
                    .connect_lazy_with(SqliteConnectOptions::from_str(&url)?),
            ),
            Backend::Postgres => None,
        };
        let native_postgres = match backend {
            Backend::Sqlite => None,
            // Opened on first use; the `Any` pool above has just shown the URL reaches the
            // database.
            Backend::Postgres => Some(
                PgPoolOptions::new()
                    .max_connections(pool.options().get_max_connections())
                    .acquire_timeout(Duration::from_secs(10))
                    .test_before_acquire(false)
                    .before_acquire(still_open)
                    .connect_lazy_with(PgConnectOptions::from_str(&url)?),
            ),
        };
        Ok(Store { pool, backend, native_postgres, native_sqlite })
    }

    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// For health checks: can we reach the database right now?
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// PostgreSQL's native pool, None on SQLite. As many connections as the `Any` pool, so a
    /// load of signed-in pages alone keeps the database as busy as before; only pages that
    /// also write or read more use both. A page takes a connection from one pool at a time:
    /// one holding a connection must never wait for a second.
    pub fn native_postgres(&self) -> Option<&PgPool> {
        self.native_postgres.as_ref()
    }

    /// SQLite's native pool, None on PostgreSQL; as [`native_postgres`](Self::native_postgres).
    pub fn native_sqlite(&self) -> Option<&SqlitePool> {
        self.native_sqlite.as_ref()
    }

    /// A pool of its own over the same database, with the same settings and at most
    /// `connections` open, for a serving thread that runs its own scheduler: a PostgreSQL
    /// connection's socket belongs to the thread that opened it, so sharing one pool between
    /// such threads would wake another thread for every answer. Its connections open on first
    /// use, on the thread that uses them. SQLite connections each run on a thread of their own
    /// whoever asks, so on SQLite this is the same pool.
    pub fn sibling(&self, connections: u32) -> Store {
        match self.backend {
            Backend::Sqlite => self.clone(),
            Backend::Postgres => Store {
                pool: self.pool.options().clone().max_connections(connections.max(1)).connect_lazy_with((*self.pool.connect_options()).clone()),
                backend: self.backend,
                native_postgres: self.native_postgres.as_ref().map(|native| {
                    native.options().clone().max_connections(connections.max(1)).connect_lazy_with((*native.connect_options()).clone())
                }),
                native_sqlite: None,
            },
        }
    }

    /// Closes a pool made by [`sibling`](Self::sibling), which on SQLite is the shared pool
    /// and stays open.
    pub async fn close_sibling(&self) {
        if self.backend == Backend::Postgres {
            self.close().await;
        }
    }

    /// At most this many connections open at once.
    pub fn max_connections(&self) -> u32 {
        self.pool.options().get_max_connections()
    }

    /// One connection for the several reads of one page. Each query sent to the pool itself
    /// takes a connection and gives it back, and sqlx pings every connection it takes back: on
    /// SQLite two more hand-offs to the connection's thread per query.
    pub async fn reader(&self) -> Result<sqlx::pool::PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Begins a write transaction. On SQLite it takes the write lock up front (`IMMEDIATE`), so
    /// two writers queue on busy_timeout instead of one failing when it upgrades from reading.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
        if let Some(native) = &self.native_postgres {
            native.close().await;
        }
        if let Some(native) = &self.native_sqlite {
            native.close().await;
        }
    }
}

/// Every SQLite connection's settings, on either pool: WAL lets readers run beside the writer;
/// busy_timeout makes a second writer wait instead of failing; foreign keys are off by default.
const SQLITE_SETTINGS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

/// Whether a PostgreSQL connection taken from a pool can be used. sqlx pings before every
/// acquire by default: a round trip per query. Under load a connection is back in use within
/// microseconds, so only one that sat idle long enough to have been cut off (restart, outage)
/// is checked first; a dead one is closed and another opened in its place.
fn still_open<C: sqlx::Connection>(
    conn: &mut C,
    meta: PoolConnectionMetadata,
) -> std::pin::Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        if meta.idle_for < Duration::from_secs(1) {
            return Ok(true);
        }
        Ok(conn.ping().await.is_ok())
    })
}

impl FromStr for Backend {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Backend::from_url(s).ok_or(())
    }
}
