//! Each kind of mail Custodia sends, filled in the recipient's language.

use super::templates::{Action, Labelled, Message};
use super::texts::{capitalised, fill, text};
use crate::{Lang, locale};

fn base(lang: Lang, name: &str, subject: String, paragraphs: Vec<String>) -> Message {
    Message {
        lang,
        subject,
        greeting: fill(lang, "greeting", &[("name", name)]),
        paragraphs,
        value: None,
        action: None,
        after_action: Vec::new(),
        footer: text(lang, "footer").to_string(),
    }
}

fn field(lang: Lang, key: &str) -> &'static str {
    text(lang, &format!("field.{key}"))
}

/// The single-use link that confirms a pending change; goes to the address being proven.
pub fn confirm_change(lang: Lang, name: &str, field_key: &str, new_value: &str, url: &str, minutes: i64) -> Message {
    let f = field(lang, field_key);
    let mut m = base(
        lang,
        name,
        capitalised(&fill(lang, "confirm.subject", &[("field", f)])),
        vec![capitalised(&fill(lang, "confirm.intro", &[("field", f)]))],
    );
    m.value = Some(Labelled { label: text(lang, "confirm.new_value").into(), value: new_value.into() });
    m.action = Some(Action { label: text(lang, "confirm.action").into(), url: url.into() });
    m.after_action = vec![
        fill(lang, "confirm.how", &[("minutes", &minutes.to_string())]),
        text(lang, "confirm.ignore").into(),
    ];
    m
}

/// Sent after a change was applied, to the address on file.
pub fn changed(lang: Lang, name: &str, field_key: &str, at: i64) -> Message {
    let f = field(lang, field_key);
    let when = locale::date_time(lang, at);
    base(
        lang,
        name,
        capitalised(&fill(lang, "changed.subject", &[("field", f)])),
        vec![
            capitalised(&fill(lang, "changed.intro", &[("field", f), ("when", &when)])),
            text(lang, "changed.not_you").into(),
        ],
    )
}

/// Sent to the previous address after an email change, with a link that undoes it.
pub fn email_changed(lang: Lang, name: &str, new_email: &str, at: i64, revert_url: &str, days: i64) -> Message {
    let when = locale::date_time(lang, at);
    let mut m = base(
        lang,
        name,
        text(lang, "email_changed.subject").into(),
        vec![fill(lang, "email_changed.intro", &[("when", &when), ("new", new_email)])],
    );
    m.action = Some(Action { label: text(lang, "email_changed.action").into(), url: revert_url.into() });
    m.after_action = vec![fill(lang, "email_changed.how", &[("days", &days.to_string())])];
    m
}

pub fn email_restored(lang: Lang, name: &str) -> Message {
    base(
        lang,
        name,
        text(lang, "email_restored.subject").into(),
        vec![text(lang, "email_restored.intro").into()],
    )
}

pub fn password_changed(lang: Lang, name: &str, at: i64, others_ended: u64) -> Message {
    factor_changed(lang, name, at, others_ended, "password")
}

pub fn authenticator_changed(lang: Lang, name: &str, at: i64, others_ended: u64) -> Message {
    factor_changed(lang, name, at, others_ended, "authenticator")
}

/// A forgotten password: the single-use link, to the address on file.
pub fn password_reset_link(lang: Lang, name: &str, url: &str, minutes: i64) -> Message {
    let mut m = base(lang, name, text(lang, "reset_link.subject").into(), vec![text(lang, "reset_link.intro").into()]);
    m.action = Some(Action { label: text(lang, "reset_link.action").into(), url: url.into() });
    m.after_action = vec![fill(lang, "reset_link.how", &[("minutes", &minutes.to_string())]), text(lang, "reset_link.ignore").into()];
    m
}

/// The password was reset from a mailed link; `ended` counts every session, none is kept.
pub fn password_reset(lang: Lang, name: &str, at: i64, ended: u64) -> Message {
    factor_changed(lang, name, at, ended, "password_reset")
}

/// A sign-in factor changed (texts `<which>.subject`, `<which>.intro`), and how many other
/// sessions that ended.
fn factor_changed(lang: Lang, name: &str, at: i64, others_ended: u64, which: &str) -> Message {
    let when = locale::date_time(lang, at);
    let intro = fill(lang, &format!("{which}.intro"), &[("when", &when), ("ended", &others_ended.to_string())]);
    base(lang, name, text(lang, &format!("{which}.subject")).into(), vec![intro, text(lang, "changed.not_you").into()])
}

pub fn recovery_code_used(lang: Lang, name: &str, at: i64, left: i64) -> Message {
    let when = locale::date_time(lang, at);
    base(
        lang,
        name,
        text(lang, "recovery.subject").into(),
        vec![
            fill(lang, "recovery.intro", &[("when", &when), ("left", &left.to_string())]),
            text(lang, "changed.not_you").into(),
        ],
    )
}

fn request_action(lang: Lang, m: &mut Message, url: &str) {
    m.action = Some(Action { label: text(lang, "request.action").into(), url: url.into() });
}

/// Acknowledges a request with its legal deadline.
pub fn request_received(lang: Lang, name: &str, kind: &str, at: i64, due: i64, url: &str) -> Message {
    let k = text(lang, &format!("kind.{kind}"));
    let mut m = base(
        lang,
        name,
        fill(lang, "received.subject", &[("kind", k)]),
        vec![fill(lang, "received.intro", &[("when", &locale::date(lang, at)), ("due", &locale::date(lang, due))])],
    );
    request_action(lang, &mut m, url);
    m
}

