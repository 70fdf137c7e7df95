//! The portal's own secrets: sealing (AES-256-GCM) for data at rest such as TOTP seeds and
//! queued mail, and keyed hashes for values we only ever compare (emails, recovery codes). They
//! derive from the portal key, which the company's master key wraps in `key_ring`; so rotating
//! the master re-wraps one row and changes none of them. Customers' fields have keys of their
//! own (`vault`).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::vault::master::{MasterKeys, random_key};
use crate::{Error, Result, Store};

type HmacSha256 = Hmac<Sha256>;

const NONCE_LEN: usize = 12;
const PORTAL_KEY_CONTEXT: &str = "key-ring:portal";

pub struct Keys {
    seal: Aes256Gcm,
    lookup: [u8; 32],
    masters: MasterKeys,
}

impl Keys {
    /// Opens the key ring with the master keys this process holds: unwraps the portal key (made
    /// on the first start; several instances starting at once agree on one) and derives the
    /// portal's secrets from it.
    pub async fn load(store: &Store, masters: MasterKeys) -> Result<Self> {
        let read = || sqlx::query_as::<_, (Vec<u8>, String)>("SELECT wrapped, master_id FROM key_ring WHERE name = 'portal'");
        let (wrapped, master_id) = match read().fetch_optional(store.pool()).await? {
            Some(row) => row,
            None => {
                let (wrapped, id) = masters.wrap(PORTAL_KEY_CONTEXT, &random_key())?;
                sqlx::query(
                    "INSERT INTO key_ring (name, wrapped, master_id, created_at, wrapped_at) \
                     VALUES ('portal', $1, $2, $3, $3) ON CONFLICT (name) DO NOTHING",
                )
                .bind(wrapped)
                .bind(id)
                .bind(unix_now())
                .execute(store.pool())
                .await?;
                read().fetch_one(store.pool()).await?
            }
        };
        let portal_key = masters.unwrap(PORTAL_KEY_CONTEXT, &wrapped, &master_id).map_err(|_| {
            Error::Crypto("no master key given opens this database's key ring (during a rotation, give the previous key too)")
        })?;
        Ok(Self::derived(&portal_key, masters))
    }

    fn derived(portal_key: &[u8; 32], masters: MasterKeys) -> Self {
        let seal_key = derive(portal_key, b"custodia/seal/v1");
        let lookup = derive(portal_key, b"custodia/lookup/v1");
        Keys { seal: Aes256Gcm::new(&seal_key.into()), lookup, masters }
    }

    /// The master keys: they wrap the portal key and every customer's key.
    pub fn masters(&self) -> &MasterKeys {
        &self.masters
    }

    /// The keyed hash an email is found by (sign-in, look-ups, the one-account-per-address rule);
    /// `email` must already be normalised.
    pub fn email_lookup(&self, email: &str) -> String {
        self.lookup_hash("email", email)
    }

    /// Encrypts `plain`; `context` (e.g. "totp:42") is authenticated, so a sealed value cannot be
    /// moved to another row or purpose.
    pub fn seal(&self, context: &str, plain: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .seal
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad: context.as_bytes() })
            .map_err(|_| Error::Crypto("seal failed"))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return Err(Error::Crypto("sealed value too short"));
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.seal
            .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad: context.as_bytes() })
            .map_err(|_| Error::Crypto("open failed"))
    }

    /// A keyed hash (hex) for values looked up or compared but never read back, such as
    /// recovery codes and throttle keys: a stolen database alone cannot brute-force them.
    pub fn lookup_hash(&self, purpose: &str, value: &str) -> String {
        let mut mac = hmac_sha256(&self.lookup);
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

/// HMAC-SHA256 under `key`. The one `expect` in serving code: HMAC accepts keys of any length,
/// so `new_from_slice` cannot fail; the lint in `make lint` is allowed here and nowhere else.
#[allow(clippy::expect_used, reason = "HMAC accepts keys of any length; new_from_slice cannot fail")]
pub(crate) fn hmac_sha256(key: &[u8]) -> HmacSha256 {
    <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

pub(crate) fn derive(key: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = hmac_sha256(key);
    mac.update(label);
    mac.finalize().into_bytes().into()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// 256 random bits, URL-safe; for session cookies and emailed links.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `text` has the shape of a [`random_token`] (43 URL-safe characters). Anything else
/// arriving in a URL is not one of ours, and need not be looked up or echoed.
pub fn is_token_shape(text: &str) -> bool {
    text.len() == 43 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Plain SHA-256 (hex) of a high-entropy token; enough, since a 256-bit token cannot be guessed.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// Compares without an early exit, so timing says nothing about how much matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::master::MasterKey;

    impl Keys {
        fn from_master(key: &[u8; 32]) -> Self {
            Self::derived(key, MasterKeys::new(MasterKey::from_bytes(key), None))
        }
    }

    #[test]
    fn sealed_values_open_only_in_their_context() {
        let keys = Keys::from_master(&[7; 32]);
        let sealed = keys.seal("totp:1", b"seed").unwrap();
        assert_eq!(keys.open("totp:1", &sealed).unwrap(), b"seed");
        assert!(keys.open("totp:2", &sealed).is_err());
        let other = Keys::from_master(&[8; 32]);
        assert!(other.open("totp:1", &sealed).is_err());
    }

    #[test]
    fn random_tokens_carry_256_bits_and_never_repeat() {
        let tokens: std::collections::HashSet<String> = (0..10_000).map(|_| random_token()).collect();
        assert_eq!(tokens.len(), 10_000);
        assert!(tokens.iter().all(|t| is_token_shape(t) && URL_SAFE_NO_PAD.decode(t).unwrap().len() == 32));
    }

    #[test]
    fn lookup_hash_depends_on_key_and_purpose() {
        let a = Keys::from_master(&[1; 32]);
        let b = Keys::from_master(&[2; 32]);
        assert_ne!(a.lookup_hash("x", "v"), b.lookup_hash("x", "v"));
        assert_ne!(a.lookup_hash("x", "v"), a.lookup_hash("y", "v"));
        assert_eq!(a.lookup_hash("x", "v"), a.lookup_hash("x", "v"));
    }
}
