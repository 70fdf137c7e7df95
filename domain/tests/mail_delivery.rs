//! Mail through a real SMTP server (Node's smtp-server, end2end/mail-sink.mjs) receiving what
//! lettre sends, on SQLite and PostgreSQL.

use domain::identity::totp;
use domain::mail::{Transport, outbox, worker};
use domain::verification::{self, Field, NewValue};
use domain::Portal;
use domain::on_both_backends;
use domain::testing::*;

on_both_backends!(
    an_smtp_outage_during_1000_confirmations_loses_no_mail,
    mail_arrives_in_the_customers_language,
    an_untrusted_certificate_or_a_missing_starttls_is_refused_never_sent_in_the_clear,
);

const FROM: &str = "Custodia <privacy@custodia.test>";


async fn an_smtp_outage_during_1000_confirmations_loses_no_mail(portal: Portal) {
    let email = "outage@example.test";
    let (_, secret, _) = enrolled(&portal, email).await;
    let id = customer_id(&portal, email).await;
    let port = free_port();
    let smtp = Transport::smtp(&format!("smtp://127.0.0.1:{port}"), FROM).unwrap();
    // MAIL_OUTAGE_CONFIRMATIONS to try another length of outage.
    let n: usize = std::env::var("MAIL_OUTAGE_CONFIRMATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);

    // Nothing listens on the port: every delivery attempt fails while changes go on.
    let started = std::time::Instant::now();
    for i in 0..n {
        portal.clock.advance(30);
        let number = format!("+34 611 00{i:04}");
        verification::request_change(&portal, id, Field::Phone, NewValue::Text(number.clone()), &meta())
            .await
            .unwrap();
        let (token,) = pending_token_from_outbox(&portal, email).await;
        let code = totp::code_at(&secret, portal.now()).unwrap();
        verification::confirm(&portal, &token, &code, None, &meta()).await.unwrap();
        if i % 50 == 0 {
            assert_eq!(worker::deliver_due(&portal, &smtp).await.unwrap(), 0, "the server is down");
        }
    }
    let outage = started.elapsed();
    let during = outbox::counts(&portal).await.unwrap();
    assert_eq!(during.sent, 0);
    assert_eq!(during.queued, 2 * n as i64, "a confirmation link and a notice per change, all kept");
    let (retried,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE attempts > 0 AND last_error IS NOT NULL")
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert!(retried > 0, "delivery was attempted and failed");

    // The server comes back on the same port; once the backoff has passed, everything arrives.
    let sink = MailSink::start_on(port);
    portal.clock.advance(outbox::MAX_BACKOFF_SECS + 1);
    let mut delivered = 0;
    for _ in 0..20 {
        delivered += worker::deliver_due(&portal, &smtp).await.unwrap();
        if delivered >= 2 * n {
            break;
        }
    }
    assert_eq!(delivered, 2 * n);
    let backend = portal.store.backend();
    eprintln!("{backend:?}: {n} confirmations during the outage in {outage:.1?}; {delivered} mails delivered afterwards in {:.1?}", started.elapsed() - outage);
    let after = outbox::counts(&portal).await.unwrap();
    assert_eq!((after.queued, after.sent, after.failed), (0, 2 * n as i64, 0));
    let received = sink.messages();
    let notices = received.iter().filter(|(to, subject, _)| to == &vec![email.to_string()] && subject == "Your phone number was changed").count();
    assert_eq!(notices, n, "every notice delivered");
    assert_eq!(received.len(), 2 * n);
    let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE content_enc IS NOT NULL")
        .fetch_one(portal.store.pool())
        .await
        .unwrap();
    assert_eq!(kept, 0, "delivered bodies (with their links) are erased");
}

/// The link in the newest queued confirmation mail (still undelivered: the server is down).
async fn pending_token_from_outbox(portal: &Portal, to: &str) -> (String,) {
    let mail = peek_outbox(portal, "confirm_change").await.expect("queued");
    assert_eq!(mail.to, to);
    (token_in(&mail.text, "/confirm/").unwrap(),)
}

async fn mail_arrives_in_the_customers_language(portal: Portal) {
    let email = "lucia@example.test";
    let (_, _, _) = enrolled(&portal, email).await;
    let id = customer_id(&portal, email).await;
    sqlx::query("UPDATE customers SET preferred_language = 'es' WHERE id = $1")
        .bind(id)
        .execute(portal.store.pool())
        .await
        .unwrap();
    let sink = MailSink::start();
    let smtp = Transport::smtp(&sink.url(), FROM).unwrap();
    verification::request_change(&portal, id, Field::Phone, NewValue::Text("+34 699 123 456".into()), &meta())
        .await
        .unwrap();
    assert_eq!(worker::deliver_due(&portal, &smtp).await.unwrap(), 1);
    let received = sink.messages();
    assert_eq!(received.len(), 1);
    let (to, subject, text) = &received[0];
    assert_eq!(to, &vec![email.to_string()]);
    assert_eq!(subject, "Confirma el cambio de tu teléfono");
    assert!(text.contains("+34 699 123 456"), "{text}");
    assert!(text.contains("http://127.0.0.1:3000/confirm/"), "{text}");
    let token = token_in(text, "/confirm/").unwrap();
    assert!(verification::preview(&portal, &token, None).await.is_ok(), "the mailed link is the live one");
}

/// A certificate for 127.0.0.1 signed by nobody the portal trusts: (key file, certificate file).
fn self_signed() -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join("custodia-tests").join(format!("tls-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let (key, cert) = (dir.join("key.pem"), dir.join("cert.pem"));
    let made = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl runs");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    (key, cert)
}

/// TLS to the mail server is checked, never assumed (ASVS 12.3.1, 12.3.2): a server whose
/// certificate no trusted authority signed is refused, whether it speaks TLS at once (smtps) or
/// through STARTTLS; and when TLS is required, a server that does not offer STARTTLS gets nothing
/// in the clear. Each time the mail stays queued for a retry, and the server received nothing.
async fn an_untrusted_certificate_or_a_missing_starttls_is_refused_never_sent_in_the_clear(portal: Portal) {
    let email = "tls@example.test";
    enrolled(&portal, email).await;
    let id = customer_id(&portal, email).await;
    let (key, cert) = self_signed();
    let (key, cert) = (key.to_str().unwrap(), cert.to_str().unwrap());
    let smtps = MailSink::start_with(0, &["--tls-key", key, "--tls-cert", cert]);
    let starttls = MailSink::start_with(0, &["--tls-key", key, "--tls-cert", cert, "--starttls"]);
    let plain = MailSink::start();
    let cases = [
        (format!("smtps://127.0.0.1:{}", smtps.port), &smtps, "TLS at once, untrusted certificate"),
        (format!("smtp://127.0.0.1:{}?tls=required", starttls.port), &starttls, "STARTTLS, untrusted certificate"),
        (format!("smtp://127.0.0.1:{}?tls=required", plain.port), &plain, "TLS required, not offered"),
    ];
    for (url, sink, what) in cases {
        portal.clock.advance(outbox::MAX_BACKOFF_SECS + 1);
        verification::request_change(&portal, id, Field::Phone, NewValue::Text("+34 699 000 111".into()), &meta()).await.unwrap();
        let smtp = Transport::smtp(&url, FROM).unwrap();
        assert_eq!(worker::deliver_due(&portal, &smtp).await.unwrap(), 0, "{what}: refused");
        assert!(sink.messages().is_empty(), "{what}: the server received nothing");
        let queued = outbox::counts(&portal).await.unwrap();
        assert_eq!((queued.sent, queued.failed), (0, 0), "{what}: kept for a retry, not set aside");
    }
    // The same queue goes out once a server the portal can trust is there (plain, on loopback).
    portal.clock.advance(outbox::MAX_BACKOFF_SECS + 1);
    let smtp = Transport::smtp(&plain.url(), FROM).unwrap();
    assert_eq!(worker::deliver_due(&portal, &smtp).await.unwrap(), 3);
    assert_eq!(plain.messages().len(), 3);
}
