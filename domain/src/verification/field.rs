//! What a customer may change by themselves, and the rules each new value must meet.

use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::identity::{is_plausible_email, normalize_email};
use crate::{Error, Lang, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    FullName,
    Phone,
    PreferredLanguage,
    Email,
    /// One of the customer's postal addresses, by row id.
    Address(i64),
    /// Only ever proposed by staff on a correction request; the customer confirms it.
    DateOfBirth,
    /// Not a value but the wish to be erased: confirmed like any change, then scheduled.
    Erasure,
}

/// The only value an erasure request carries.
pub const ERASE: &str = "erase";

impl Field {
    pub fn key(&self) -> &'static str {
        match self {
            Field::FullName => "full_name",
            Field::Phone => "phone",
            Field::PreferredLanguage => "preferred_language",
            Field::Email => "email",
            Field::Address(_) => "address",
            Field::DateOfBirth => "date_of_birth",
            Field::Erasure => "erasure",
        }
    }

    /// Whether the customer may ask for this change alone; the rest come from staff proposals.
    pub fn customer_may_change(&self) -> bool {
        !matches!(self, Field::DateOfBirth)
    }

    pub fn target(&self) -> Option<i64> {
        match self {
            Field::Address(id) => Some(*id),
            _ => None,
        }
    }

    pub fn parse(key: &str, target: Option<i64>) -> Option<Field> {
        Some(match (key, target) {
            ("full_name", None) => Field::FullName,
            ("phone", None) => Field::Phone,
            ("preferred_language", None) => Field::PreferredLanguage,
            ("email", None) => Field::Email,
            ("address", Some(id)) => Field::Address(id),
            ("date_of_birth", None) => Field::DateOfBirth,
            ("erasure", None) => Field::Erasure,
            _ => return None,
        })
    }
}

/// A postal address as the customer enters it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressValue {
    pub label: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postal_code: String,
    pub region: String,
    pub country: String,
}

impl AddressValue {
    /// One line, as the page and the mail show it.
    pub fn display(&self) -> String {
        let mut parts: Vec<String> = vec![self.line1.clone()];
        if !self.line2.is_empty() {
            parts.push(self.line2.clone());
        }
        parts.push(format!("{} {}", self.postal_code, self.city));
        if !self.region.is_empty() {
            parts.push(self.region.clone());
        }
        parts.push(self.country.clone());
        parts.join(", ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewValue {
    Text(String),
    Address(AddressValue),
}

fn clean(field: &'static str, input: &str, max: usize, required: bool) -> Result<String> {
    let value = input.trim();
    if required && value.is_empty() {
        return Err(Error::invalid(field, Problem::Required));
    }
    if value.chars().count() > max {
        return Err(Error::invalid(field, Problem::TooLong));
    }
    // Control characters (CR/LF in particular) have no place in a name or an address, and would
    // be a header-injection risk in mail.
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, Problem::Malformed));
    }
    Ok(value.to_string())
}

/// Checks and normalises a new value; returns what is stored in the pending change.
pub fn validate(field: &Field, value: &NewValue) -> Result<String> {
    match (field, value) {
        (Field::Erasure, NewValue::Text(v)) if v == ERASE => Ok(ERASE.to_string()),
        (Field::FullName, NewValue::Text(v)) => clean("full_name", v, 100, true),
        (Field::Phone, NewValue::Text(v)) => {
            let v = clean("phone", v, 25, false)?;
            let digits = v.chars().filter(char::is_ascii_digit).count();
            let allowed = v.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
            let plus_first = v.find('+').is_none_or(|i| i == 0) && v.matches('+').count() <= 1;
            if !v.is_empty() && (!allowed || !plus_first || !(6..=15).contains(&digits)) {
                return Err(Error::invalid("phone", Problem::Malformed));
            }
            Ok(v)
        }
        (Field::PreferredLanguage, NewValue::Text(v)) => match Lang::from_code(v) {
            Some(lang) if v.trim().len() == 2 => Ok(lang.code().to_string()),
            _ => Err(Error::invalid("preferred_language", Problem::Malformed)),
        },
        (Field::Email, NewValue::Text(v)) => {
            let v = normalize_email(v);
            if v.is_empty() {
                return Err(Error::invalid("email", Problem::Required));
            }
            if v.len() > crate::identity::sign_in::MAX_EMAIL_LEN {
                return Err(Error::invalid("email", Problem::TooLong));
            }
            if !is_plausible_email(&v) {
                return Err(Error::invalid("email", Problem::Malformed));
            }
            Ok(v)
        }
        (Field::Address(_), NewValue::Address(a)) => {
            let cleaned = AddressValue {
                label: clean("label", &a.label, 40, true)?,
                line1: clean("line1", &a.line1, 100, true)?,
                line2: clean("line2", &a.line2, 100, false)?,
                city: clean("city", &a.city, 60, true)?,
                postal_code: clean("postal_code", &a.postal_code, 16, true)?,
                region: clean("region", &a.region, 60, false)?,
                country: clean("country", &a.country, 56, true)?,
            };
            if !cleaned.postal_code.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-') {
                return Err(Error::invalid("postal_code", Problem::Malformed));
            }
            serde_json::to_string(&cleaned).map_err(|_| Error::Internal("address encoding"))
        }
        (Field::DateOfBirth, NewValue::Text(v)) => {
            let v = clean("date_of_birth", v, 10, true)?;
            let format = time::macros::format_description!("[year]-[month]-[day]");
            match time::Date::parse(&v, &format) {
                Ok(d) if d.year() >= 1900 && d <= time::OffsetDateTime::now_utc().date() => Ok(v),
                _ => Err(Error::invalid("date_of_birth", Problem::Malformed)),
            }
        }
        _ => Err(Error::invalid("field", Problem::Malformed)),
    }
}

