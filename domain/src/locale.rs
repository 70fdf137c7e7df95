//! The languages Custodia speaks, and dates and amounts written the way each language writes them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
    It,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::It];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::It => "it",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().get(..2)?.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "it" => Some(Lang::It),
            _ => None,
        }
    }

    /// The best language in an Accept-Language header, by quality, else English.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(tag) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

const MONTHS: [[&str; 12]; 3] = [
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
        "octubre", "noviembre", "diciembre",
    ],
    [
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
        "settembre", "ottobre", "novembre", "dicembre",
    ],
];

fn month_name(lang: Lang, month: time::Month) -> &'static str {
    let row = match lang {
        Lang::En => 0,
        Lang::Es => 1,
        Lang::It => 2,
    };
    MONTHS[row][month as usize - 1]
}

/// "24 November 2026", "24 de noviembre de 2026", "24 novembre 2026" (UTC).
pub fn date(lang: Lang, unix: i64) -> String {
    let Ok(t) = OffsetDateTime::from_unix_timestamp(unix) else {
        return String::new();
    };
    let mut out = String::with_capacity(28);
    push_date(&mut out, lang, t);
    out
}

/// The date plus a 24-hour UTC time: "24 November 2026, 14:05 UTC".
pub fn date_time(lang: Lang, unix: i64) -> String {
    let Ok(t) = OffsetDateTime::from_unix_timestamp(unix) else {
        return String::new();
    };
    let mut out = String::with_capacity(40);
    push_date(&mut out, lang, t);
    out.push_str(", ");
    push_two_digits(&mut out, t.hour());
    out.push(':');
    push_two_digits(&mut out, t.minute());
    out.push_str(" UTC");
    out
}

// Dates and amounts are written digit by digit into one string sized up front rather than with
// `format!`: "My data" writes about sixty of them per page, and the formatting machinery and
// the strings it grew were about 7 % of the page's instructions.

fn push_date(out: &mut String, lang: Lang, t: OffsetDateTime) {
    let between = if lang == Lang::Es { " de " } else { " " };
    push_decimal(out, u64::from(t.day()));
    out.push_str(between);
    out.push_str(month_name(lang, t.month()));
    out.push_str(between);
    if t.year() < 0 {
        out.push('-');
    }
    push_decimal(out, u64::from(t.year().unsigned_abs()));
}

fn push_two_digits(out: &mut String, n: u8) {
    out.push(char::from(b'0' + n / 10 % 10));
    out.push(char::from(b'0' + n % 10));
}

fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// RFC 3339 in UTC ("2026-11-24T12:00:00Z"), for files people download and machines read.
pub fn iso_utc(unix: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month() as u8,
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => String::new(),
    }
}

/// "2026-11-25T10:30" (a datetime-local input) or "2026-11-25" (a date input; `end_of_day`
/// picks 23:59:59) as Unix seconds, UTC. None when it is neither.
pub fn parse_moment(input: &str, end_of_day: bool) -> Option<i64> {
    let input = input.trim();
    if input.len() == 10 {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let d = time::Date::parse(input, &fmt).ok()?;
        let t = if end_of_day { time::Time::from_hms(23, 59, 59).ok()? } else { time::Time::MIDNIGHT };
        return Some(d.with_time(t).assume_utc().unix_timestamp());
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    time::PrimitiveDateTime::parse(input.get(..16)?, &fmt).ok().map(|t| t.assume_utc().unix_timestamp())
}

/// An ISO date "2001-02-03" written in the language's long form; other text is returned as is.
pub fn iso_date(lang: Lang, iso: &str) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(iso, &fmt) {
        Ok(d) => date(lang, d.midnight().assume_utc().unix_timestamp()),
        Err(_) => iso.to_string(),
    }
}

