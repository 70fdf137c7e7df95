//! The SQLite built into the server is compiled without the two process-wide locks its
//! defaults put on every connection's hot path (`.cargo/config.toml` says why). A build run
//! from somewhere that config is not read would quietly bring them back: this notices.

use domain::Backend;
use domain::testing::TestDb;

#[tokio::test]
async fn sqlite_is_built_without_process_wide_locks_per_page() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options").fetch_all(db.portal.store.pool()).await.unwrap();
    assert!(options.iter().any(|o| o == "THREADSAFE=1"), "built for connections on several threads: {options:?}");
    // One page cache per connection instead of one shared behind a lock.
    assert!(!options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"), "{options:?}");
    // No lock taken on every allocation to keep statistics nobody reads.
    assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
}