/// An address as stored in a pending change or returned by `current`.
pub fn parse_address(stored: &str) -> Option<AddressValue> {
    serde_json::from_str(stored).ok()
}

/// How a stored new value reads for people.
pub fn display(field: &Field, stored: &str) -> String {
    match field {
        Field::Address(_) => serde_json::from_str::<AddressValue>(stored).map(|a| a.display()).unwrap_or_default(),
        _ => stored.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: Field, v: &str) -> Result<String> {
        validate(&f, &NewValue::Text(v.into()))
    }

    #[test]
    fn phones() {
        assert_eq!(text(Field::Phone, " +34 612 345 678 ").unwrap(), "+34 612 345 678");
        assert_eq!(text(Field::Phone, "").unwrap(), "", "clearing the number is allowed");
        for bad in ["12", "+34 612 34a 678", "34+612345678", "1234567890123456", "+1 555\r\nBcc: x"] {
            assert!(text(Field::Phone, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_and_languages() {
        assert!(matches!(text(Field::FullName, "  "), Err(Error::Invalid { field: "full_name", problem: Problem::Required })));
        assert!(matches!(text(Field::FullName, &"x".repeat(101)), Err(Error::Invalid { problem: Problem::TooLong, .. })));
        assert!(matches!(text(Field::FullName, "a\u{0}b"), Err(Error::Invalid { problem: Problem::Malformed, .. })));
        assert_eq!(text(Field::FullName, "Lucía Fernández").unwrap(), "Lucía Fernández");
        assert_eq!(text(Field::PreferredLanguage, "it").unwrap(), "it");
        assert_eq!(text(Field::DateOfBirth, " 1984-05-21 ").unwrap(), "1984-05-21");
        for bad in ["21/05/1984", "1984-02-30", "1850-01-01", "2999-01-01", "1984-5-21"] {
            assert!(text(Field::DateOfBirth, bad).is_err(), "{bad}");
        }
        assert!(text(Field::PreferredLanguage, "fr").is_err());
        assert!(text(Field::PreferredLanguage, "english").is_err());
    }

    #[test]
    fn addresses_name_the_part_that_is_wrong() {
        let mut a = AddressValue {
            label: "Home".into(),
            line1: "Calle Mayor 1".into(),
            city: "Madrid".into(),
            postal_code: "28013".into(),
            country: "Spain".into(),
            ..Default::default()
        };
        assert!(validate(&Field::Address(1), &NewValue::Address(a.clone())).is_ok());
        a.city = String::new();
        assert!(matches!(
            validate(&Field::Address(1), &NewValue::Address(a.clone())),
            Err(Error::Invalid { field: "city", problem: Problem::Required })
        ));
        a.city = "Madrid".into();
        a.postal_code = "28<013>".into();
        assert!(matches!(
            validate(&Field::Address(1), &NewValue::Address(a)),
            Err(Error::Invalid { field: "postal_code", problem: Problem::Malformed })
        ));
    }
}
