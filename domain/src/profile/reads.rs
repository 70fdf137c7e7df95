//! The reads of a "My data" page, on any kind of connection a page may hold: sqlx's `Any` one
//! (the page read by a customer's id) or the backend's own (the signed-in page, see
//! `Store::native_postgres` and `Store::native_sqlite`). The statements are the same; only the
//! driver that reads their rows differs.

use sqlx::{AnyConnection, FromRow, PgConnection, Row, SqliteConnection};

use super::{
    ACTIVITY_PAGE_SIZE, FIRST_PAGE_BY_SESSION, HEADER_BY_SESSION, HEADER_COLUMNS, HeaderRow, RECORDS_FIRST_PAGE, RECORDS_LATER_PAGE,
    RecordRow, SQLITE_ACTIVITY, SQLITE_FIRST_PAGE_BY_SESSION, SQLITE_LISTS, activity_events, activity_page_in_range,
};
use crate::identity::session::{SessionRow, Upkeep};
use crate::{Backend, Error, Result};

/// What a page reads for a session: the customer's header, the session's own columns, the
/// activity page shown (the one asked for, kept within range) and the record rows.
pub(super) type PageRows = (HeaderRow, SessionRow, i64, Vec<RecordRow>);

pub(super) trait PageReads: Upkeep {
    /// The header of the customer the session with this id hash belongs to, and the session's
    /// own columns, in one statement.
    fn header_by_session(&mut self, id_hash: &str) -> impl Future<Output = Result<Option<(HeaderRow, SessionRow)>>> + Send;

    /// The record lists, with the activity page asked for (already within range).
    fn record_rows(&mut self, backend: Backend, customer_id: i64, activity_page: i64) -> impl Future<Output = Result<Vec<RecordRow>>> + Send;

