//! What staff see before they reveal: enough to recognise a record, not enough to use it.
//! A masked value never contains the part it hides.

/// `marco@example.test` -> `m***@example.test`.
pub fn email(value: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

/// `+34 611 222 333` -> `+34 *** *** *33`: the country code and the last two digits stay.
pub fn phone(value: &str) -> String {
    let total = value.chars().filter(char::is_ascii_digit).count();
    let country_len = if value.starts_with('+') {
        value[1..].chars().take_while(char::is_ascii_digit).count().min(3)
    } else {
        0
    };
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen <= country_len || seen + 2 > total { c } else { '*' }
        })
        .collect()
}

/// `Marco Bianchi` -> `M*** B***`.
pub fn name(value: &str) -> String {
    value
        .split_whitespace()
        .map(|word| format!("{}***", word.chars().next().unwrap_or('*')))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Dates of birth are hidden whole: the year alone narrows a person down.
pub fn date(value: &str) -> String {
    if value.is_empty() { String::new() } else { "****-**-**".into() }
}

/// Only the country of an address stays.
pub fn address(country: &str) -> String {
    format!("***, {country}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_identifies_the_record() {
        assert_eq!(email("marco@example.test"), "m***@example.test");
        assert_eq!(phone("+34 611 222 333"), "+34 *** *** *33");
        assert_eq!(phone("+39 333 123 4567"), "+39 *** *** **67");
        assert_eq!(phone("0611 222 333"), "**** *** *33");
        assert_eq!(name("Marco  Bianchi"), "M*** B***");
        assert_eq!(date("1984-05-12"), "****-**-**");
        assert_eq!(address("Italy"), "***, Italy");
    }

    #[test]
    fn a_masked_value_does_not_contain_the_hidden_text() {
        for (plain, masked, hidden) in [
            ("marco.bianchi@example.test", email("marco.bianchi@example.test"), "arco.bianchi"),
            ("+39 333 123 4567", phone("+39 333 123 4567"), "333 123"),
            ("Marco Bianchi", name("Marco Bianchi"), "Bianchi"),
        ] {
            assert!(!masked.contains(hidden), "{plain} -> {masked}");
        }
    }
}
