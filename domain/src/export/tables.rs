//! Every table of the package but the activity log, defined once: the CSV files and the
//! readable page show the same columns, named as in data.json.

use super::snapshot::Snapshot;

pub struct Table {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn fields(rows: Vec<(&str, String)>) -> Table {
    Table { columns: &["field", "value"], rows: rows.into_iter().map(|(k, v)| vec![k.to_string(), v]).collect() }
}

pub fn profile(s: &Snapshot) -> Table {
    fields(vec![
        ("full_name", s.profile.full_name.clone()),
        ("date_of_birth", opt(&s.profile.date_of_birth)),
        ("customer_reference", s.customer_reference.clone()),
        ("customer_since", s.profile.customer_since.clone()),
    ])
}

pub fn contact(s: &Snapshot) -> Table {
    fields(vec![
        ("email", s.contact.email.clone()),
        ("email_verified_at", opt(&s.contact.email_verified_at)),
        ("phone", opt(&s.contact.phone)),
        ("preferred_language", s.contact.preferred_language.clone()),
    ])
}

pub fn security(s: &Snapshot) -> Table {
    fields(vec![
        ("password", s.security.password.into()),
        ("two_step_enabled_at", opt(&s.security.two_step_enabled_at)),
        ("recovery_codes_left", s.security.recovery_codes_left.to_string()),
    ])
}

pub fn addresses(s: &Snapshot) -> Table {
    Table {
        columns: &["label", "line1", "line2", "city", "postal_code", "region", "country"],
        rows: s
            .addresses
            .iter()
            .map(|a| vec![a.label.clone(), a.line1.clone(), opt(&a.line2), a.city.clone(), a.postal_code.clone(), opt(&a.region), a.country.clone()])
            .collect(),
    }
}

/// Orders with the amount raw (cents and currency), for machines; the page formats it.
pub fn orders(s: &Snapshot) -> Table {
    Table {
        columns: &["order_number", "placed_at", "status", "items", "total_cents", "currency"],
        rows: s
            .orders
            .iter()
            .map(|r| vec![r.order_number.clone(), r.placed_at.clone(), r.status.clone(), r.items.clone(), r.total_cents.to_string(), r.currency.clone()])
            .collect(),
    }
}

pub fn support_tickets(s: &Snapshot) -> Table {
    Table {
        columns: &["reference", "opened_at", "channel", "subject", "status"],
        rows: s
            .support_tickets
            .iter()
            .map(|t| vec![t.reference.clone(), t.opened_at.clone(), t.channel.clone(), t.subject.clone(), t.status.clone()])
            .collect(),
    }
}

pub fn preferences(s: &Snapshot) -> Table {
    Table {
        columns: &["topic", "channel", "enabled", "updated_at"],
        rows: s
            .communication_preferences
            .iter()
            .map(|p| vec![p.topic.clone(), p.channel.clone(), p.enabled.to_string(), p.updated_at.clone()])
            .collect(),
    }
}

pub fn requests(s: &Snapshot) -> Table {
    Table {
        columns: &["kind", "subject", "status", "received_at", "due_at"],
        rows: s
            .requests
            .iter()
            .map(|r| vec![r.kind.clone(), r.subject.clone(), r.status.clone(), r.received_at.clone(), r.due_at.clone()])
            .collect(),
    }
}

pub fn sessions(s: &Snapshot) -> Table {
    Table {
        columns: &["signed_in_at", "last_seen_at", "ip", "device"],
        rows: s.sessions.iter().map(|x| vec![x.signed_in_at.clone(), x.last_seen_at.clone(), x.ip.clone(), x.device.clone()]).collect(),
    }
}

pub fn consent_history(s: &Snapshot) -> Table {
    Table {
        columns: &["at", "purpose", "action", "purpose_version", "privacy_policy_version", "channel", "receipt_id"],
        rows: s
            .consent_history
            .iter()
            .map(|r| vec![r.at.clone(), r.purpose.clone(), r.action.clone(), r.purpose_version.to_string(), r.privacy_policy_version.to_string(), r.channel.clone(), r.receipt_id.clone()])
            .collect(),
    }
}

pub fn staff_access(s: &Snapshot) -> Table {
    Table {
        columns: &["at", "staff_role", "staff_pseudonym", "what", "reason"],
        rows: s.staff_access.iter().map(|a| vec![a.at.clone(), a.staff_role.clone(), a.staff_pseudonym.clone(), a.what.clone(), a.reason.clone()]).collect(),
    }
}
