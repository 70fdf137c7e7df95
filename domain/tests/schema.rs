//! The SQLite and PostgreSQL migrations must describe the same schema: same migrations, same
//! tables, same columns, same nullability, same kind of type.

use std::collections::BTreeSet;

use domain::Backend;
use domain::testing::TestDb;

type Column = (String, String, String, bool);

fn family(sql_type: &str) -> String {
    let t = sql_type.to_ascii_lowercase();
    if t.contains("int") {
        "integer".into()
    } else if t.contains("char") || t == "text" {
        "text".into()
    } else if t == "blob" || t == "bytea" {
        "bytes".into()
    } else {
        t
    }
}

async fn columns(db: &TestDb) -> BTreeSet<Column> {
    let pool = db.portal.store.pool();
    let rows: Vec<(String, String, String, i64)> = match db.portal.store.backend() {
        Backend::Sqlite => sqlx::query_as(
            "SELECT m.name, p.name, p.type, p.\"notnull\" + p.pk FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        Backend::Postgres => sqlx::query_as(
            "SELECT table_name::text, column_name::text, data_type::text, \
             CASE WHEN is_nullable = 'NO' THEN 1::bigint ELSE 0::bigint END \
             FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    rows.into_iter().map(|(t, c, ty, nn)| (t, c, family(&ty), nn > 0)).collect()
}

fn migration_names(dir: &str) -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/").to_string() + dir;
    let mut names: Vec<String> = std::fs::read_dir(path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    assert_eq!(migration_names("sqlite"), migration_names("postgres"), "migrations in lockstep");
    let sqlite = TestDb::new(Backend::Sqlite).await.unwrap();
    let Some(pg) = TestDb::new(Backend::Postgres).await else { return };
    let a = columns(&sqlite).await;
    let b = columns(&pg).await;
    assert!(a.len() > 50, "the schema was read ({} columns)", a.len());
    let only_sqlite: Vec<_> = a.difference(&b).collect();
    let only_pg: Vec<_> = b.difference(&a).collect();
    sqlite.finish().await;
    pg.finish().await;
    assert!(only_sqlite.is_empty() && only_pg.is_empty(), "only in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_pg:?}");
}
