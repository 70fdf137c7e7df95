//! Passwords an attacker tries first, refused when a customer chooses one (ASVS 6.2.4, 6.2.11):
//! the 10,000 most common passwords long enough to pass the length rule (data/common-passwords.txt,
//! from OWASP SecLists), one character repeated, and passwords built on words from the context:
//! the customer's name and email, and this portal's own name.

use std::collections::HashSet;
use std::sync::OnceLock;

// Lines starting "# " are the header (one password starts with "#").
const COMMON: &str = include_str!("../../data/common-passwords.txt");
/// Words of the portal itself, always refused inside a password.
const SITE_WORDS: [&str; 2] = ["custodia", "privacy portal"];
/// Shorter context words ("Li", "Ana") are too common inside good passphrases to refuse.
const MIN_WORD: usize = 4;

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.lines().filter(|l| !l.starts_with("# ") && !l.is_empty()).collect())
}

/// True when `password` is common, one repeated character, or contains one of `context` (names,
/// the email's parts) or the portal's name, ignoring case.
pub fn is_guessable(password: &str, context: &[&str]) -> bool {
    let lower = password.to_lowercase();
    let mut chars = lower.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) || common().contains(lower.as_str()) {
        return true;
    }
    let words = context.iter().flat_map(|w| w.split(|c: char| !c.is_alphanumeric())).chain(SITE_WORDS);
    words.map(str::to_lowercase).any(|w| w.chars().count() >= MIN_WORD && lower.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::{common, is_guessable};

    #[test]
    fn the_list_is_whole_and_long_enough_to_matter() {
        assert_eq!(common().len(), 10_000);
        assert!(common().iter().all(|p| p.chars().count() >= crate::identity::password::MIN_LEN));
    }

    #[test]
    fn common_repeated_and_personal_passwords_are_guessable() {
        for bad in ["qwerty123456", "1qaz2wsx3edc", "QWERTY123456", "aaaaaaaaaaaa", "custodia-2026-spring"] {
            assert!(is_guessable(bad, &[]), "{bad}");
        }
        let context = ["Lucía Fernández", "lucia.fernandez@example.es"];
        for bad in ["lucía rocks forever", "FERNANDEZ-1985-home", "my example.es account"] {
            assert!(is_guessable(bad, &context), "{bad}");
        }
        for good in ["a much longer passphrase 2026", "correct horse battery staple", "ana walks to bilbao daily"] {
            assert!(!is_guessable(good, &context), "{good}");
        }
    }
}