/// Minor units and an ISO currency code: "€49.90" in English, "49,90 €" in Spanish and Italian.
pub fn money(lang: Lang, cents: i64, currency: &str) -> String {
    let abs = cents.unsigned_abs();
    let (units, minor) = (abs / 100, abs % 100);
    let symbol = match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    };
    let mut out = String::with_capacity(24 + symbol.len());
    if cents < 0 {
        out.push('-');
    }
    match lang {
        Lang::En => {
            out.push_str(symbol);
            push_grouped(&mut out, units, ',');
            out.push('.');
            push_two_digits(&mut out, minor as u8);
        }
        Lang::Es | Lang::It => {
            push_grouped(&mut out, units, '.');
            out.push(',');
            push_two_digits(&mut out, minor as u8);
            out.push(' ');
            out.push_str(symbol);
        }
    }
    out
}

/// `n` with `sep` between each group of three digits: 1234567 is "1,234,567".
fn push_grouped(out: &mut String, n: u64, sep: char) {
    let mut digits = String::with_capacity(20);
    push_decimal(&mut digits, n);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_highest_quality_supported() {
        assert_eq!(Lang::from_accept_language("de-DE,de;q=0.9,it;q=0.8,en;q=0.5"), Lang::It);
        assert_eq!(Lang::from_accept_language("es-ES"), Lang::Es);
        assert_eq!(Lang::from_accept_language("fr"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }

    #[test]
    fn dates_and_money_follow_the_language() {
        let t = 1_795_521_600; // 2026-11-24 12:00 UTC
        assert_eq!(date(Lang::En, t), "24 November 2026");
        assert_eq!(date(Lang::Es, t), "24 de noviembre de 2026");
        assert_eq!(date(Lang::It, t), "24 novembre 2026");
        assert_eq!(iso_utc(t), "2026-11-24T12:00:00Z");
        assert_eq!(money(Lang::En, 123456, "EUR"), "€1,234.56");
        assert_eq!(money(Lang::It, 123456, "EUR"), "1.234,56 €");
        assert_eq!(iso_date(Lang::Es, "1990-03-07"), "7 de marzo de 1990");
        assert_eq!(date_time(Lang::It, t + 3 * 3600 + 5 * 60), "24 novembre 2026, 15:05 UTC");
        assert_eq!(money(Lang::En, -5, "USD"), "-$0.05");
        assert_eq!(money(Lang::Es, 100_000_000, "GBP"), "1.000.000,00 £");
        assert_eq!(money(Lang::It, 99_999, "CHF"), "999,99 CHF");
    }

    /// Written digit by digit, dates and amounts read as `format!` writes them, across the range.
    #[test]
    fn digit_by_digit_matches_format() {
        fn grouped(n: u64, sep: char) -> String {
            let digits = n.to_string();
            let mut out = String::new();
            for (i, d) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push(sep);
                }
                out.push(d);
            }
            out
        }
        let mut unix: i64 = -62_000_000_000;
        while unix < 250_000_000_000 {
            let t = OffsetDateTime::from_unix_timestamp(unix).unwrap();
            for lang in Lang::ALL {
                let between = if lang == Lang::Es { " de " } else { " " };
                let d = format!("{}{between}{}{between}{}", t.day(), month_name(lang, t.month()), t.year());
                assert_eq!(date(lang, unix), d);
                assert_eq!(date_time(lang, unix), format!("{d}, {:02}:{:02} UTC", t.hour(), t.minute()));
            }
            unix += 7_777_777;
        }
        assert_eq!(date(Lang::En, i64::MAX), "");
        assert_eq!(date_time(Lang::En, i64::MIN), "");
        for cents in [0, 1, 99, 100, 999_99, 1000_00, 123_456_789, -1, -100_000, i64::MAX, i64::MIN] {
            let (units, minor) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
            let sign = if cents < 0 { "-" } else { "" };
            assert_eq!(money(Lang::En, cents, "EUR"), format!("{sign}€{}.{minor:02}", grouped(units, ',')));
            assert_eq!(money(Lang::Es, cents, "XYZ"), format!("{sign}{},{minor:02} XYZ", grouped(units, '.')));
        }
    }
}
