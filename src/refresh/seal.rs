//! Sealing a successor under the token it replaces.
//!
//! Inside the `reuseGrace` window, a client that sent the same refresh token twice at once
//! (two tabs, a retried request) must get the SAME successor both times, or one of them ends up
//! holding a token that is not the family's head. Yet a store must never hold a usable token in
//! plain text. So when token `T` is rotated to `S`, the store keeps, for the grace window only,
//!
//! ```text
//! sealed = S_bytes XOR stream(T)
//! stream(T) = B0 || B1 || …,  Bi = SHA-256(seed || be32(i)),  seed = SHA-256("jwtward refresh seal v1" || T)
//! ```
//!
//! Only someone holding `T` derives the stream: the store itself keeps `SHA-256(T)` (a
//! different input, so no relation to `seed`), and `T` has at least 128 bits of entropy. A
//! concurrent caller presenting `T` unseals `S`; anyone reading the store learns nothing usable.
//! Each `T` is rotated at most once (the store's compare-and-set guarantees it), so one stream
//! seals one successor: the pad is never reused. The unsealed token is checked against the
//! successor's hash kept in the record, in constant time, before it is returned.

use crate::base64url;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

const SEAL_LABEL: &[u8] = b"jwtward refresh seal v1";

/// XORs `data` in place with the key stream derived from `key_token`.
fn apply_stream(key_token: &str, data: &mut [u8]) {
    let mut seed_hasher = Sha256::new();
    seed_hasher.update(SEAL_LABEL);
    seed_hasher.update(key_token.as_bytes());
    let mut seed = seed_hasher.finalize();
    for (counter, chunk) in (0u32..).zip(data.chunks_mut(32)) {
        let mut block_hasher = Sha256::new();
        block_hasher.update(seed);
        block_hasher.update(counter.to_be_bytes());
        let mut block = block_hasher.finalize();
        for (d, k) in chunk.iter_mut().zip(block.iter()) {
            *d ^= k;
        }
        block.as_mut_slice().zeroize();
    }
    seed.as_mut_slice().zeroize();
}

/// Seals `successor` (its raw random bytes) under `key_token`: unpadded base64url.
pub(crate) fn seal(key_token: &str, successor: &[u8]) -> String {
    let mut buf = Zeroizing::new(successor.to_vec());
    apply_stream(key_token, &mut buf);
    base64url::encode(&buf)
}

/// The raw successor bytes sealed under `key_token`, or `None` if `sealed` is not base64url.
/// A wrong key gives wrong bytes, not an error: the caller checks them against the hash.
pub(crate) fn unseal(key_token: &str, sealed: &str) -> Option<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(base64url::decode(sealed)?);
    apply_stream(key_token, &mut buf);
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_for_every_length_up_to_several_blocks() {
        let key = "k3y-token-text-of-the-old-refresh-token";
        for len in [1usize, 16, 31, 32, 33, 64, 100, 256] {
            let secret: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let sealed = seal(key, &secret);
            assert_ne!(base64url::decode(&sealed).unwrap(), secret, "{len}: sealed equals plain");
            assert_eq!(&unseal(key, &sealed).unwrap()[..], &secret[..], "{len}");
        }
    }

    #[test]
    fn another_key_unseals_garbage() {
        let secret = [42u8; 32];
        let sealed = seal("the-right-token", &secret);
        assert_ne!(&unseal("the-wrong-token", &sealed).unwrap()[..], &secret[..]);
        assert!(unseal("the-right-token", "not base64url!").is_none());
    }

    #[test]
    fn stream_matches_its_definition() {
        // Block 0 of the stream, computed independently of apply_stream.
        let seed = Sha256::digest([SEAL_LABEL, b"T"].concat());
        let b0 = Sha256::digest([&seed[..], &0u32.to_be_bytes()].concat());
        let b1 = Sha256::digest([&seed[..], &1u32.to_be_bytes()].concat());
        let mut zeros = [0u8; 40];
        apply_stream("T", &mut zeros);
        assert_eq!(&zeros[..32], &b0[..]);
        assert_eq!(&zeros[32..], &b1[..8]);
    }

    #[test]
    fn the_stream_is_not_the_stored_hash() {
        // The store holds SHA-256(T); the seal seed is SHA-256(label || T): unrelated values.
        let mut zeros = [0u8; 32];
        apply_stream("T", &mut zeros);
        assert_ne!(&zeros[..], &Sha256::digest(b"T")[..]);
    }
}