    /// Everything the page shows for the session with this id hash; None when there is no such
    /// session. Nothing is checked here but that the session exists: the caller decides whether
    /// it is live before anything read is opened or shown.
    fn page_by_session(&mut self, backend: Backend, id_hash: &str, activity_page: i64) -> impl Future<Output = Result<Option<PageRows>>> + Send;
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

/// The header first, then the lists: two statements.
async fn in_two_reads<C: PageReads>(conn: &mut C, backend: Backend, id_hash: &str, activity_page: i64) -> Result<Option<PageRows>> {
    let Some((header, session)) = conn.header_by_session(id_hash).await? else { return Ok(None) };
    let activity_page = activity_page_in_range(activity_page, activity_events(&header));
    let rows = conn.record_rows(backend, session.0, activity_page).await?;
    Ok(Some((header, session, activity_page, rows)))
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

/// SQLite's statements, one per list, on either driver.
macro_rules! sqlite_rows {
    ($conn:expr, $customer_id:expr, $activity_page:expr) => {{
        let mut rows = Vec::new();
        for sql in SQLITE_LISTS {
            rows.extend(sqlx::query_as::<_, RecordRow>(sql).bind($customer_id).fetch_all(&mut *$conn).await?);
        }
        let offset = $activity_page * ACTIVITY_PAGE_SIZE;
        rows.extend(sqlx::query_as::<_, RecordRow>(SQLITE_ACTIVITY).bind($customer_id).bind(offset).fetch_all(&mut *$conn).await?);
        rows
    }};
}

impl PageReads for AnyConnection {
    header_by_session!();

    async fn record_rows(&mut self, backend: Backend, customer_id: i64, activity_page: i64) -> Result<Vec<RecordRow>> {
        Ok(match backend {
            Backend::Postgres => union_rows!(&mut *self, customer_id, activity_page),
            Backend::Sqlite => sqlite_rows!(self, customer_id, activity_page),
        })
    }

    async fn page_by_session(&mut self, backend: Backend, id_hash: &str, activity_page: i64) -> Result<Option<PageRows>> {
        in_two_reads(self, backend, id_hash, activity_page).await
    }
}

impl PageReads for SqliteConnection {
    header_by_session!();

    async fn record_rows(&mut self, _: Backend, customer_id: i64, activity_page: i64) -> Result<Vec<RecordRow>> {
        Ok(sqlite_rows!(self, customer_id, activity_page))
    }

    /// The first page of activity in one statement ([`SQLITE_FIRST_PAGE_BY_SESSION`]), its rows
    /// sorted here; a later one in two.
    async fn page_by_session(&mut self, backend: Backend, id_hash: &str, activity_page: i64) -> Result<Option<PageRows>> {
        if activity_page > 0 {
            return in_two_reads(self, backend, id_hash, activity_page).await;
        }
        let mut rows: Vec<RecordRow> = sqlx::query_as(SQLITE_FIRST_PAGE_BY_SESSION).bind(id_hash).fetch_all(&mut *self).await?;
        in_page_order(&mut rows);
        Ok(first_page(rows)?.map(|(header, session, rows)| (header, session, 0, rows)))
    }
}

/// The order PostgreSQL's `ORDER BY section, k1, k2, t1, t2` gives, for a statement without
/// one: the header rows first, then each list in its own order. Texts compare byte by byte,
/// as SQLite's default collation does.
fn in_page_order(rows: &mut [RecordRow]) {
    rows.sort_by(|a, b| (a.0, a.1, a.2, &a.5, &a.6).cmp(&(b.0, b.1, b.2, &b.5, &b.6)));
}

impl PageReads for PgConnection {
    header_by_session!();

    async fn record_rows(&mut self, _: Backend, customer_id: i64, activity_page: i64) -> Result<Vec<RecordRow>> {
        Ok(union_rows!(&mut *self, customer_id, activity_page))
    }

    /// The first page of activity in one statement ([`FIRST_PAGE_BY_SESSION`]); a later one,
    /// which needs the activity total to stay in range, in two.
    async fn page_by_session(&mut self, backend: Backend, id_hash: &str, activity_page: i64) -> Result<Option<PageRows>> {
        if activity_page > 0 {
            return in_two_reads(self, backend, id_hash, activity_page).await;
        }
        let rows: Vec<Unchecked> = sqlx::query_as(FIRST_PAGE_BY_SESSION).bind(id_hash).fetch_all(&mut *self).await?;
        Ok(first_page(rows.into_iter().map(|r| r.0).collect())?.map(|(header, session, rows)| (header, session, 0, rows)))
    }
}

/// A row of [`FIRST_PAGE_BY_SESSION`] read without asking, for each of its twelve columns in
/// each of its hundred-odd rows, whether the column's type is one the Rust type may be read
/// from: the statement casts every column to the type read here, and the check was 4 % of the
/// page's instructions. A column of another type would still fail to decode (a length or UTF-8
/// check), never panic, and `domain/tests/my_data.rs` compares this read with the checked one.
struct Unchecked(RecordRow);

impl<'r> FromRow<'r, sqlx::postgres::PgRow> for Unchecked {
    fn from_row(row: &'r sqlx::postgres::PgRow) -> sqlx::Result<Self> {
        Ok(Unchecked((
            row.try_get_unchecked(0)?,
            row.try_get_unchecked(1)?,
            row.try_get_unchecked(2)?,
            row.try_get_unchecked(3)?,
            row.try_get_unchecked(4)?,
            row.try_get_unchecked(5)?,
            row.try_get_unchecked(6)?,
            row.try_get_unchecked(7)?,
            row.try_get_unchecked(8)?,
            row.try_get_unchecked(9)?,
            row.try_get_unchecked(10)?,
            row.try_get_unchecked(11)?,
        )))
    }
}

/// The rows of [`FIRST_PAGE_BY_SESSION`] or [`SQLITE_FIRST_PAGE_BY_SESSION`], in page order,
/// taken apart: the two header rows (sections -2 and -1, which sort first) as the header and
/// the session, and the record rows after them. No header rows, no session (and then no record
/// rows either).
fn first_page(mut rows: Vec<RecordRow>) -> Result<Option<(HeaderRow, SessionRow, Vec<RecordRow>)>> {
    if rows.len() < 2 || rows[0].0 != -2 || rows[1].0 != -1 {
        return Ok(None);
    }
    let records = rows.split_off(2);
    let mut header = rows.into_iter();
    let (Some(a), Some(b)) = (header.next(), header.next()) else { return Ok(None) };
    let (_, customer_id, session_created, last_seen, absolute_expires, stage, public_id, email, full_name, phone, dob, language) = a;
    let (_, created_at, activity, recovery_left, bits, master_id, wrapped, verified_at, totp_at, reauthenticated_at, _, _) = b;
    let text = |t: Option<String>| t.ok_or(Error::Internal("a header column is missing"));
    let header: HeaderRow = (
        text(public_id)?,
        created_at,
        time(verified_at)?,
        time(totp_at)?,
        text(email)?,
        text(full_name)?,
        phone,
        dob,
        text(language)?,
        unhex(&text(wrapped)?)?,
        text(master_id)?,
        activity,
        recovery_left,
        bits,
    );
    let session: SessionRow = (customer_id, text(stage)?, session_created, last_seen, absolute_expires, time(reauthenticated_at)?);
    Ok(Some((header, session, records)))
}

/// A nullable time the statement sent as text.
fn time(t: Option<String>) -> Result<Option<i64>> {
    t.map(|t| t.parse().map_err(|_| Error::Internal("a header time is not a number"))).transpose()
}

/// The key's hex (PostgreSQL's `encode(…, 'hex')`, SQLite's `lower(hex(…))`) back to bytes. Hex rather than base64, the project's usual
/// text for bytes: PostgreSQL's base64 breaks lines every 76 characters.
fn unhex(hex: &str) -> Result<Vec<u8>> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        _ => Err(Error::Internal("a key is not hex")),
    };
    let bytes = hex.as_bytes();
    if bytes.len() % 2 != 0 {
        return Err(Error::Internal("a key is not hex"));
    }
    bytes.chunks_exact(2).map(|pair| Ok((digit(pair[0])? << 4) | digit(pair[1])?)).collect()
}

