//! The demo customer seeded on first start, so the portal looks like a real account from minute
//! one. Deterministic apart from dates, which are laid out backwards from now.

use crate::import::{
    ImportActivity, ImportAddress, ImportCustomer, ImportFile, ImportOrder, ImportPreference,
    ImportTicket,
};
use crate::{Portal, Result};

pub const DEMO_EMAIL: &str = "demo@custodia.test";
pub const DEMO_PASSWORD: &str = "custodia-demo-2026";

/// Demo staff: an agent and a DPO sharing one published authenticator key. Demo mode only; a
/// real deployment creates staff with `server staff add`, which generates both secrets.
pub const DEMO_AGENT: &str = "agent@custodia.test";
pub const DEMO_DPO: &str = "dpo@custodia.test";
pub const DEMO_STAFF_PASSWORD: &str = "custodia-staff-2026";
pub const DEMO_STAFF_TOTP_KEY: &str = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA";

const DAY: i64 = 86_400;

/// Seeds the demo agent and DPO unless they exist; true when they were seeded.
pub async fn seed_staff_if_absent(portal: &Portal) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff WHERE email IN ($1, $2)")
        .bind(DEMO_AGENT)
        .bind(DEMO_DPO)
        .fetch_one(portal.store.pool())
        .await?;
    if n > 0 {
        return Ok(false);
    }
    let secret = crate::identity::totp::secret_from_base32(DEMO_STAFF_TOTP_KEY).ok_or(crate::Error::Internal("demo key"))?;
    crate::staff::add(portal, DEMO_AGENT, crate::staff::Role::Agent, DEMO_STAFF_PASSWORD, Some(secret.clone())).await?;
    crate::staff::add(portal, DEMO_DPO, crate::staff::Role::Dpo, DEMO_STAFF_PASSWORD, Some(secret)).await?;
    Ok(true)
}

/// Seeds the demo customer unless one is there already; true when it was seeded.
pub async fn seed_if_empty(portal: &Portal) -> Result<bool> {
    if crate::vault::customer::id_by_email(portal.store.pool(), portal, DEMO_EMAIL).await?.is_some() {
        return Ok(false);
    }
    let file = ImportFile { catalogue: None, customers: vec![customer(DEMO_EMAIL, portal.now())] };
    crate::import::run(portal, &file).await?;
    Ok(true)
}

/// A small linear congruential generator: the same account every time, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The demo account's data, addressed to `email`; `now` anchors its dates.
pub fn customer(email: &str, now: i64) -> ImportCustomer {
    let mut rng = Lcg(2026);
    let orders = (0..14)
        .map(|i| {
            let items = [
                ("Trail running shoes, size 39", 11_990),
                ("Merino base layer (2)", 7_980),
                ("Rain jacket, graphite", 15_900),
                ("Water bottle 750 ml", 1_490),
                ("Hiking socks (3 pairs)", 2_470),
                ("Headlamp 400 lm", 3_999),
                ("Day pack 22 l", 8_900),
            ];
            let (summary, cents) = items[rng.next(items.len() as u64) as usize];
            let status = if i < 1 { "shipped" } else if i == 5 { "returned" } else { "delivered" };
            ImportOrder {
                order_number: format!("NW-{}", 240_117 + i * 37),
                placed_at: now - (i as i64 * 23 + 3) * DAY,
                status: status.into(),
                total_cents: cents,
                currency: "EUR".into(),
                items_summary: summary.into(),
            }
        })
        .collect();
    let tickets = [
        ("Parcel delivered to the wrong door", "email", "closed"),
        ("Return label for order NW-240302", "chat", "closed"),
        ("Invoice with my company's VAT number", "email", "closed"),
        ("Size exchange for trail shoes", "phone", "closed"),
        ("Question about the rain jacket warranty", "chat", "open"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (subject, channel, status))| ImportTicket {
        reference: format!("SUP-{}", 8_812 + i * 113),
        opened_at: now - (300 - i as i64 * 70) * DAY,
        channel: (*channel).into(),
        subject: (*subject).into(),
        status: (*status).into(),
    })
    .collect();
    let mut preferences = Vec::new();
    for (topic, channel, enabled) in [
        ("order_updates", "email", true),
        ("order_updates", "sms", true),
        ("newsletter", "email", false),
        ("product_recommendations", "email", false),
        ("surveys", "email", false),
    ] {
        preferences.push(ImportPreference { topic: topic.into(), channel: channel.into(), enabled });
    }
    let agents = [
        "Firefox 132 on Linux",
        "Safari on iPhone",
        "Chrome 131 on Windows",
        "Custodia mobile app 4.2 on Android",
    ];
    let pages = [
        "/products/trail-running-shoes",
        "/products/rain-jacket",
        "/account/orders",
        "/help/returns",
        "/products/merino-base-layer",
        "/cart",
    ];
    let mut activity: Vec<ImportActivity> = (0..420)
        .map(|i| {
            let at = now - (i as i64) * 20 * 3600 - rng.next(3600) as i64;
            let (kind, detail) = match rng.next(10) {
                0..=2 => ("sign_in".to_string(), String::new()),
                3..=7 => ("page_view".to_string(), pages[rng.next(pages.len() as u64) as usize].into()),
                8 => ("newsletter_opened".to_string(), "Autumn trails issue".to_string()),
                _ => ("search".to_string(), "waterproof".to_string()),
            };
            ImportActivity {
                occurred_at: at,
                kind,
                detail,
                ip: Some(format!("203.0.113.{}", 10 + rng.next(40))),
                user_agent: Some(agents[rng.next(agents.len() as u64) as usize].into()),
            }
        })
        .collect();
    activity.sort_by_key(|a| a.occurred_at);
    ImportCustomer {
        email: email.into(),
        password: Some(DEMO_PASSWORD.into()),
        password_hash: None,
        full_name: "Lucía Fernández Ortega".into(),
        phone: Some("+34 612 345 678".into()),
        date_of_birth: Some("1988-04-17".into()),
        preferred_language: Some("en".into()),
        created_at: Some(now - 400 * DAY),
        addresses: vec![
            ImportAddress {
                label: "Home".into(),
                line1: "Calle de la Princesa 31, 4º B".into(),
                line2: None,
                city: "Madrid".into(),
                postal_code: "28008".into(),
                region: Some("Madrid".into()),
                country: "ES".into(),
            },
            ImportAddress {
                label: "Work".into(),
                line1: "Paseo de la Castellana 89".into(),
                line2: Some("Planta 12".into()),
                city: "Madrid".into(),
                postal_code: "28046".into(),
                region: Some("Madrid".into()),
                country: "ES".into(),
            },
            ImportAddress {
                label: "Holiday flat".into(),
                line1: "Via San Vitale 14".into(),
                line2: None,
                city: "Bologna".into(),
                postal_code: "40125".into(),
                region: Some("Emilia-Romagna".into()),
                country: "IT".into(),
            },
        ],
        orders,
        support_tickets: tickets,
        communication_preferences: preferences,
        activity,
    }
}
