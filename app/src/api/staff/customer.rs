use leptos::prelude::*;

use super::views::CustomerCardView;
use crate::api::AppError;

/// A customer's record, masked, plus the one field revealed just before (if any). Logged.
#[server(endpoint = "staff_customer")]
pub async fn staff_customer(reference: String) -> Result<CustomerCardView, AppError> {
    use super::views::convert;
    use crate::api::ssr::*;
    use domain::staff::directory;

    let portal = portal()?;
    let session = require_staff(&portal).await?;
    let card = directory::find(&portal, &session, &reference, &meta()).await.map_err(internal)?;
    let revealed = directory::take_revealed(&portal, &session, &card.public_id).await.map_err(internal)?;
    let lang = lang();
    Ok(CustomerCardView {
        me: convert::me(&session.staff),
        public_id: card.public_id,
        fields: card.fields,
        revealed,
        requests: card
            .requests
            .into_iter()
            .map(|(id, kind, status, due)| (id, kind, status, domain::locale::date(lang, due)))
            .collect(),
    })
}
