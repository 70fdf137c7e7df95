//! `index.html`: the package as a page a person reads, in their language, with no scripts and no
//! external assets (one inline stylesheet), so it opens offline in any browser. askama escapes
//! every value. The activity log shows its newest rows; all of them are in the CSV and JSON.

use askama::Template;

use crate::catalogue::CategoryInfo;
use crate::locale::{self, Lang};
use crate::{Error, Result};

use super::rights::{Right, rights};
use super::snapshot::Snapshot;

/// Newest activity rows shown in the page; a browser stays usable and the rest is in the files.
pub const ACTIVITY_ROWS: i64 = 1_000;

pub struct Section {
    pub title: String,
    pub about: Vec<(String, String)>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "export/report.html")]
struct Page<'a> {
    lang: &'a str,
    title: &'a str,
    lead: String,
    sections: Vec<Section>,
    rights_title: &'a str,
    rights: Vec<Right>,
}

struct Words {
    title: &'static str,
    lead: &'static str,
    purpose: &'static str,
    legal_basis: &'static str,
    retention: &'static str,
    source: &'static str,
    recipients: &'static str,
    none: &'static str,
    consents: &'static str,
    staff: &'static str,
    rights: &'static str,
    activity_note: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            title: "Your data",
            lead: "Everything we hold about you (customer {ref}), as of {date}. The same data is in data.json and the CSV files of this package.",
            purpose: "Why we hold it",
            legal_basis: "Legal basis",
            retention: "How long",
            source: "Where it came from",
            recipients: "Who receives it",
            none: "No one",
            consents: "Your consents (history)",
            staff: "Staff who looked at your data",
            rights: "Your rights",
            activity_note: "The newest {shown} of {total} entries; all of them are in activity.csv and data.json.",
        },
        Lang::Es => Words {
            title: "Tus datos",
            lead: "Todo lo que tenemos sobre ti (cliente {ref}), a {date}. Los mismos datos están en data.json y en los archivos CSV de este paquete.",
            purpose: "Para qué los tenemos",
            legal_basis: "Base jurídica",
            retention: "Cuánto tiempo",
            source: "De dónde vienen",
            recipients: "Quién los recibe",
            none: "Nadie",
            consents: "Tus consentimientos (historial)",
            staff: "Personal que consultó tus datos",
            rights: "Tus derechos",
            activity_note: "Las {shown} entradas más recientes de {total}; todas están en activity.csv y data.json.",
        },
        Lang::It => Words {
            title: "I tuoi dati",
            lead: "Tutto ciò che conserviamo su di te (cliente {ref}), al {date}. Gli stessi dati sono in data.json e nei file CSV di questo pacchetto.",
            purpose: "Perché li conserviamo",
            legal_basis: "Base giuridica",
            retention: "Per quanto tempo",
            source: "Da dove provengono",
            recipients: "Chi li riceve",
            none: "Nessuno",
            consents: "I tuoi consensi (storico)",
            staff: "Personale che ha consultato i tuoi dati",
            rights: "I tuoi diritti",
            activity_note: "Le {shown} voci più recenti su {total}; tutte sono in activity.csv e data.json.",
        },
    }
}

