use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDataView {
    pub public_id: String,
    pub full_name: String,
    pub categories: Vec<CategoryView>,
    /// Changes waiting for confirmation by link + code.
    pub pending: Vec<PendingView>,
    /// Corrections and disputes sent to the company, with their status and deadline.
    pub requests: Vec<super::submit_request::RequestView>,
    /// Incident notices not yet acknowledged: shown as banners.
    pub banners: Vec<super::incidents::views::BannerView>,
    /// Privacy-policy changes not yet seen.
    pub policy_notices: Vec<super::consent::views::PolicyNoticeView>,
    /// A confirmed erasure waiting for its date.
    pub erasure: Option<super::erasure::views::ScheduledView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingView {
    pub id: i64,
    pub field: String,
    pub new_value: CellView,
    pub expires: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub key: String,
    pub title: String,
    pub purpose: String,
    pub legal_basis: String,
    pub retention: String,
    pub source: String,
    pub recipients: Vec<RecipientView>,
    pub fields: Vec<(String, CellView)>,
    pub table: Option<TableView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientView {
    pub name: String,
    pub role: String,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableView {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<CellView>>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    /// Row ids for rows the customer can change (addresses).
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellView {
    Text(String),
    /// A word from a fixed set, translated in the page.
    Term(String),
}

/// Everything held about the signed-in customer; `activity_page` pages the activity history.
#[server(endpoint = "my_data")]
pub async fn my_data(activity_page: i64) -> Result<MyDataView, AppError> {
    use super::ssr::*;

    let portal = portal()?;
    // The catalogue first (it is cached, but a miss reads the pool): a page holding a
    // connection must never wait for a second.
    let catalogue = domain::catalogue::load(&portal, lang()).await.map_err(internal)?;
    // Who is asking and what they see come in one statement (see `profile::signed_in`).
    let token = session_token().unwrap_or_default();
    let signed_in = domain::profile::signed_in(&portal, catalogue, &token, lang(), activity_page).await.map_err(internal)?;
    let Some((session, data)) = signed_in else { return Err(unauthenticated()) };
    let id = session.customer_id;
    // Each list beside the data is asked for only when the read above says it may hold
    // something: most customers have none of them, and every query is a round trip. They
    // share one connection, taken after the read above gave its own back.
    let outstanding = data.outstanding;
    let mut view = convert::my_data(data);
    if outstanding == domain::profile::Outstanding::default() {
        return Ok(view);
    }
    let mut db = portal.store.reader().await.map_err(internal)?;
    if outstanding.policy_changes {
        view.policy_notices = super::consent::center::notices(&mut db, id, lang()).await?;
    }
    if outstanding.pending_changes {
        let pending = domain::verification::pending_for(&mut *db, &portal, id).await.map_err(internal)?;
        view.pending = pending
            .into_iter()
            .map(|p| PendingView {
                id: p.id,
                field: p.field.key().to_string(),
                new_value: match p.field.key() {
                    "preferred_language" => CellView::Term(format!("lang_{}", p.new_value)),
                    "erasure" => CellView::Term("erasure_after".into()),
                    _ => CellView::Text(p.new_value),
                },
                expires: domain::locale::date_time(lang(), p.expires_at),
            })
            .collect();
    }
    if outstanding.requests {
        let requests = domain::requests::for_customer(&mut *db, id).await.map_err(internal)?;
        view.requests = requests
            .into_iter()
            .map(|r| super::submit_request::RequestView {
                id: r.id,
                kind: r.kind,
                subject: r.subject,
                status: r.status,
                received: domain::locale::date(lang(), r.received_at),
                due: domain::locale::date(lang(), r.due_at),
            })
            .collect();
    }
    if outstanding.incident_notices {
        let banners = domain::incidents::notify::banners(&mut *db, id).await.map_err(internal)?;
        view.banners = banners
            .into_iter()
            .map(|b| super::incidents::views::BannerView {
                notice_id: b.notice_id,
                notified: domain::locale::date(lang(), b.notified_at),
                what_happened: b.what_happened,
                consequences: b.consequences,
                measures: b.measures,
            })
            .collect();
    }
    if outstanding.erasure {
        let scheduled = domain::erasure::scheduled(&mut *db, id).await.map_err(internal)?;
        view.erasure = super::erasure::preview::scheduled(&portal, scheduled, lang());
    }
    Ok(view)
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use domain::profile::{Cell, MyData};

    fn cell(c: Cell) -> CellView {
        match c {
            Cell::Text(s) => CellView::Text(s),
            Cell::Term(s) => CellView::Term(s),
        }
    }

    pub fn my_data(d: MyData) -> MyDataView {
        MyDataView {
            public_id: d.public_id,
            full_name: d.full_name,
            categories: d
                .categories
                .into_iter()
                .map(|c| CategoryView {
                    key: c.info.key,
                    title: c.info.texts.title,
                    purpose: c.info.texts.purpose,
                    legal_basis: c.info.texts.legal_basis,
                    retention: c.info.texts.retention,
                    source: c.info.texts.source,
                    recipients: c
                        .info
                        .recipients
                        .into_iter()
                        .map(|r| RecipientView { name: r.name, role: r.role, country: r.country })
                        .collect(),
                    fields: c.fields.into_iter().map(|(k, v)| (k.to_string(), cell(v))).collect(),
                    table: c.table.map(|t| TableView {
                        columns: t.columns.into_iter().map(str::to_string).collect(),
                        rows: t.rows.into_iter().map(|r| r.into_iter().map(cell).collect()).collect(),
                        total: t.total,
                        page: t.page,
                        page_size: t.page_size,
                        ids: t.ids,
                    }),
                })
                .collect(),
            pending: Vec::new(),
            requests: Vec::new(),
            banners: Vec::new(),
            policy_notices: Vec::new(),
            erasure: None,
        }
    }
}
