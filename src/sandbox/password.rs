//! Password hashes in Medusa v1's format, so a database can move between the sandbox and a real
//! server and reset tokens (signed with the hash text) look the same.
//!
//! Medusa v1 hashes with the npm `scrypt-kdf` package, which writes Tarsnap's scrypt container
//! and Medusa stores it base64-encoded:
//!
//! ```text
//! offset  size  content
//!      0     6  "scrypt"
//!      6     1  version 0
//!      7     1  log2(N)
//!      8     4  r, big-endian
//!     12     4  p, big-endian
//!     16    32  salt
//!     48    16  first 16 bytes of SHA-256(bytes 0..48)
//!     64    32  HMAC-SHA256(key = derived key bytes 32..64, message = bytes 0..64)
//! ```
//!
//! where the derived key is `scrypt(password, salt, N, r, p, 64 bytes)`. Medusa calls it with
//! `logN: 1, r: 1, p: 1` (see the hashes in recording 060), so hashing is cheap.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The parameters Medusa v1 uses.
pub const MEDUSA_LOG_N: u8 = 1;
pub const MEDUSA_R: u32 = 1;
pub const MEDUSA_P: u32 = 1;

const MAGIC: &[u8; 6] = b"scrypt";
const CONTAINER_LEN: usize = 96;
const DERIVED_LEN: usize = 64;

/// Limits on parameters read from a stored hash: a hash imported from elsewhere must not be
/// able to make one login allocate gigabytes. Tarsnap's own defaults stay well inside them.
const MAX_LOG_N: u8 = 20;
const MAX_R_TIMES_P: u64 = 64;

/// Hashes a password the way Medusa v1 does, with a fresh random salt.
// The parameters are constants scrypt accepts (a unit test proves it): no data reaches this.
#[allow(clippy::expect_used)]
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 32];
    rand::fill(&mut salt[..]);
    hash_with_salt(password, &salt, MEDUSA_LOG_N, MEDUSA_R, MEDUSA_P)
        .expect("Medusa's scrypt parameters are valid constants")
}

/// Hashes with explicit parameters; `None` when scrypt rejects them.
pub fn hash_with_salt(
    password: &str,
    salt: &[u8; 32],
    log_n: u8,
    r: u32,
    p: u32,
) -> Option<String> {
    let mut container = [0u8; CONTAINER_LEN];
    container[..6].copy_from_slice(MAGIC);
    container[6] = 0;
    container[7] = log_n;
    container[8..12].copy_from_slice(&r.to_be_bytes());
    container[12..16].copy_from_slice(&p.to_be_bytes());
    container[16..48].copy_from_slice(salt);
    let checksum = Sha256::digest(&container[..48]);
    container[48..64].copy_from_slice(&checksum[..16]);
    let derived = derive(password, salt, log_n, r, p)?;
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&derived[32..]).ok()?;
    mac.update(&container[..64]);
    container[64..].copy_from_slice(&mac.finalize().into_bytes());
    Some(STANDARD.encode(container))
}

/// Whether `password` matches a stored hash. Malformed hashes, unknown versions and
/// parameters beyond the limits above never match.
pub fn verify_password(password: &str, stored: &str) -> bool {
    let Some(params) = parse(stored) else {
        return false;
    };
    let Some(derived) = derive(password, &params.salt, params.log_n, params.r, params.p) else {
        return false;
    };
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&derived[32..]) else {
        return false;
    };
    mac.update(&params.container[..64]);
    // Constant-time comparison of the tag.
    mac.verify_slice(&params.container[64..]).is_ok()
}

/// The scrypt parameters and salt of a stored hash, after checking its header checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashParams {
    pub log_n: u8,
    pub r: u32,
    pub p: u32,
    pub salt: [u8; 32],
    container: [u8; CONTAINER_LEN],
}

/// Decodes a stored hash; `None` unless it is a well-formed Medusa/scrypt-kdf container.
pub fn parse(stored: &str) -> Option<HashParams> {
    let bytes = STANDARD.decode(stored.trim()).ok()?;
    let container: [u8; CONTAINER_LEN] = bytes.try_into().ok()?;
    if &container[..6] != MAGIC || container[6] != 0 {
        return None;
    }
    let checksum = Sha256::digest(&container[..48]);
    if checksum[..16] != container[48..64] {
        return None;
    }
    let log_n = container[7];
    let r = u32::from_be_bytes(container[8..12].try_into().ok()?);
    let p = u32::from_be_bytes(container[12..16].try_into().ok()?);
    if log_n > MAX_LOG_N || u64::from(r) * u64::from(p) > MAX_R_TIMES_P {
        return None;
    }
    let salt: [u8; 32] = container[16..48].try_into().ok()?;
    Some(HashParams {
        log_n,
        r,
        p,
        salt,
        container,
    })
}

fn derive(password: &str, salt: &[u8], log_n: u8, r: u32, p: u32) -> Option<[u8; DERIVED_LEN]> {
    let params = scrypt::Params::new(log_n, r, p).ok()?;
    let mut out = [0u8; DERIVED_LEN];
    scrypt::scrypt(password.as_bytes(), salt, &params, &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The admin's hash as a real Medusa 1.20.11 stored it (recording 060), password
    /// `supersecret`.
    const REAL_ADMIN_HASH: &str = "c2NyeXB0AAEAAAABAAAAASU6JprFPn2ruiXXvFMeNOSYF9kk2lZRInBptDjWa1ePUTIuWH6cWyFwsxwIPL50WJZJYVj6xE6VRYYTSBukEFusHYCqt2JUnj5neLQStOVX";

    #[test]
    fn verifies_a_hash_made_by_real_medusa() {
        let params = parse(REAL_ADMIN_HASH).unwrap();
        assert_eq!((params.log_n, params.r, params.p), (1, 1, 1));
        assert!(verify_password("supersecret", REAL_ADMIN_HASH));
        assert!(!verify_password("supersecret!", REAL_ADMIN_HASH));
    }

    #[test]
    fn own_hashes_round_trip_and_use_medusas_parameters() {
        let h = hash_password("p4ss");
        assert_eq!(h.len(), 128, "96 bytes in base64");
        assert!(h.starts_with("c2NyeXB0AAEAAAABAAAAA"), "{h}");
        assert!(verify_password("p4ss", &h));
        assert!(!verify_password("p4sS", &h));
        assert_ne!(h, hash_password("p4ss"), "salts are random");
    }

    #[test]
    fn other_parameters_found_in_a_header_are_honoured() {
        let h = hash_with_salt("pw", &[7; 32], 4, 2, 1).unwrap();
        assert_eq!(parse(&h).unwrap().log_n, 4);
        assert!(verify_password("pw", &h));
        assert!(!verify_password("pw", &h.replace('A', "B")));
    }

    #[test]
    fn garbage_never_verifies() {
        for bad in ["", "c2NyeXB0", "not base64!", &"A".repeat(128)] {
            assert!(!verify_password("", bad), "{bad}");
        }
        let huge = hash_with_salt("pw", &[1; 32], 1, 1, 1).unwrap();
        let mut bytes = STANDARD.decode(&huge).unwrap();
        bytes[7] = 40; // log N = 40 would need terabytes
        let checksum = Sha256::digest(&bytes[..48]);
        bytes[48..64].copy_from_slice(&checksum[..16]);
        assert!(!verify_password("pw", &STANDARD.encode(bytes)));
    }
}
