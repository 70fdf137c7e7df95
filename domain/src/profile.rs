//! "My data": everything held about one customer, grouped by catalogue category, each with its
//! purpose, legal basis, retention, source and recipients. Values arrive formatted for the
//! customer's language; words that stand for a fixed set of values (statuses, channels) arrive
//! as terms for the web layer to translate.

mod reads;

use crate::catalogue::{self, CategoryInfo};
use crate::identity::session::{self, Session, Stage, session_columns};
use crate::locale::{self, Lang};
use crate::vault::customer::{CustomerKey, SealedAddress};
use crate::{Error, Portal, Result, vault};
use reads::PageReads;

/// Activity events per page, newest first: enough to spot a sign-in one does not recognise, and
/// short enough that the history does not bury the categories after it. A macro so that the
/// records statement can carry it as a literal (see [`RECORDS_FIRST_PAGE`]).
macro_rules! activity_page_size {
    () => {
        20
    };
}
pub const ACTIVITY_PAGE_SIZE: i64 = activity_page_size!();

#[derive(Debug, Clone)]
pub struct MyData {
    pub public_id: String,
    pub full_name: String,
    pub categories: Vec<CategoryData>,
    pub outstanding: Outstanding,
}

#[derive(Debug, Clone)]
pub struct CategoryData {
    pub info: CategoryInfo,
    /// Single values, in order; an empty value means none is held.
    pub fields: Vec<(&'static str, Cell)>,
    pub table: Option<Table>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Rows held in all; `rows` may be one page of them.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    /// Row ids, for rows the customer can change (addresses); empty otherwise.
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// One of a fixed set of words ("delivered", "email"), translated by the web layer.
    Term(String),
}

/// A term of a fixed set ("status_shipped"), translated in the page: the key joined without
/// `format!`, which cost 400 instructions a time, a dozen times per page.
fn term(prefix: &str, name: &str) -> Cell {
    let mut key = String::with_capacity(prefix.len() + name.len());
    key.push_str(prefix);
    key.push_str(name);
    Cell::Term(key)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt(s: Option<String>) -> Cell {
    Cell::Text(s.unwrap_or_default())
}

/// The language the customer chose on their profile; pages follow it once they sign in.
pub async fn preferred_language(portal: &Portal, customer_id: i64) -> Result<Lang> {
    let row: Option<(String,)> = sqlx::query_as("SELECT preferred_language FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(portal.store.pool())
        .await?;
    Ok(row.and_then(|(code,)| Lang::from_code(&code)).unwrap_or_default())
}

/// The reference a customer quotes to us ("C-…"), never their internal id.
pub async fn public_id(portal: &Portal, customer_id: i64) -> Result<String> {
    let (id,): (String,) = sqlx::query_as("SELECT public_id FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_one(portal.store.pool())
        .await?;
    Ok(id)
}

/// "My data" of one customer, on a connection of its own.
pub async fn my_data(portal: &Portal, customer_id: i64, lang: Lang, activity_page: i64) -> Result<MyData> {
    // Before taking a connection: a page holding one must not wait for a second.
    let catalogue = catalogue::load(portal, lang).await?;
    let mut conn = portal.store.reader().await?;
    let header: HeaderRow = sqlx::query_as(HEADER).bind(customer_id).fetch_optional(&mut *conn).await?.ok_or(Error::NotFound)?;
    let activity_page = activity_page_in_range(activity_page, activity_events(&header));
    let rows = conn.record_rows(portal.store.backend(), customer_id, activity_page).await?;
    assemble(portal, catalogue, customer_id, header, rows, lang, activity_page)
}

/// The customer's own row, sealed fields and all, with the counts the page shows (activity
/// events, kept by the database in `activity_counts` rather than counted here, where the cost
/// grew with the history; recovery codes left, counted as `recovery::remaining` does) and, as
/// bits, which of the lists beside it have anything in them ([`Outstanding`]), as columns of
/// `c` and `k`: one statement reads them all. Every number is a BIGINT, which is all
/// PostgreSQL's own driver reads into an i64. A macro, so that both statements below are
/// literals.
macro_rules! header_columns {
    () => {
        concat!(
            "c.public_id, c.created_at, c.email_verified_at, c.totp_enabled_at, \
            c.email, c.full_name, c.phone, c.date_of_birth, c.preferred_language, k.wrapped, k.master_id, ",
            header_counts!()
        )
    };
}

/// The three counts of the header, of customer `c`: activity events, recovery codes left and
/// the [`Outstanding`] bits.
macro_rules! header_counts {
    () => {
        "COALESCE((SELECT a.events FROM activity_counts a WHERE a.customer_id = c.id), 0), \
            (SELECT COUNT(*) FROM recovery_codes r WHERE r.customer_id = c.id AND r.used_at IS NULL), \
            CAST(CASE WHEN EXISTS (SELECT 1 FROM pending_changes p WHERE p.customer_id = c.id AND p.status = 'pending') THEN 1 ELSE 0 END \
          + CASE WHEN EXISTS (SELECT 1 FROM requests q WHERE q.customer_id = c.id) THEN 2 ELSE 0 END \
          + CASE WHEN EXISTS (SELECT 1 FROM incident_notices n WHERE n.customer_id = c.id AND n.acknowledged_at IS NULL) THEN 4 ELSE 0 END \
          + CASE WHEN EXISTS (SELECT 1 FROM erasures e WHERE e.customer_id = c.id AND e.state = 'scheduled') THEN 8 ELSE 0 END \
          + CASE WHEN EXISTS (SELECT 1 FROM privacy_policies v WHERE v.version > c.policy_seen AND v.published_at > c.created_at) THEN 16 ELSE 0 END AS BIGINT)"
    };
}

/// The header of one customer, by id.
const HEADER: &str =
    concat!("SELECT ", header_columns!(), " FROM customers c JOIN customer_keys k ON k.customer_id = c.id WHERE c.id = $1");

/// The header of the customer a session belongs to, followed by the session's own columns
/// (from [`HEADER_COLUMNS`] on): the signed-in page learns who is asking and what to show in one
/// round trip instead of two.
const HEADER_BY_SESSION: &str = concat!(
    "SELECT ",
    header_columns!(),
    ", ",
    session_columns!(),
    " FROM sessions s JOIN customers c ON c.id = s.customer_id JOIN customer_keys k ON k.customer_id = c.id \
     WHERE s.id_hash = $1"
);

/// How many columns [`header_columns!`] reads.
const HEADER_COLUMNS: usize = 14;

type HeaderRow = (
    String, i64, Option<i64>, Option<i64>,
    String, String, Option<String>, Option<String>, String, Vec<u8>, String,
    i64, i64, i64,
);

/// Which of the lists shown beside "My data" may hold something for the customer, so a page
/// asks only for those: most customers have none, and each query is a round trip. A flag may
/// be set when its list turns out empty (its test is looser than the list's own query: expiry,
/// dates), never the other way round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outstanding {
    pub pending_changes: bool,
    pub requests: bool,
    pub incident_notices: bool,
    pub erasure: bool,
    pub policy_changes: bool,
}

impl Outstanding {
    fn from_bits(bits: i64) -> Self {
        Outstanding {
            pending_changes: bits & 1 != 0,
            requests: bits & 2 != 0,
            incident_notices: bits & 4 != 0,
            erasure: bits & 8 != 0,
            policy_changes: bits & 16 != 0,
        }
    }
}

/// "My data" of the customer signed in with session `token`, with the session; None when the
/// token stands for no live, fully signed-in session, and then nothing of any customer is
/// opened. It reads on a connection of its own, given back before it returns: one of the
/// backend's native pool (see [`Store::native_postgres`](crate::Store::native_postgres)).
#[tracing::instrument(name = "profile.my_data", skip_all)]
pub async fn signed_in(
    portal: &Portal,
    catalogue: Vec<CategoryInfo>,
    token: &str,
    lang: Lang,
    activity_page: i64,
) -> Result<Option<(Session, MyData)>> {
    let Some(id_hash) = session::id_hash_of(token) else { return Ok(None) };
    if let Some(pool) = portal.store.native_postgres() {
        read_signed_in(&mut *pool.acquire().await?, portal, catalogue, id_hash, lang, activity_page).await
    } else if let Some(pool) = portal.store.native_sqlite() {
        read_signed_in(&mut *pool.acquire().await?, portal, catalogue, id_hash, lang, activity_page).await
    } else {
        read_signed_in(&mut *portal.store.reader().await?, portal, catalogue, id_hash, lang, activity_page).await
    }
}

/// Every query is a hand-off to the database (on SQLite, to the connection's thread and back),
/// so the session, the customer's row, the counts and [`Outstanding`] come in one, and the
/// record lists in another; the first page of activity, nearly every visit's, comes with them
/// in one ([`first_page_by_session!`]).
async fn read_signed_in<C: PageReads>(
    conn: &mut C,
    portal: &Portal,
    catalogue: Vec<CategoryInfo>,
    id_hash: String,
    lang: Lang,
    activity_page: i64,
) -> Result<Option<(Session, MyData)>> {
    let Some((header, session_row, activity_page, rows)) = conn.page_by_session(portal.store.backend(), &id_hash, activity_page).await?
    else {
        return Ok(None);
    };
    // Read with the session, opened only for a live, fully signed-in one.
    let Some(session) = session::live(conn, portal, id_hash, session_row).await? else { return Ok(None) };
    if session.stage != Stage::Full {
        return Ok(None);
    }
    let data = assemble(portal, catalogue, session.customer_id, header, rows, lang, activity_page)?;
    Ok(Some((session, data)))
}

/// The page from the customer's header row and record rows: their sealed fields opened, every
/// value formatted.
fn assemble(
    portal: &Portal,
    catalogue: Vec<CategoryInfo>,
    customer_id: i64,
    header: HeaderRow,
    rows: Vec<RecordRow>,
    lang: Lang,
    activity_page: i64,
) -> Result<MyData> {
    let (public_id, created_at, verified_at, totp_at, email, full_name, phone, dob, pref_lang, wrapped, master_id, activity_total, left, bits) = header;
    let (person, key) =
        vault::customer::open_person_keeping_key(portal, customer_id, (email, full_name, phone, dob, pref_lang, wrapped, master_id))?;
    let vault::Person { email, full_name, phone, date_of_birth: dob, preferred_language: pref_lang } = person;

    let mut records = records(rows, &key, lang)?;

    let mut categories = Vec::new();
    for info in catalogue {
        let (fields, table) = match info.key.as_str() {
            "profile" => (
                vec![
                    ("full_name", text(&full_name)),
                    ("date_of_birth", text(dob.as_deref().map(|d| locale::iso_date(lang, d)).unwrap_or_default())),
                    ("customer_ref", text(&public_id)),
                    ("customer_since", text(locale::date(lang, created_at))),
                ],
                None,
            ),
            "contact" => (
                vec![
                    ("email", text(&email)),
                    ("email_verified", text(verified_at.map(|t| locale::date(lang, t)).unwrap_or_default())),
                    ("phone", opt(phone.clone())),
                    ("preferred_language", term("lang_", &pref_lang)),
                ],
                None,
            ),
            "addresses" => {
                let mut table = whole(
                    vec!["label", "address", "city", "postal_code", "region", "country"],
                    std::mem::take(&mut records.addresses),
                );
                table.ids = std::mem::take(&mut records.address_ids);
                (Vec::new(), Some(table))
            }
            "orders" => (
                Vec::new(),
                Some(whole(vec!["order_number", "placed", "items", "total", "status"], std::mem::take(&mut records.orders))),
            ),
            "support" => (
                Vec::new(),
                Some(whole(vec!["reference", "opened", "channel", "subject", "status"], std::mem::take(&mut records.tickets))),
            ),
            "preferences" => (
                Vec::new(),
                Some(whole(vec!["topic", "channel", "setting", "changed"], std::mem::take(&mut records.preferences))),
            ),
            "activity" => (
                Vec::new(),
                Some(Table {
                    columns: vec!["when", "what", "detail", "ip", "device"],
                    rows: std::mem::take(&mut records.activity),
                    total: activity_total,
                    page: activity_page,
                    page_size: ACTIVITY_PAGE_SIZE,
                    ids: Vec::new(),
                }),
            ),
            "security" => (
                    vec![
                        ("password", Cell::Term("password_stored_hashed".into())),
                        (
                            "two_step",
                            text(totp_at.map(|t| locale::date(lang, t)).unwrap_or_default()),
                        ),
                        ("recovery_codes_left", text(left.to_string())),
                    ],
                    None,
                ),
            // A category the company added to its catalogue that Custodia holds no data for.
            _ => (Vec::new(), None),
        };
        categories.push(CategoryData { info, fields, table });
    }
    Ok(MyData { public_id, full_name, categories, outstanding: Outstanding::from_bits(bits) })
}

fn whole(columns: Vec<&'static str>, rows: Vec<Vec<Cell>>) -> Table {
    let total = rows.len() as i64;
    Table { columns, rows, total, page: 0, page_size: total.max(1), ids: Vec::new() }
}

/// An address as a row of the page: both lines in one cell, empty parts left blank.
fn address_row(a: crate::verification::field::AddressValue) -> Vec<Cell> {
    let line = if a.line2.is_empty() { a.line1 } else { format!("{}, {}", a.line1, a.line2) };
    let region = (!a.region.is_empty()).then_some(a.region);
    vec![text(a.label), text(line), text(a.city), text(a.postal_code), opt(region), text(a.country)]
}

// The record lists of "My data" (addresses, orders, support tickets, communication preferences,
// one page of activity) share one row shape: which list (`section`), two sort keys, two numbers
// and seven texts, by position. Each list's own order is `k1, k2, t1, t2` ascending (newest
// first is a negated time). The numbers are BIGINTs, which is all PostgreSQL's own driver reads
// into an i64: the first list casts its literals, and a union's column takes the type its first
// list gives it when the others' convert to it. Macros, so that the statements are literals
// built at compile time.
macro_rules! addresses_list {
    ($customer:literal) => {
        concat!(
            "SELECT CAST(0 AS BIGINT) AS section, id AS k1, CAST(0 AS BIGINT) AS k2, id AS n1, created_at AS n2, label AS t1, line1 AS t2, \
             line2 AS t3, city AS t4, postal_code AS t5, region AS t6, country AS t7 FROM addresses WHERE customer_id = ", $customer
        )
    };
}
macro_rules! orders_list {
    ($customer:literal) => {
        concat!(
            "SELECT 1 AS section, -placed_at AS k1, -id AS k2, placed_at AS n1, total_cents AS n2, order_number AS t1, \
             status AS t2, currency AS t3, items_summary AS t4, NULL AS t5, NULL AS t6, NULL AS t7 \
             FROM orders WHERE customer_id = ", $customer
        )
    };
}
macro_rules! tickets_list {
    ($customer:literal) => {
        concat!(
            "SELECT 2 AS section, -opened_at AS k1, -id AS k2, opened_at AS n1, 0 AS n2, reference AS t1, \
             channel AS t2, subject AS t3, status AS t4, NULL AS t5, NULL AS t6, NULL AS t7 \
             FROM support_tickets WHERE customer_id = ", $customer
        )
    };
}
macro_rules! preferences_list {
    ($customer:literal) => {
        concat!(
            "SELECT 3 AS section, 0 AS k1, 0 AS k2, updated_at AS n1, enabled AS n2, topic AS t1, channel AS t2, \
             NULL AS t3, NULL AS t4, NULL AS t5, NULL AS t6, NULL AS t7 FROM communication_preferences WHERE customer_id = ", $customer
        )
    };
}
/// The page size is a literal: see [`RECORDS_FIRST_PAGE`].
macro_rules! activity_list {
    ($customer:literal, $offset:literal) => {
        concat!(
            "SELECT 4 AS section, -occurred_at AS k1, -id AS k2, occurred_at AS n1, 0 AS n2, kind AS t1, \
             detail AS t2, ip AS t3, user_agent AS t4, NULL AS t5, NULL AS t6, NULL AS t7 \
             FROM (SELECT id, occurred_at, kind, detail, ip, user_agent FROM activity_events \
             WHERE customer_id = ",
            $customer,
            " ORDER BY occurred_at DESC, id DESC LIMIT ",
            activity_page_size!(),
            $offset,
            ") AS page"
        )
    };
}
macro_rules! records_union {
    ($offset:literal) => {
        concat!(
            addresses_list!("$1"), " UNION ALL ", orders_list!("$1"), " UNION ALL ", tickets_list!("$1"), " UNION ALL ",
            preferences_list!("$1"), " UNION ALL ", activity_list!("$1", $offset), " ORDER BY section, k1, k2, t1, t2"
        )
    };
}

/// PostgreSQL: every list in one statement. Each statement costs the database a round trip
/// and a process wake-up; five became one. The first page of activity, which nearly every visit
/// asks for, has its page size as a literal and no OFFSET: PostgreSQL keeps one plan for a
/// prepared statement only when a generic plan looks as cheap as one made for the values
/// bound, and a LIMIT or OFFSET parameter made it plan the statement again on every call (seen
/// in `pg_stat_statements`: as many plans as calls).
const RECORDS_FIRST_PAGE: &str = records_union!("");
/// Any later page of activity: planned per call, and rare.
const RECORDS_LATER_PAGE: &str = records_union!(" OFFSET $2");
/// The signed-in page with the first page of activity, as nearly every visit asks for it: the
/// session, the customer's header and every list in one statement, one round trip where there
/// were two (each a wake-up of the database process, and a network round trip where the database
/// runs on another host; on SQLite, six hand-offs to the connection's thread became one). The
/// header comes first as two rows of the lists' shape (sections -2 and -1, so they sort first):
/// the session and the customer's sealed texts, then the dates, counts and key; the key as hex
/// (`$hex`, each backend has its own spelling) and the nullable times as text, since those
/// columns hold texts. No session, no rows: every list asks for the customer of the session
/// found. `$order` sorts the rows, or leaves them to the reader.
macro_rules! first_page_by_session {
    ($hex:literal, $order:literal) => {
        concat!(
            "WITH s AS (SELECT customer_id, stage, created_at, last_seen_at, absolute_expires_at, reauthenticated_at \
             FROM sessions WHERE id_hash = $1) \
             SELECT CAST(-2 AS BIGINT) AS section, s.customer_id AS k1, s.created_at AS k2, s.last_seen_at AS n1, \
             s.absolute_expires_at AS n2, s.stage AS t1, c.public_id AS t2, c.email AS t3, c.full_name AS t4, c.phone AS t5, \
             c.date_of_birth AS t6, c.preferred_language AS t7 FROM s JOIN customers c ON c.id = s.customer_id \
             UNION ALL SELECT -1, c.created_at, ",
            header_counts!(),
            ", k.master_id, ",
            $hex,
            ", CAST(c.email_verified_at AS TEXT), CAST(c.totp_enabled_at AS TEXT), \
             CAST(s.reauthenticated_at AS TEXT), NULL, NULL \
             FROM s JOIN customers c ON c.id = s.customer_id JOIN customer_keys k ON k.customer_id = c.id UNION ALL ",
            addresses_list!("(SELECT customer_id FROM s)"),
            " UNION ALL ",
            orders_list!("(SELECT customer_id FROM s)"),
            " UNION ALL ",
            tickets_list!("(SELECT customer_id FROM s)"),
            " UNION ALL ",
            preferences_list!("(SELECT customer_id FROM s)"),
            " UNION ALL ",
            activity_list!("(SELECT customer_id FROM s)", ""),
            $order
        )
    };
}
/// PostgreSQL's [`first_page_by_session!`], sorted by the database.
const FIRST_PAGE_BY_SESSION: &str = first_page_by_session!("encode(k.wrapped, 'hex')", " ORDER BY section, k1, k2, t1, t2");
/// SQLite's [`first_page_by_session!`], unsorted: SQLite sorting the union's rows together cost
/// more than the hand-offs saved (see [`SQLITE_LISTS`]); the reader sorts them, a few
/// microseconds for a page's few dozen rows.
const SQLITE_FIRST_PAGE_BY_SESSION: &str = first_page_by_session!("lower(hex(k.wrapped))", "");
/// SQLite, a later page of activity and the read by id: one statement per list. A statement
/// there is a hand-off to the connection's thread, not a round trip, and the union sorted by
/// SQLite, every list's rows together, cost more than the hand-offs it saved (measured: about
/// 190 µs against 125 µs for the five).
const SQLITE_LISTS: [&str; 4] = [
    concat!(addresses_list!("$1"), " ORDER BY id"),
    concat!(orders_list!("$1"), " ORDER BY placed_at DESC, id DESC"),
    concat!(tickets_list!("$1"), " ORDER BY opened_at DESC, id DESC"),
    concat!(preferences_list!("$1"), " ORDER BY topic, channel"),
];
const SQLITE_ACTIVITY: &str = concat!(activity_list!("$1", " OFFSET $2"), " ORDER BY occurred_at DESC, id DESC");

type Text = Option<String>;
type RecordRow = (i64, i64, i64, i64, i64, Text, Text, Text, Text, Text, Text, Text);

/// The record lists of "My data", rows formatted for the page.
#[derive(Default)]
struct Records {
    addresses: Vec<Vec<Cell>>,
    address_ids: Vec<i64>,
    orders: Vec<Vec<Cell>>,
    tickets: Vec<Vec<Cell>>,
    preferences: Vec<Vec<Cell>>,
    activity: Vec<Vec<Cell>>,
}

/// The count of activity events in a header row.
fn activity_events(header: &HeaderRow) -> i64 {
    header.11
}

/// The activity page asked for, kept within the pages there are.
fn activity_page_in_range(page: i64, total: i64) -> i64 {
    let last_page = ((total - 1).max(0)) / ACTIVITY_PAGE_SIZE;
    page.clamp(0, last_page)
}

/// The record rows formatted for the page, addresses opened with the customer's key.
fn records(rows: Vec<RecordRow>, key: &CustomerKey, lang: Lang) -> Result<Records> {
    let mut out = Records::default();
    for (section, _, _, n1, n2, t1, t2, t3, t4, t5, t6, t7) in rows {
        let (t1, t2) = (t1.unwrap_or_default(), t2.unwrap_or_default());
        match section {
            0 => {
                let sealed = SealedAddress {
                    label: t1,
                    line1: t2,
                    line2: t3,
                    city: t4.unwrap_or_default(),
                    postal_code: t5.unwrap_or_default(),
                    region: t6,
                    country: t7.unwrap_or_default(),
                };
                out.address_ids.push(n1);
                out.addresses.push(address_row(vault::customer::open_address(key, n1, n2, sealed)?.value));
            }
            1 => out.orders.push(vec![
                text(t1),
                text(locale::date(lang, n1)),
                opt(t4),
                text(locale::money(lang, n2, t3.as_deref().unwrap_or_default())),
                term("status_", &t2),
            ]),
            2 => out.tickets.push(vec![
                text(t1),
                text(locale::date(lang, n1)),
                term("channel_", &t2),
                opt(t3),
                term("status_", t4.as_deref().unwrap_or_default()),
            ]),
            3 => out.preferences.push(vec![
                term("topic_", &t1),
                term("channel_", &t2),
                Cell::Term(if n2 != 0 { "on".into() } else { "off".into() }),
                text(locale::date(lang, n1)),
            ]),
            _ => out.activity.push(vec![
                text(locale::date_time(lang, n1)),
                // A change names the field; the page says it in the customer's language.
                term("activity_", &t1),
                if t1 == "data_changed" { term("field_", &t2) } else { text(t2) },
                opt(t3),
                opt(t4),
            ]),
        }
    }
    Ok(out)
}