#[cfg(test)]
mod tests {
    use super::{RecordRow, in_page_order, unhex};

    fn row(section: i64, k1: i64, k2: i64, t1: &str, t2: &str) -> RecordRow {
        (section, k1, k2, 0, 0, Some(t1.into()), Some(t2.into()), None, None, None, None, None)
    }

    #[test]
    fn rows_come_in_page_order_whatever_order_they_were_read_in() {
        let mut rows = vec![
            row(4, -20, -7, "sign_in", ""),
            row(3, 0, 0, "offers", "sms"),
            row(-1, 5, 0, "", ""),
            row(3, 0, 0, "offers", "email"),
            row(1, -30, -2, "NW-2", "delivered"),
            row(4, -20, -9, "sign_in", ""),
            row(-2, 1, 0, "full", ""),
            row(1, -30, -1, "NW-1", "shipped"),
            row(0, 8, 0, "Home", ""),
        ];
        in_page_order(&mut rows);
        let order: Vec<_> = rows.iter().map(|r| (r.0, r.1, r.2, r.6.clone().unwrap_or_default())).collect();
        assert_eq!(
            order,
            vec![
                (-2, 1, 0, String::new()),
                (-1, 5, 0, String::new()),
                (0, 8, 0, String::new()),
                (1, -30, -2, "delivered".into()),
                (1, -30, -1, "shipped".into()),
                (3, 0, 0, "email".into()),
                (3, 0, 0, "sms".into()),
                (4, -20, -9, String::new()),
                (4, -20, -7, String::new()),
            ]
        );
    }

    #[test]
    fn hex_comes_back_as_the_bytes_it_was() {
        assert_eq!(unhex("00ff10a7").unwrap(), vec![0x00, 0xff, 0x10, 0xa7]);
        assert_eq!(unhex("").unwrap(), Vec::<u8>::new());
        assert!(unhex("abc").is_err());
        assert!(unhex("zz").is_err());
    }
}
