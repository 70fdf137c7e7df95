use leptos::prelude::*;

use super::views::QueueView;
use crate::api::AppError;

/// The queue for `show` (open, overdue, mine, closed, all) in `order` (deadline or received).
/// Lists carry customers by reference only.
#[server(endpoint = "staff_queue")]
pub async fn staff_queue(show: String, order: String) -> Result<QueueView, AppError> {
    use super::views::convert;
    use crate::api::ssr::*;
    use domain::requests::queue::{self, Order, Show};

    let portal = portal()?;
    let session = require_staff(&portal).await?;
    let order = if order == "received" { Order::Received } else { Order::Deadline };
    let items = queue::list(&portal, &session, Show::parse(&show), order).await.map_err(internal)?;
    let lang = lang();
    Ok(QueueView { me: convert::me(&session.staff), items: items.into_iter().map(|i| convert::item(lang, i)).collect() })
}
