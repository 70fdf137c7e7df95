//! The handle every domain operation takes: storage, clock, keys and policy.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::{Clock, Keys, Store};

/// Timeouts and limits. Defaults follow the product's promises; tests shorten nothing, they move
/// the clock instead.
#[derive(Debug, Clone)]
pub struct Policy {
    /// A signed-in session ends after this much inactivity.
    pub session_idle_secs: i64,
    /// A signed-in session ends this long after sign-in, active or not.
    pub session_absolute_secs: i64,
    /// Between a correct password and the second factor.
    pub half_session_secs: i64,
    /// Failures per account before it is locked for a while.
    pub account_failures_before_lock: i64,
    /// Failures per network address before it is locked for a while.
    pub address_failures_before_lock: i64,
    /// The first lock; each further failure while counting doubles it, up to `lock_max_secs`.
    pub lock_base_secs: i64,
    pub lock_max_secs: i64,
    /// Failures older than this no longer count.
    pub failure_window_secs: i64,
    /// How long an emailed confirmation link works.
    pub change_link_secs: i64,
    /// How long the previous address may undo an email change.
    pub email_revert_secs: i64,
    /// Wrong codes on one confirmation link before its change is cancelled.
    pub codes_before_cancel: i64,
    /// A staff session ends after this much inactivity.
    pub staff_idle_secs: i64,
    /// A staff session ends this long after sign-in.
    pub staff_absolute_secs: i64,
    /// Customer look-ups and reveals by one staff member in an hour before DPOs are alerted.
    pub staff_reads_per_hour_alert: i64,
    /// A request is "due soon" this long before its deadline.
    pub request_due_soon_secs: i64,
    /// Between confirming an erasure and carrying it out; the customer may cancel until then.
    pub erasure_grace_secs: i64,
    /// The reminder of a scheduled erasure goes out this long before it is carried out.
    pub erasure_reminder_secs: i64,
    /// At most one new export in this period (Article 12(5) GDPR allows refusing excessive
    /// repeats; a day keeps the portal responsive without making anyone wait long).
    pub export_interval_secs: i64,
    /// How long a finished export can be downloaded before its file is deleted.
    pub export_keep_secs: i64,
    /// A build not heard from for this long was cut off (crash, kill) and is taken over.
    pub export_lease_secs: i64,
    /// Wrong codes on one export's download before downloading it is paused.
    pub export_codes_before_pause: i64,
    /// How long a mailed password-reset link works.
    pub reset_link_secs: i64,
    /// At most this many reset links are mailed to one account per hour; further asks get the
    /// same answer and no mail, so nobody can flood a mailbox through the form.
    pub reset_links_per_hour: i64,
    /// At most this many reset asks from one network address per hour, whatever addresses they
    /// name, so the form cannot be used to mail many customers or to probe the queue.
    pub reset_asks_per_address_per_hour: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            session_idle_secs: 30 * 60,
            session_absolute_secs: 12 * 60 * 60,
            half_session_secs: 10 * 60,
            account_failures_before_lock: 5,
            address_failures_before_lock: 20,
            lock_base_secs: 30,
            lock_max_secs: 60 * 60,
            failure_window_secs: 60 * 60,
            change_link_secs: 10 * 60,
            email_revert_secs: 7 * 24 * 60 * 60,
            codes_before_cancel: 5,
            staff_idle_secs: 15 * 60,
            staff_absolute_secs: 10 * 60 * 60,
            staff_reads_per_hour_alert: 30,
            request_due_soon_secs: 7 * 24 * 60 * 60,
            erasure_grace_secs: 14 * 24 * 60 * 60,
            erasure_reminder_secs: 2 * 24 * 60 * 60,
            export_interval_secs: 24 * 60 * 60,
            export_keep_secs: 7 * 24 * 60 * 60,
            export_lease_secs: 60,
            export_codes_before_pause: 5,
            reset_link_secs: 30 * 60,
            reset_links_per_hour: 3,
            reset_asks_per_address_per_hour: 20,
        }
    }
}

#[derive(Clone)]
pub struct Portal {
    pub store: Store,
    pub clock: Clock,
    pub keys: Arc<Keys>,
    pub policy: Arc<Policy>,
    /// The address people use (`https://privacy.example.com`), for links in mail.
    pub public_url: Arc<str>,
    /// Wakes the mail worker when something was queued.
    pub mail_waker: Arc<Notify>,
    /// The company's offline copy of Pwned Passwords, when it has one.
    pub breached_passwords: Option<Arc<crate::identity::breached::Corpus>>,
    /// This process's copy of the data catalogue.
    pub catalogue: Arc<crate::catalogue::Cache>,
}

impl Portal {
    pub fn new(store: Store, clock: Clock, keys: Keys, policy: Policy) -> Self {
        Portal {
            store,
            clock,
            keys: Arc::new(keys),
            policy: Arc::new(policy),
            public_url: Arc::from("http://127.0.0.1:3000"),
            mail_waker: Arc::new(Notify::new()),
            breached_passwords: None,
            catalogue: Arc::default(),
        }
    }

    /// New passwords are also checked against this corpus of breached ones.
    pub fn with_breached_passwords(mut self, corpus: crate::identity::breached::Corpus) -> Self {
        self.breached_passwords = Some(Arc::new(corpus));
        self
    }

    pub fn with_public_url(mut self, url: &str) -> Self {
        self.public_url = Arc::from(url.trim_end_matches('/'));
        self
    }

    /// The same portal over another pool of the same database (see [`Store::sibling`]).
    pub fn with_store(mut self, store: Store) -> Self {
        self.store = store;
        self
    }

    /// Call after committing a transaction that queued mail.
    pub fn wake_mail(&self) {
        self.mail_waker.notify_one();
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}
