use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::staff::views::EventView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequestView {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub received: String,
    pub due: String,
    pub explanation: String,
    pub timeline: Vec<EventView>,
    pub rating: Option<(i64, String)>,
    pub closed: bool,
}

/// One of the signed-in customer's requests with its timeline; anyone else's is not found.
#[server(endpoint = "my_request")]
pub async fn my_request(id: i64) -> Result<MyRequestView, AppError> {
    use super::ssr::*;
    use super::staff::views::convert;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    let r = domain::requests::customer::detail(&portal, session.customer_id, id).await.map_err(internal)?;
    let lang = lang();
    let closed = domain::requests::Status::parse(&r.request.status).is_some_and(|s| s.is_closed());
    Ok(MyRequestView {
        id: r.request.id,
        kind: r.request.kind,
        subject: r.request.subject,
        status: r.request.status,
        received: domain::locale::date(lang, r.request.received_at),
        due: domain::locale::date(lang, r.request.due_at),
        explanation: r.explanation,
        timeline: r.timeline.into_iter().map(|e| convert::event(lang, e)).collect(),
        rating: r.rating,
        closed,
    })
}