/// Staff wrote about a request (and perhaps changed its status).
pub fn request_update(lang: Lang, name: &str, kind: &str, status: &str, message: &str, url: &str) -> Message {
    let k = text(lang, &format!("kind.{kind}"));
    let mut m = base(
        lang,
        name,
        fill(lang, "update.subject", &[("kind", k)]),
        vec![fill(lang, "update.intro", &[("status", text(lang, &format!("status.{status}")))])],
    );
    m.value = Some(Labelled { label: text(lang, "update.message").into(), value: message.into() });
    request_action(lang, &mut m, url);
    m
}

/// The deadline was extended, with the reason, before the first month ended.
pub fn request_extended(lang: Lang, name: &str, due: i64, reason: &str, url: &str) -> Message {
    let mut m = base(
        lang,
        name,
        text(lang, "extended.subject").into(),
        vec![fill(lang, "extended.intro", &[("due", &locale::date(lang, due))])],
    );
    m.value = Some(Labelled { label: text(lang, "extended.reason").into(), value: reason.into() });
    request_action(lang, &mut m, url);
    m
}

/// Telling a customer about a breach (Article 34 GDPR): what happened, likely consequences,
/// measures taken, and whom to ask.
pub fn incident_notice(lang: Lang, name: &str, what: &str, consequences: &str, measures: &str, contact_url: &str) -> Message {
    let mut m = base(
        lang,
        name,
        text(lang, "incident.subject").into(),
        vec![
            text(lang, "incident.intro").into(),
            fill(lang, "incident.consequences", &[("text", consequences)]),
            fill(lang, "incident.measures", &[("text", measures)]),
        ],
    );
    m.value = Some(Labelled { label: text(lang, "incident.what").into(), value: what.into() });
    m.action = Some(Action { label: text(lang, "incident.action").into(), url: contact_url.into() });
    m.after_action = vec![text(lang, "incident.contact").into()];
    m
}

/// A material change of the privacy policy: the DPO's summary, and which consents are asked
/// for again because their purpose was reworded.
pub fn policy_changed(lang: Lang, name: &str, summary: &str, asked_again: &[String], url: &str) -> Message {
    let mut m = base(lang, name, text(lang, "policy.subject").into(), vec![text(lang, "policy.intro").into()]);
    m.value = Some(Labelled { label: text(lang, "policy.summary").into(), value: summary.into() });
    m.action = Some(Action { label: text(lang, "policy.action").into(), url: url.into() });
    if !asked_again.is_empty() {
        m.after_action = vec![fill(lang, "policy.asked_again", &[("purposes", &asked_again.join(", "))])];
    }
    m
}

/// The single-use link that confirms an erasure request; the grace period follows.
pub fn confirm_erasure(lang: Lang, name: &str, url: &str, minutes: i64, days: i64) -> Message {
    let mut m = base(lang, name, text(lang, "erasure_confirm.subject").into(), vec![text(lang, "erasure_confirm.intro").into()]);
    m.action = Some(Action { label: text(lang, "erasure_confirm.action").into(), url: url.into() });
    m.after_action = vec![
        fill(lang, "erasure_confirm.how", &[("minutes", &minutes.to_string()), ("days", &days.to_string())]),
        text(lang, "confirm.ignore").into(),
    ];
    m
}

/// Sent when an erasure is confirmed (`reminder`: again shortly before it is carried out).
pub fn erasure_scheduled(lang: Lang, name: &str, due_at: i64, url: &str, reminder: bool) -> Message {
    let date = locale::date(lang, due_at);
    let subject = if reminder { "erasure_reminder.subject" } else { "erasure_scheduled.subject" };
    let mut m = base(lang, name, fill(lang, subject, &[("date", &date)]), vec![fill(lang, "erasure_scheduled.intro", &[("date", &date)])]);
    m.action = Some(Action { label: text(lang, "erasure_scheduled.action").into(), url: url.into() });
    m
}

pub fn erasure_cancelled(lang: Lang, name: &str) -> Message {
    base(lang, name, text(lang, "erasure_cancelled.subject").into(), vec![text(lang, "erasure_cancelled.intro").into()])
}

/// The final receipt: what was erased, what is kept until when and why, who was told.
/// `kept`: (what, until, ground) per category that keeps records.
pub fn erasure_done(lang: Lang, name: &str, reference: &str, at: i64, erased: &[String], kept: &[(String, i64, String)], recipients: &[String]) -> Message {
    let mut paragraphs = vec![fill(lang, "erasure_done.intro", &[("date", &locale::date(lang, at)), ("reference", reference)])];
    for (what, until, ground) in kept {
        paragraphs.push(fill(lang, "erasure_done.kept", &[("what", what), ("date", &locale::date(lang, *until)), ("ground", ground)]));
    }
    if !recipients.is_empty() {
        paragraphs.push(fill(lang, "erasure_done.recipients", &[("names", &recipients.join(", "))]));
    }
    let mut m = base(lang, name, text(lang, "erasure_done.subject").into(), paragraphs);
    m.value = Some(Labelled { label: text(lang, "erasure_done.erased").into(), value: erased.join(", ") });
    m.after_action = vec![text(lang, "erasure_done.last").into()];
    m
}

/// Says an export can be downloaded; the link leads to the export page, never to the file.
pub fn export_ready(lang: Lang, name: &str, requested_at: i64, expires_at: i64, url: &str) -> Message {
    let mut m = base(
        lang,
        name,
        text(lang, "export_ready.subject").into(),
        vec![fill(lang, "export_ready.intro", &[("date", &locale::date(lang, requested_at))])],
    );
    m.action = Some(Action { label: text(lang, "export_ready.action").into(), url: url.into() });
    m.after_action = vec![fill(lang, "export_ready.how", &[("date", &locale::date(lang, expires_at))])];
    m
}
