//! The company's master key: it only wraps other keys (the portal's and each customer's) and
//! never enters the database. During a rotation the portal holds the new key and the previous
//! one; every wrapped key records which master wrapped it.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

use crate::keys::{derive, hex};
use crate::{Error, Result};

const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct MasterKey {
    id: String,
    wrap: Aes256Gcm,
}

impl MasterKey {
    pub fn from_bytes(master: &[u8; 32]) -> Self {
        // The id is a keyed hash of a constant: it names the key without revealing it.
        let id = hex(&derive(master, b"custodia/master-id/v1")[..8]);
        MasterKey { id, wrap: Aes256Gcm::new(&derive(master, b"custodia/wrap/v1").into()) }
    }

    /// Parses a master key given as base64 (44 characters for 32 bytes).
    pub fn from_base64(text: &str) -> Result<Self> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| Error::Crypto("master key is not base64"))?;
        let master: [u8; 32] = bytes.try_into().map_err(|_| Error::Crypto("master key must be 32 bytes"))?;
        Ok(Self::from_bytes(&master))
    }

    /// A fresh random master key in base64, for set-up and rotation.
    pub fn generate_base64() -> String {
        STANDARD.encode(random_key())
    }

    /// Names the key in the database and in reports; safe to show.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The master keys a process holds: the current one wraps, either one unwraps.
pub struct MasterKeys {
    current: MasterKey,
    previous: Option<MasterKey>,
}

impl MasterKeys {
    pub fn new(current: MasterKey, previous: Option<MasterKey>) -> Self {
        let previous = previous.filter(|p| p.id != current.id);
        MasterKeys { current, previous }
    }

    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    pub fn previous_id(&self) -> Option<&str> {
        self.previous.as_ref().map(|p| p.id.as_str())
    }

    /// Wraps `key` under the current master; `context` (e.g. "customer-key:42") is
    /// authenticated, so a wrapped key cannot be moved to another row. Returns (wrapped, master id).
    pub fn wrap(&self, context: &str, key: &[u8; 32]) -> Result<(Vec<u8>, String)> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .current
            .wrap
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: key, aad: context.as_bytes() })
            .map_err(|_| Error::Crypto("wrap failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok((out, self.current.id.clone()))
    }

    /// Unwraps with whichever held master `master_id` names. A key wrapped by a master this
    /// process does not hold is an error naming neither key.
    pub fn unwrap(&self, context: &str, wrapped: &[u8], master_id: &str) -> Result<[u8; 32]> {
        let master = if master_id == self.current.id {
            &self.current
        } else {
            self.previous.as_ref().filter(|p| p.id == master_id).ok_or(Error::Crypto("wrapped by a master key this process does not hold"))?
        };
        if wrapped.len() < NONCE_LEN {
            return Err(Error::Crypto("wrapped key too short"));
        }
        let (nonce, body) = wrapped.split_at(NONCE_LEN);
        let plain = master
            .wrap
            .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad: context.as_bytes() })
            .map_err(|_| Error::Crypto("unwrap failed"))?;
        plain.try_into().map_err(|_| Error::Crypto("wrapped key has the wrong length"))
    }
}

pub(crate) fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_key_opens_with_its_master_only_and_in_its_context() {
        let old = MasterKeys::new(MasterKey::from_bytes(&[1; 32]), None);
        let (wrapped, id) = old.wrap("customer-key:1", &[9; 32]).unwrap();
        assert_eq!(id, old.current_id());
        assert_eq!(old.unwrap("customer-key:1", &wrapped, &id).unwrap(), [9; 32]);
        assert!(old.unwrap("customer-key:2", &wrapped, &id).is_err(), "moved to another row");

        let rotating = MasterKeys::new(MasterKey::from_bytes(&[2; 32]), Some(MasterKey::from_bytes(&[1; 32])));
        assert_eq!(rotating.unwrap("customer-key:1", &wrapped, &id).unwrap(), [9; 32], "the previous key still opens");
        let new_only = MasterKeys::new(MasterKey::from_bytes(&[2; 32]), None);
        assert!(new_only.unwrap("customer-key:1", &wrapped, &id).is_err());
        assert_ne!(new_only.current_id(), id);
    }
}
