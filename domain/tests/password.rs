//! Changing the password while signed in, on both backends: the current password and a fresh
//! code are both required; every problem names its field and changes nothing; success replaces
//! the password, ends every other session, uses the code up, audits and mails; wrong current
//! passwords count toward the account's lock.

use domain::identity::{self, SignInStep, password_change, totp};
use domain::on_both_backends;
use domain::testing::*;
use domain::{Error, Portal};
use domain::error::Problem;

on_both_backends!(
    a_password_change_needs_both_proofs_and_ends_every_other_session,
    wrong_current_passwords_count_toward_the_lock,
    a_password_known_from_breaches_is_refused,
);

const EMAIL: &str = "pia@example.test";
// Longer than 64 characters: long passphrases are welcome (ASVS 6.2.9).
const NEW: &str = "a much longer passphrase, with spaces and commas, typed in 2026 by pia";

fn code(portal: &Portal, secret: &[u8]) -> String {
    totp::code_at(secret, portal.now()).unwrap()
}

async fn a_password_change_needs_both_proofs_and_ends_every_other_session(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, EMAIL).await;
    let elsewhere = another_session(&portal, EMAIL, &secret).await;
    let s = session(&portal, &here).await.unwrap();
    portal.clock.advance(30);
    let field_problem = |r: domain::Result<u64>| match r {
        Err(Error::Invalid { field, problem }) => (field, problem),
        other => panic!("{other:?}"),
    };
    let c = code(&portal, &secret);
    assert_eq!(field_problem(password_change::change(&portal, &s, "", NEW, &c, &meta()).await), ("current_password", Problem::Required));
    assert_eq!(field_problem(password_change::change(&portal, &s, PASSWORD, "short", &c, &meta()).await), ("new_password", Problem::Malformed));
    assert_eq!(field_problem(password_change::change(&portal, &s, PASSWORD, PASSWORD, &c, &meta()).await), ("new_password", Problem::Unchanged));
    // Among the most common, or built on the customer's own name ("Customer pia@…") or email.
    for guessable in ["qwerty123456", "QAZWSXEDCRFV", "customer service all day", "my example.test mailbox"] {
        assert_eq!(
            field_problem(password_change::change(&portal, &s, PASSWORD, guessable, &c, &meta()).await),
            ("new_password", Problem::Guessable),
            "{guessable}"
        );
    }
    assert_eq!(field_problem(password_change::change(&portal, &s, PASSWORD, NEW, "", &meta()).await), ("code", Problem::Required));
    assert!(matches!(password_change::change(&portal, &s, PASSWORD, NEW, "000000", &meta()).await, Err(Error::BadCredentials)));
    assert_eq!(
        field_problem(password_change::change(&portal, &s, "not my password at all", NEW, &c, &meta()).await),
        ("current_password", Problem::Malformed)
    );
    assert!(session(&portal, &elsewhere).await.is_some(), "refusals change nothing");
    assert!(peek_outbox(&portal, "password_changed").await.is_none());

    assert_eq!(password_change::change(&portal, &s, PASSWORD, NEW, &c, &meta()).await.unwrap(), 1, "one other session ended");
    assert!(session(&portal, &elsewhere).await.is_none(), "the other session is over");
    assert!(session(&portal, &here).await.is_some(), "this one goes on");
    // The code that did it cannot do it again.
    assert!(matches!(password_change::change(&portal, &s, NEW, "yet another long passphrase", &c, &meta()).await, Err(Error::BadCredentials)));

    let old = identity::sign_in(&portal, EMAIL, PASSWORD, &meta(), None).await;
    assert!(matches!(old, Err(Error::BadCredentials)), "the old password no longer works");
    assert!(matches!(identity::sign_in(&portal, EMAIL, NEW, &meta(), None).await.unwrap(), SignInStep::NeedsCode(_)));
    let mail = peek_outbox(&portal, "password_changed").await.expect("the customer is told");
    assert_eq!(mail.to, EMAIL);
    assert_eq!(mail.subject, "Your password was changed");
    let id = customer_id(&portal, EMAIL).await;
    let actions: Vec<String> =
        domain::audit::for_customer(&portal, id, 50).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.iter().any(|a| a == "identity.password_changed"), "{actions:?}");
}

async fn wrong_current_passwords_count_toward_the_lock(portal: Portal) {
    let (here, secret, _) = enrolled(&portal, EMAIL).await;
    let s = session(&portal, &here).await.unwrap();
    portal.clock.advance(30);
    let c = code(&portal, &secret);
    let mut last = None;
    for _ in 0..6 {
        last = Some(password_change::change(&portal, &s, "wrong but long enough", NEW, &c, &meta()).await);
    }
    assert!(matches!(last, Some(Err(Error::Throttled { .. }))), "{last:?}");
}

/// An offline Pwned Passwords file of these passwords, as its downloader writes it: upper-case
/// SHA-1, a count, CRLF, sorted by hash.
fn breach_corpus(passwords: &[&str]) -> domain::identity::breached::Corpus {
    use sha1::{Digest, Sha1};
    let mut lines: Vec<String> = passwords
        .iter()
        .map(|p| format!("{}:42\r\n", Sha1::digest(p.as_bytes()).iter().map(|b| format!("{b:02X}")).collect::<String>()))
        .collect();
    lines.sort();
    let path = std::env::temp_dir().join(format!("custodia-pwned-{}.txt", domain::keys::random_token()));
    std::fs::write(&path, lines.concat()).unwrap();
    domain::identity::breached::Corpus::open(&path).unwrap()
}

async fn a_password_known_from_breaches_is_refused(portal: Portal) {
    let leaked = "a long passphrase that leaked from another site";
    let portal = portal.with_breached_passwords(breach_corpus(&[leaked, "another leaked passphrase here"]));
    let (here, secret, _) = enrolled(&portal, EMAIL).await;
    let s = session(&portal, &here).await.unwrap();
    portal.clock.advance(30);
    let c = code(&portal, &secret);
    match password_change::change(&portal, &s, PASSWORD, leaked, &c, &meta()).await {
        Err(Error::Invalid { field, problem }) => assert_eq!((field, problem), ("new_password", Problem::Breached)),
        other => panic!("{other:?}"),
    }
    // The same code still works: the refusal came before it was used.
    password_change::change(&portal, &s, PASSWORD, NEW, &c, &meta()).await.expect("a password in no breach is taken");

    // A forgotten-password reset is checked the same way.
    domain::identity::password_reset::request(&portal, EMAIL, &meta()).await.unwrap();
    domain::identity::password_reset::issue_asked(&portal).await.unwrap();
    let mail = peek_outbox(&portal, "password_reset_link").await.unwrap();
    let token = token_in(&mail.text, "/password/reset/").unwrap();
    portal.clock.advance(30);
    let c = code(&portal, &secret);
    match domain::identity::password_reset::reset(&portal, &token, "another leaked passphrase here", &c, &meta()).await {
        Err(Error::Invalid { field, problem }) => assert_eq!((field, problem), ("new_password", Problem::Breached)),
        other => panic!("{other:?}"),
    }
}
