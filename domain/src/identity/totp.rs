//! RFC 6238 time-based codes (SHA-1, 6 digits, 30 s): what common authenticator apps expect.

use totp_rs::{Algorithm, Secret, TOTP};

use crate::keys::constant_time_eq;
use crate::{Error, Result};

pub const STEP_SECS: i64 = 30;
pub const DIGITS: usize = 6;
const SECRET_BYTES: usize = 20;

pub fn new_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut bytes = vec![0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The key as people type it into an app: base32 without padding.
pub fn secret_base32(secret: &[u8]) -> String {
    match Secret::Raw(secret.to_vec()).to_encoded() {
        Secret::Encoded(s) => s.trim_end_matches('=').to_string(),
        Secret::Raw(_) => String::new(),
    }
}

/// A key as typed from an authenticator app or a set-up script (base32, any case, spaces allowed).
pub fn secret_from_base32(text: &str) -> Option<Vec<u8>> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace() && *c != '=').collect::<String>().to_uppercase();
    let bytes = Secret::Encoded(cleaned).to_bytes().ok()?;
    (bytes.len() >= 16).then_some(bytes)
}

pub fn otpauth_uri(secret: &[u8], issuer: &str, account: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        percent_encode(issuer),
        percent_encode(account),
        secret_base32(secret),
        percent_encode(issuer),
    )
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn totp(secret: &[u8]) -> Result<TOTP> {
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP_SECS as u64, secret.to_vec())
        .map_err(|_| Error::Crypto("invalid TOTP secret"))
}

/// The code for a given time; used by tests and the dev tools, as an authenticator app would.
pub fn code_at(secret: &[u8], unix: i64) -> Result<String> {
    Ok(totp(secret)?.generate(unix.max(0) as u64))
}

/// A code as typed: six digits, spaces allowed. Anything else is not a TOTP code.
pub fn parse_code(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The time step the code belongs to, allowing one step of drift either way. The caller must
/// still consume the step atomically so it cannot be used twice.
pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Result<Option<i64>> {
    let t = totp(secret)?;
    let current = now / STEP_SECS;
    let mut found = None;
    for step in [current - 1, current, current + 1] {
        let expected = t.generate((step.max(0) * STEP_SECS) as u64);
        // Check all three without stopping early.
        if constant_time_eq(expected.as_bytes(), code.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    Ok(found)
}

/// The QR code of `text` as a small self-contained SVG (no image libraries, no external assets).
pub fn qr_svg(text: &str) -> Result<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(|_| Error::Internal("qr"))?;
    let border = 4;
    let size = qr.size();
    let dim = size + border * 2;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {dim} {dim}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-hidden=\"true\" focusable=\"false\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vector() {
        // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", T = 59 -> 94287082 (8 digits);
        // the 6-digit code is its last six digits.
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, 59).unwrap(), "287082");
        assert_eq!(code_at(secret, 1111111109).unwrap(), "081804");
    }

    #[test]
    fn drift_of_one_step_is_allowed_and_no_more() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&secret, now - STEP_SECS).unwrap();
        assert_eq!(matching_step(&secret, &code, now).unwrap(), Some(now / STEP_SECS - 1));
        let old = code_at(&secret, now - 2 * STEP_SECS).unwrap();
        assert_eq!(matching_step(&secret, &old, now).unwrap(), None);
    }

    #[test]
    fn codes_parse_with_spaces_only() {
        assert_eq!(parse_code(" 123 456 "), Some("123456".into()));
        assert_eq!(parse_code("12345"), None);
        assert_eq!(parse_code("12345a"), None);
    }
}
