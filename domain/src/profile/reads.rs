//! The two reads of a "My data" page, on either kind of connection a page may hold: sqlx's
//! `Any` one (SQLite, and the page read by a customer's id) or PostgreSQL's own (the signed-in
//! page on PostgreSQL, see `Store::native_postgres`). The statements are the same; only the
//! driver that reads their rows differs.

use sqlx::{AnyConnection, FromRow, PgConnection, Row};

use super::{
    ACTIVITY_PAGE_SIZE, HEADER_BY_SESSION, HEADER_COLUMNS, HeaderRow, RECORDS_FIRST_PAGE, RECORDS_LATER_PAGE, RecordRow,
    SQLITE_ACTIVITY, SQLITE_LISTS,
};
use crate::identity::session::{SessionRow, Upkeep};
use crate::{Backend, Result};

pub(super) trait PageReads: Upkeep {
    /// The header of the customer the session with this id hash belongs to, and the session's
    /// own columns, in one statement.
    fn header_by_session(&mut self, id_hash: &str) -> impl Future<Output = Result<Option<(HeaderRow, SessionRow)>>> + Send;

    /// The record lists, with the activity page asked for (already within range).
    fn record_rows(&mut self, backend: Backend, customer_id: i64, activity_page: i64) -> impl Future<Output = Result<Vec<RecordRow>>> + Send;
}

/// The same body for either driver.
macro_rules! header_by_session {
    () => {
        async fn header_by_session(&mut self, id_hash: &str) -> Result<Option<(HeaderRow, SessionRow)>> {
            let Some(row) = sqlx::query(HEADER_BY_SESSION).bind(id_hash).fetch_optional(&mut *self).await? else {
                return Ok(None);
            };
            let n = HEADER_COLUMNS;
            let session: SessionRow =
                (row.try_get(n)?, row.try_get(n + 1)?, row.try_get(n + 2)?, row.try_get(n + 3)?, row.try_get(n + 4)?, row.try_get(n + 5)?);
            Ok(Some((HeaderRow::from_row(&row)?, session)))
        }
    };
}

/// PostgreSQL's one statement for every list, on either driver.
macro_rules! union_rows {
    ($conn:expr, $customer_id:expr, $activity_page:expr) => {
        if $activity_page == 0 {
            sqlx::query_as(RECORDS_FIRST_PAGE).bind($customer_id).fetch_all($conn).await?
        } else {
            sqlx::query_as(RECORDS_LATER_PAGE).bind($customer_id).bind($activity_page * ACTIVITY_PAGE_SIZE).fetch_all($conn).await?
        }
    };
}

impl PageReads for AnyConnection {
    header_by_session!();

    async fn record_rows(&mut self, backend: Backend, customer_id: i64, activity_page: i64) -> Result<Vec<RecordRow>> {
        Ok(match backend {
            Backend::Postgres => union_rows!(&mut *self, customer_id, activity_page),
            Backend::Sqlite => {
                let mut rows = Vec::new();
                for sql in SQLITE_LISTS {
                    rows.extend(sqlx::query_as::<_, RecordRow>(sql).bind(customer_id).fetch_all(&mut *self).await?);
                }
                let offset = activity_page * ACTIVITY_PAGE_SIZE;
                rows.extend(sqlx::query_as::<_, RecordRow>(SQLITE_ACTIVITY).bind(customer_id).bind(offset).fetch_all(&mut *self).await?);
                rows
            }
        })
    }
}

impl PageReads for PgConnection {
    header_by_session!();

    async fn record_rows(&mut self, _: Backend, customer_id: i64, activity_page: i64) -> Result<Vec<RecordRow>> {
        Ok(union_rows!(&mut *self, customer_id, activity_page))
    }
}
