//! `index.html`: the package as a page a person reads, in their language, with no scripts and no
//! external assets (one inline stylesheet), so it opens offline in any browser. askama escapes
//! every value. The activity log shows its newest rows; all of them are in the CSV and JSON.

use askama::Template;

use crate::catalogue::CategoryInfo;
use crate::locale::{self, Lang};
use crate::{Error, Result};

use super::rights::{Right, rights};
use super::snapshot::Snapshot;
use super::tables::{self, Table};

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
        let fixed = |t: Table| (t.columns, t.rows, None);
        let (cols, rows, note): (&[&str], Vec<Vec<String>>, Option<String>) = match c.key.as_str() {
            "profile" => fixed(tables::profile(s)),
            "contact" => fixed(tables::contact(s)),
            "addresses" => fixed(tables::addresses(s)),
            // For people: the amount formatted in their language.
            "orders" => (
                &["order_number", "placed_at", "items", "total", "status"],
                s.orders
                    .iter()
                    .map(|o| vec![o.order_number.clone(), o.placed_at.clone(), o.items.clone(), locale::money(s.lang, o.total_cents, &o.currency), o.status.clone()])
                    .collect(),
                None,
            ),
            "support" => fixed(tables::support_tickets(s)),
            "preferences" => fixed(tables::preferences(s)),
            "activity" => (
                &["occurred_at", "kind", "detail", "ip", "user_agent"],
                recent.clone(),
                (activity_total > recent.len() as i64).then(|| {
                    w.activity_note.replace("{shown}", &recent.len().to_string()).replace("{total}", &activity_total.to_string())
                }),
            ),
            "security" => fixed(tables::security(s)),
            _ => (&[], Vec::new(), None),
        };
        sections.push(Section { title: c.texts.title.clone(), about, columns: columns(cols), rows, note });
    }
    for (title, t) in [(w.consents, tables::consent_history(s)), (w.staff, tables::staff_access(s))] {
        sections.push(Section { title: title.into(), about: Vec::new(), columns: columns(t.columns), rows: t.rows, note: None });
    }
    let lead = w.lead.replace("{ref}", &s.customer_reference).replace("{date}", &locale::date_time(s.lang, generated_at));
    Page { lang: s.lang.code(), title: w.title, lead, sections, rights_title: w.rights, rights: rights(s.lang) }
        .render()
        .map_err(|_| Error::Internal("export report template"))
}
