//! The notification to the supervisory authority, drafted from the record with the contents
//! Article 33(3) GDPR requires. The DPO reviews and sends it through the authority's own channel.

use super::Incident;
use crate::locale;
use crate::Lang;

/// One section per item of Article 33(3), (a) to (d), plus the reasons for delay when late
/// (Article 33(1)).
pub fn article_33(incident: &Incident, now: i64, contact: &str) -> Vec<(&'static str, String)> {
    let lang = Lang::En; // authorities are addressed in the company's working language
    let mut sections = vec![
        (
            "Nature of the breach",
            format!(
                "{}\nDiscovered: {}. Recorded: {}.",
                incident.what_happened,
                locale::date_time(lang, incident.discovered_at),
                locale::date_time(lang, incident.recorded_at)
            ),
        ),
        ("Categories of personal data concerned", incident.categories.join(", ")),
        ("Approximate number of data subjects concerned", incident.approx_affected.to_string()),
        ("Approximate number of records concerned", "To be completed by the DPO.".to_string()),
        ("Contact point (data protection officer)", contact.to_string()),
        ("Likely consequences", incident.consequences.clone()),
        ("Measures taken or proposed, including to mitigate adverse effects", incident.measures.clone()),
        (
            "Data subjects informed (Article 34)",
            format!("{} customers notified by mail and in the portal.", incident.customers_notified),
        ),
    ];
    if incident.authority_notified_at.is_none() && now > incident.authority_deadline {
        sections.push((
            "Reasons for the delay (Article 33(1))",
            "More than 72 hours have passed since discovery: state the reasons here.".to_string(),
        ));
    }
    sections
}
