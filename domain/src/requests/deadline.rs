//! Legal deadlines (Article 12(3) GDPR): an answer within one month of receipt, extendable by
//! up to two further months when the request is complex, with the reason told to the customer
//! within the first month.

use time::OffsetDateTime;

/// Extensions beyond the first month, in months, at most.
pub const MAX_EXTENSION_MONTHS: i64 = 2;

/// The same day `months` later (the last day of a shorter month), at the same time of day.
pub fn add_months(unix: i64, months: i64) -> i64 {
    let Ok(t) = OffsetDateTime::from_unix_timestamp(unix) else { return unix + months * 30 * 86_400 };
    let index = t.year() as i64 * 12 + (t.month() as i64 - 1) + months;
    let (year, month0) = (index.div_euclid(12) as i32, index.rem_euclid(12) as u8);
    let Ok(month) = time::Month::try_from(month0 + 1) else { return unix };
    let day = t.day().min(month.length(year));
    match time::Date::from_calendar_date(year, month, day) {
        Ok(date) => t.replace_date(date).unix_timestamp(),
        Err(_) => unix,
    }
}

pub fn one_month_after(unix: i64) -> i64 {
    add_months(unix, 1)
}

/// The deadline of a request received at `received_at` with `extension_months` granted.
pub fn due(received_at: i64, extension_months: i64) -> i64 {
    add_months(received_at, 1 + extension_months.clamp(0, MAX_EXTENSION_MONTHS))
}

/// Whether `months` more may be granted now: only within the first month, and never beyond
/// three months in all.
pub fn may_extend(received_at: i64, already: i64, months: i64, now: i64) -> bool {
    (1..=MAX_EXTENSION_MONTHS).contains(&months) && already + months <= MAX_EXTENSION_MONTHS && now < one_month_after(received_at)
}

/// How a request stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Closed,
    Overdue,
    DueSoon,
    OnTrack,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Closed => "closed",
            Urgency::Overdue => "overdue",
            Urgency::DueSoon => "due_soon",
            Urgency::OnTrack => "on_track",
        }
    }
}

pub fn urgency(status: &str, due_at: i64, now: i64, due_soon_secs: i64) -> Urgency {
    if super::Status::parse(status).is_some_and(super::Status::is_closed) {
        Urgency::Closed
    } else if now >= due_at {
        Urgency::Overdue
    } else if due_at - now <= due_soon_secs {
        Urgency::DueSoon
    } else {
        Urgency::OnTrack
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month::*;

    fn at(y: i32, m: time::Month, d: u8) -> i64 {
        time::Date::from_calendar_date(y, m, d).unwrap().midnight().assume_utc().unix_timestamp()
    }

    #[test]
    fn one_calendar_month_clamped_to_the_month_end() {
        assert_eq!(one_month_after(at(2026, March, 15)), at(2026, April, 15));
        assert_eq!(one_month_after(at(2026, January, 31)), at(2026, February, 28));
        assert_eq!(one_month_after(at(2028, January, 31)), at(2028, February, 29));
        assert_eq!(one_month_after(at(2026, December, 20)), at(2027, January, 20));
    }

    #[test]
    fn extensions_count_from_receipt_not_from_the_previous_deadline() {
        // 31 January + 1 month is 28 February, but + 3 months is 30 April, not 28 April.
        assert_eq!(due(at(2026, January, 31), 0), at(2026, February, 28));
        assert_eq!(due(at(2026, January, 31), 2), at(2026, April, 30));
        assert_eq!(due(at(2026, November, 30), 2), at(2027, February, 28));
        assert_eq!(due(at(2026, March, 1), 9), at(2026, June, 1), "never more than three months");
    }

    #[test]
    fn extension_only_within_the_first_month_and_up_to_two_months() {
        let received = at(2026, March, 15);
        let inside = at(2026, April, 14);
        let after = at(2026, April, 15);
        assert!(may_extend(received, 0, 2, inside));
        assert!(may_extend(received, 1, 1, inside));
        assert!(!may_extend(received, 1, 2, inside), "three extra months in all");
        assert!(!may_extend(received, 0, 0, inside));
        assert!(!may_extend(received, 0, 3, inside));
        assert!(!may_extend(received, 0, 1, after), "the first month has ended");
    }

    #[test]
    fn urgency_against_the_deadline() {
        let due_at = at(2026, April, 15);
        let week = 7 * 86_400;
        assert_eq!(urgency("new", due_at, due_at - 8 * 86_400, week), Urgency::OnTrack);
        assert_eq!(urgency("in_progress", due_at, due_at - week, week), Urgency::DueSoon);
        assert_eq!(urgency("waiting_customer", due_at, due_at, week), Urgency::Overdue);
        assert_eq!(urgency("done", due_at, due_at + week, week), Urgency::Closed);
        assert_eq!(urgency("rejected", due_at, due_at + week, week), Urgency::Closed);
    }
}
