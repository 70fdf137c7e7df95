use leptos::prelude::*;

use super::views::StaffRequestView;
use crate::api::AppError;

/// One request as staff work it. It shows the customer's words, so opening it is logged where
/// the customer sees it.
#[server(endpoint = "staff_request")]
pub async fn staff_request(id: i64) -> Result<StaffRequestView, AppError> {
    use super::views::convert;
    use crate::api::ssr::*;

    let portal = portal()?;
    let session = require_staff(&portal).await?;
    let r = domain::requests::queue::open(&portal, &session, id, &meta()).await.map_err(internal)?;
    let lang = lang();
    let open = r.item.urgency != domain::requests::Urgency::Closed;
    Ok(StaffRequestView {
        me: convert::me(&session.staff),
        may_propose: open && r.item.kind == "correction",
        item: convert::item(lang, r.item),
        explanation: r.explanation,
        extension_months: r.extension_months,
        may_extend: r.may_extend,
        timeline: r.timeline.into_iter().map(|e| convert::event(lang, e)).collect(),
        rating: r.rating,
    })
}