/// Column names: the same keys as data.json and the CSV files, so the three read alike.
fn columns(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.replace('_', " ")).collect()
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub fn render(s: &Snapshot, categories: &[CategoryInfo], recent: Vec<Vec<String>>, activity_total: i64, generated_at: i64) -> Result<String> {
    let w = words(s.lang);
    let mut sections = Vec::new();
    for c in categories {
        let recipients = if c.recipients.is_empty() {
            w.none.to_string()
        } else {
            c.recipients.iter().map(|r| format!("{} ({})", r.name, r.country)).collect::<Vec<_>>().join(", ")
        };
        let about = vec![
            (w.purpose.to_string(), c.texts.purpose.clone()),
            (w.legal_basis.to_string(), c.texts.legal_basis.clone()),
            (w.retention.to_string(), c.texts.retention.clone()),
            (w.source.to_string(), c.texts.source.clone()),
            (w.recipients.to_string(), recipients),
        ];
        let (cols, rows, note): (&[&str], Vec<Vec<String>>, Option<String>) = match c.key.as_str() {
            "profile" => (
                &["field", "value"],
                vec![
                    vec!["full_name".into(), s.profile.full_name.clone()],
                    vec!["date_of_birth".into(), opt(&s.profile.date_of_birth)],
                    vec!["customer_reference".into(), s.customer_reference.clone()],
                    vec!["customer_since".into(), s.profile.customer_since.clone()],
                ],
                None,
            ),
            "contact" => (
                &["field", "value"],
                vec![
                    vec!["email".into(), s.contact.email.clone()],
                    vec!["email_verified_at".into(), opt(&s.contact.email_verified_at)],
                    vec!["phone".into(), opt(&s.contact.phone)],
                    vec!["preferred_language".into(), s.contact.preferred_language.clone()],
                ],
                None,
            ),
            "addresses" => (
                &["label", "line1", "line2", "city", "postal_code", "region", "country"],
                s.addresses
                    .iter()
                    .map(|a| vec![a.label.clone(), a.line1.clone(), opt(&a.line2), a.city.clone(), a.postal_code.clone(), opt(&a.region), a.country.clone()])
                    .collect(),
                None,
            ),
            "orders" => (
                &["order_number", "placed_at", "items", "total", "status"],
                s.orders
                    .iter()
                    .map(|o| vec![o.order_number.clone(), o.placed_at.clone(), o.items.clone(), locale::money(s.lang, o.total_cents, &o.currency), o.status.clone()])
                    .collect(),
                None,
            ),
            "support" => (
                &["reference", "opened_at", "channel", "subject", "status"],
                s.support_tickets
                    .iter()
                    .map(|t| vec![t.reference.clone(), t.opened_at.clone(), t.channel.clone(), t.subject.clone(), t.status.clone()])
                    .collect(),
                None,
            ),
            "preferences" => (
                &["topic", "channel", "enabled", "updated_at"],
                s.communication_preferences
                    .iter()
                    .map(|p| vec![p.topic.clone(), p.channel.clone(), p.enabled.to_string(), p.updated_at.clone()])
                    .collect(),
                None,
            ),
            "activity" => (
                &["occurred_at", "kind", "detail", "ip", "user_agent"],
                recent.clone(),
                (activity_total > recent.len() as i64).then(|| {
                    w.activity_note.replace("{shown}", &recent.len().to_string()).replace("{total}", &activity_total.to_string())
                }),
            ),
            "security" => (
                &["field", "value"],
                vec![
                    vec!["password".into(), s.security.password.into()],
                    vec!["two_step_enabled_at".into(), opt(&s.security.two_step_enabled_at)],
                    vec!["recovery_codes_left".into(), s.security.recovery_codes_left.to_string()],
                ],
                None,
            ),
            _ => (&[], Vec::new(), None),
        };
        sections.push(Section { title: c.texts.title.clone(), about, columns: columns(cols), rows, note });
    }
    sections.push(Section {
        title: w.consents.into(),
        about: Vec::new(),
        columns: columns(&["at", "purpose", "action", "purpose_version", "privacy_policy_version", "channel", "receipt_id"]),
        rows: s
            .consent_history
            .iter()
            .map(|r| vec![r.at.clone(), r.purpose.clone(), r.action.clone(), r.purpose_version.to_string(), r.privacy_policy_version.to_string(), r.channel.clone(), r.receipt_id.clone()])
            .collect(),
        note: None,
    });
    sections.push(Section {
        title: w.staff.into(),
        about: Vec::new(),
        columns: columns(&["at", "staff_role", "staff_pseudonym", "what", "reason"]),
        rows: s
            .staff_access
            .iter()
            .map(|a| vec![a.at.clone(), a.staff_role.clone(), a.staff_pseudonym.clone(), a.what.clone(), a.reason.clone()])
            .collect(),
        note: None,
    });
    let lead = w.lead.replace("{ref}", &s.customer_reference).replace("{date}", &locale::date_time(s.lang, generated_at));
    Page { lang: s.lang.code(), title: w.title, lead, sections, rights_title: w.rights, rights: rights(s.lang) }
        .render()
        .map_err(|_| Error::Internal("export report template"))
}
