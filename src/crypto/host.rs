//! What a host-native backend (node:crypto, WebCrypto) must check before it hands a signature
//! to the host, so that it accepts exactly what [`super::RustCrypto`] accepts. The host is then
//! left only the arithmetic, which both sides do by the book: OpenSSL (Node) refuses, like the
//! core, PKCS#1 v1.5 signatures without the DigestInfo NULL, out-of-range ECDSA r and s, and
//! non-canonical Ed25519 S (checked with the Wycheproof vectors through the node backend, in
//! tests/js/wycheproof-node.test.mjs). What the host does not check, or checks differently, is
//! checked here: exact signature lengths (before any arithmetic), and Ed25519's small-order R,
//! which `verify_strict` refuses and OpenSSL accepts.

use super::{verdict, wrong_key, KeyMaterial};
use crate::alg::Alg;
use crate::error::Result;

/// The group order L of Ed25519, little-endian: a canonical S is below it (RFC 8032 5.1.7).
const ED25519_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// Encodings of the Ed25519 points of small order, sign bit ignored (libsodium's list): the
/// identity, the points of order 2, 4 and 8, and the non-canonical encodings of 0 and 1.
const ED25519_SMALL_ORDER: [[u8; 32]; 7] = [
    [0; 32],
    [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf,
        0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20,
        0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
    ],
    [
        0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
    ],
    [
        0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
    ],
    [
        0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
    ],
];

/// The table, for the differential test of the core's key checks.
#[cfg(test)]
#[allow(dead_code)]
pub(crate) const ED25519_SMALL_ORDER_FOR_TESTS: [[u8; 32]; 7] = ED25519_SMALL_ORDER;

/// Whether a 32-byte little-endian number is below `bound`.
fn below(value: &[u8], bound: &[u8; 32]) -> bool {
    for (v, b) in value.iter().rev().zip(bound.iter().rev()) {
        if v != b {
            return v < b;
        }
    }
    false
}

/// Whether `r` encodes a point of small order (the top bit, x's sign, is ignored).
pub(crate) fn small_order(r: &[u8]) -> bool {
    ED25519_SMALL_ORDER.iter().any(|bad| {
        let (body, last) = (r.get(..31), r.get(31).map(|b| b & 0x7f));
        body == bad.get(..31) && last == bad.get(31).copied()
    })
}

/// Checks everything about `sig` that the reference backend checks and a host might not.
/// `Ok` means the host may be asked; its answer is then the verdict.
pub fn precheck(key: &KeyMaterial, alg: Alg, sig: &[u8]) -> Result<()> {
    if !key.supports(alg) {
        return Err(wrong_key(alg, key));
    }
    let ok = match key {
        KeyMaterial::Secret(_) => true,
        // RFC 8017 8.2.2 / 8.1.2: exactly the modulus length, as the reference requires.
        KeyMaterial::Rsa(_) => key.rsa_modulus_len().is_some_and(|k| sig.len() == k),
        // Raw r || s of exactly twice the field length (RFC 7518 3.4); never DER.
        KeyMaterial::Ec(_) => key.curve().is_some_and(|c| sig.len() == 2 * c.field_len()),
        KeyMaterial::Ed25519(_) => match (sig.get(..32), sig.get(32..)) {
            (Some(r), Some(s)) if sig.len() == 64 => below(s, &ED25519_L) && !small_order(r),
            _ => false,
        },
    };
    verdict(ok)
}

#[cfg(all(test, feature = "wasm-asym"))]
mod tests {
    use super::*;
    use ed25519_dalek::{Signature, Signer, SigningKey};

    #[test]
    fn the_small_order_list_is_what_dalek_calls_weak() {
        for enc in ED25519_SMALL_ORDER {
            for sign in [0u8, 0x80] {
                let mut e = enc;
                e[31] |= sign;
                // Non-canonical encodings may not decode at all; those that do are weak.
                if let Ok(point) = ed25519_dalek::VerifyingKey::from_bytes(&e) {
                    assert!(point.is_weak(), "{e:02x?}");
                }
            }
        }
    }

    #[test]
    fn ed25519_small_order_r_and_large_s_are_refused_before_the_host() {
        let sk = SigningKey::from_bytes(&[9u8; 32]);
        let key = KeyMaterial::ed25519_public(sk.verifying_key().as_bytes()).unwrap();
        let good = sk.sign(b"msg").to_bytes();
        assert!(precheck(&key, Alg::EdDSA, &good).is_ok());
        let mut weak_r = good;
        weak_r[..32].copy_from_slice(&ED25519_SMALL_ORDER[2]);
        assert!(precheck(&key, Alg::EdDSA, &weak_r).is_err());
        let mut big_s = good;
        big_s[32..].copy_from_slice(&ED25519_L);
        assert!(precheck(&key, Alg::EdDSA, &big_s).is_err());
        assert!(precheck(&key, Alg::EdDSA, &good[..63]).is_err());
        // The reference backend agrees on both.
        for sig in [weak_r, big_s] {
            let s = Signature::from_bytes(&sig);
            assert!(sk.verifying_key().verify_strict(b"msg", &s).is_err());
        }
    }

    #[test]
    fn lengths_are_exact() {
        let ec = KeyMaterial::ec_private(super::super::Curve::P256, &[3u8; 32]).unwrap();
        assert!(precheck(&ec, Alg::ES256, &[1u8; 64]).is_ok());
        assert!(precheck(&ec, Alg::ES256, &[1u8; 65]).is_err());
        assert!(precheck(&ec, Alg::ES384, &[1u8; 96]).is_err());
    }
}
