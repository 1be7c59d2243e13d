//! The differential test of the core's hand-written key checks against the RustCrypto types the
//! full build also constructs: both must accept and refuse exactly the same keys, over the
//! Wycheproof key material in tests/vectors/ and crafted bad keys. The native test build has
//! both (feature `wasm-asym`); the slim build runs the same checks without the other side.
#![cfg(feature = "wasm-asym")]

use super::*;
use crate::crypto::der_out;
use der::Decode;
use sha2::{Digest, Sha256};

fn uint(bytes: &[u8]) -> rsa::BoxedUint {
    rsa::BoxedUint::from_be_slice_vartime(bytes)
}

/// What rsa 0.10 accepts, with the core's size policy around it, as the full build had it
/// before the core did its own checks.
fn rsa_crate_public(n: &[u8], e: &[u8]) -> bool {
    let (n, e) = (strip_zeros(n), strip_zeros(e));
    bit_len(n) >= RSA_MIN_BITS
        && bit_len(n) <= RSA_MAX_BITS
        && e.len() <= 8
        && rsa::RsaPublicKey::new_with_size_limits(uint(n), uint(e), RSA_MIN_BITS..=RSA_MAX_BITS).is_ok()
}

fn ec_crate(curve: Curve, point: &[u8]) -> Option<Vec<u8>> {
    match curve {
        Curve::P256 => {
            p256::ecdsa::VerifyingKey::from_sec1_bytes(point).ok().map(|k| k.to_sec1_point(false).as_bytes().to_vec())
        }
        Curve::P384 => {
            p384::ecdsa::VerifyingKey::from_sec1_bytes(point).ok().map(|k| k.to_sec1_point(false).as_bytes().to_vec())
        }
        Curve::P521 => {
            p521::ecdsa::VerifyingKey::from_sec1_bytes(point).ok().map(|k| k.to_sec1_point(false).as_bytes().to_vec())
        }
    }
}

fn ec_agrees(curve: Curve, point: &[u8]) {
    let core = ec_point(curve, point).map(|(x, y)| [&[4u8][..], &x, &y].concat());
    assert_eq!(core, ec_crate(curve, point), "{curve:?} {point:02x?}");
}

fn ed_crate(x: &[u8; 32]) -> bool {
    ed25519_dalek::VerifyingKey::from_bytes(x).is_ok_and(|k| !k.is_weak())
}

fn ed_agrees(x: &[u8; 32]) {
    assert_eq!(ed25519_public(x), ed_crate(x), "{x:02x?}");
}

fn curve_of(oid: &str) -> Curve {
    match oid {
        "1.2.840.10045.3.1.7" => Curve::P256,
        "1.3.132.0.34" => Curve::P384,
        _ => Curve::P521,
    }
}

/// Off-curve, out-of-range and re-encoded variants of a valid point.
fn ec_variants(curve: Curve, point: &[u8]) -> Vec<Vec<u8>> {
    let len = curve.field_len();
    let (x, y) = (&point[1..1 + len], &point[1 + len..]);
    let (p_hex, _, _) = curve_constants(curve);
    let p = hex(p_hex);
    let mut out = vec![];
    let mut y1 = y.to_vec();
    *y1.last_mut().unwrap() ^= 1;
    out.push([&[4u8][..], x, &y1].concat());
    out.push([&[4u8][..], &p, y].concat());
    out.push([&[4u8][..], x, &p].concat());
    // x + p and y + p where they still fit (P-521's spare high bits): same point mod p.
    out.push([&[2u8][..], x].concat());
    out.push([&[3u8][..], x].concat());
    out.push([&[5u8][..], x].concat());
    out.push([&[2u8][..], &p].concat());
    out.push([&[6u8][..], x, y].concat());
    out.push([&[7u8][..], x, y].concat());
    out.push(vec![0u8]);
    out.push([&[4u8][..], x].concat());
    out.push([&[4u8][..], x, y, &[0]].concat());
    out.push(vec![4u8; 1 + 2 * len]);
    out.push([&[4u8][..], &vec![0u8; 2 * len]].concat());
    for i in 0..8u8 {
        let mut bad_x = x.to_vec();
        *bad_x.last_mut().unwrap() ^= i + 1;
        out.push([&[2u8][..], &bad_x].concat());
        out.push([&[3u8][..], &bad_x].concat());
    }
    out
}

#[test]
fn wycheproof_and_crafted_public_keys_get_the_same_verdict_from_the_core_and_rustcrypto() {
    let (mut rsa_n, mut ec_n, mut ed_n) = (0, 0, 0);
    for der in super::test_vectors::wycheproof_spkis() {
        let info = spki::SubjectPublicKeyInfoRef::from_der(&der).unwrap();
        let key = info.subject_public_key.as_bytes().unwrap();
        match info.algorithm.oid.to_string().as_str() {
            "1.2.840.113549.1.1.1" => {
                let k = pkcs1::RsaPublicKeyRef::from_der(key).unwrap();
                let (n, e) = (k.modulus.as_bytes(), k.public_exponent.as_bytes());
                assert_eq!(rsa_public(strip_zeros(n), strip_zeros(e)).is_ok(), rsa_crate_public(n, e));
                rsa_n += 1;
            }
            "1.2.840.10045.2.1" => {
                let curve = curve_of(&info.algorithm.parameters_oid().unwrap().to_string());
                ec_agrees(curve, key);
                for variant in ec_variants(curve, key) {
                    ec_agrees(curve, &variant);
                }
                ec_n += 1;
            }
            "1.3.101.112" => {
                let x: [u8; 32] = key.try_into().unwrap();
                ed_agrees(&x);
                let mut flipped = x;
                flipped[31] ^= 0x80;
                ed_agrees(&flipped);
                ed_n += 1;
            }
            other => panic!("unexpected key algorithm {other}"),
        }
    }
    assert!(rsa_n > 5 && ec_n > 3 && ed_n > 0, "{rsa_n} {ec_n} {ed_n}");
}

#[test]
fn crafted_rsa_public_keys() {
    let n2048 = {
        let mut n = vec![0xffu8; 256];
        n[255] = 0xf1;
        n
    };
    let cases: Vec<(Vec<u8>, Vec<u8>)> = vec![
        (n2048.clone(), vec![1, 0, 1]),
        (n2048.clone(), vec![1]),
        (n2048.clone(), vec![2]),
        (n2048.clone(), vec![3]),
        (n2048.clone(), vec![4]),
        (n2048.clone(), vec![1, 0, 0]),
        (n2048.clone(), vec![0, 0, 1, 0, 1]),
        (n2048.clone(), vec![1, 0xff, 0xff, 0xff, 0xff]),
        (n2048.clone(), vec![2, 0, 0, 0, 1]),
        (n2048.clone(), vec![1, 0, 0, 0, 0, 0, 0, 0, 1]),
        (n2048.clone(), vec![]),
        (n2048.clone(), n2048.clone()),
        ([&n2048[..255], &[0xf0]].concat(), vec![1, 0, 1]),
        ([&[0x7fu8][..], &n2048[1..]].concat(), vec![1, 0, 1]),
        ([&[0u8, 0][..], &n2048[..]].concat(), vec![1, 0, 1]),
        ([&[1u8][..], &n2048[..]].concat(), vec![1, 0, 1]),
        (vec![0xff; 512], vec![1, 0, 1]),
        ([&[1u8][..], &vec![0xff; 512]].concat(), vec![1, 0, 1]),
        (vec![0xff; 384], vec![3]),
        (vec![], vec![3]),
    ];
    for (n, e) in cases {
        assert_eq!(
            rsa_public(strip_zeros(&n), strip_zeros(&e)).is_ok(),
            rsa_crate_public(&n, &e),
            "n {} e {e:?}",
            n.len()
        );
    }
}

#[test]
fn crafted_ed25519_keys_small_order_and_non_canonical() {
    let p = hex(ED25519_P);
    for enc in crate::crypto::host::ED25519_SMALL_ORDER_FOR_TESTS {
        for sign in [0u8, 0x80] {
            let mut x = enc;
            x[31] |= sign;
            ed_agrees(&x);
            assert!(!ed25519_public(&x));
        }
    }
    // Every non-canonical y (p .. 2^255 - 1), both signs.
    for add in 0u8..19 {
        let mut y_be = p.clone();
        let last = y_be.len() - 1;
        y_be[last] = y_be[last].wrapping_add(add);
        let mut x: [u8; 32] = y_be.try_into().unwrap();
        x.reverse();
        for sign in [0u8, 0x80] {
            let mut v = x;
            v[31] = (v[31] & 0x7f) | sign;
            ed_agrees(&v);
        }
    }
    // Pseudo-random encodings: about half are not points.
    let mut accepted = 0;
    for i in 0u32..600 {
        let x: [u8; 32] = Sha256::digest(i.to_be_bytes()).into();
        ed_agrees(&x);
        accepted += usize::from(ed25519_public(&x));
    }
    assert!((200..400).contains(&accepted), "{accepted}");
}

#[test]
fn crafted_ec_points_and_scalars() {
    for curve in [Curve::P256, Curve::P384, Curve::P521] {
        let (p_hex, _, n_hex) = curve_constants(curve);
        let len = curve.field_len();
        // Pseudo-random x with both compressed tags: about half are on the curve.
        for i in 0u32..64 {
            let mut x = Sha256::digest([&i.to_be_bytes()[..], p_hex.as_bytes()].concat()).to_vec();
            x.resize(len, 0x5a);
            if curve == Curve::P521 {
                x[0] &= 1;
            }
            for tag in [2u8, 3, 5] {
                let point = [&[tag][..], &x].concat();
                ec_agrees(curve, &point);
                if let Some(full) = ec_crate(curve, &point) {
                    for variant in ec_variants(curve, &full) {
                        ec_agrees(curve, &variant);
                    }
                }
            }
        }
        let n = hex(n_hex);
        let fit = |v: Vec<u8>| -> Vec<u8> {
            let v = strip_zeros(&v).to_vec();
            [vec![0u8; len.saturating_sub(v.len())], v].concat()
        };
        let mut n_minus_1 = n.clone();
        *n_minus_1.last_mut().unwrap() -= 1;
        let mut n_plus_1 = n.clone();
        *n_plus_1.last_mut().unwrap() += 1;
        for d in [vec![0u8], vec![1], fit(n_minus_1), fit(n.clone()), fit(n_plus_1), vec![0xff; len]] {
            let d = fit(d);
            let crate_ok = match curve {
                Curve::P256 => p256::ecdsa::SigningKey::from_slice(&d).is_ok(),
                Curve::P384 => p384::ecdsa::SigningKey::from_slice(&d).is_ok(),
                Curve::P521 => p521::ecdsa::SigningKey::from_slice(&d).is_ok(),
            };
            assert_eq!(ec_scalar(curve, &d), crate_ok, "{curve:?} d {d:02x?}");
        }
    }
}

/// A 2048-bit RSA key from the fixtures, as (n, e, d, p, q).
fn rsa_components() -> [Vec<u8>; 5] {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let mut rng = crate::random::seeded_rng().unwrap();
    let key = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
    let be = |v: &rsa::BoxedUint| strip_zeros(&v.to_be_bytes()).to_vec();
    [be(key.n()), be(key.e()), be(key.d()), be(&key.primes()[0]), be(&key.primes()[1])]
}

#[test]
fn crafted_rsa_private_keys() {
    let [n, e, d, p, q] = rsa_components();
    let crate_ok = |n: &[u8], e: &[u8], d: &[u8], p: &[u8], q: &[u8]| {
        rsa::RsaPrivateKey::from_components(uint(n), uint(e), uint(d), vec![uint(p), uint(q)]).is_ok()
    };
    let plus = |v: &[u8], k: u8| {
        let mut v = v.to_vec();
        let last = v.len() - 1;
        v[last] = v[last].wrapping_add(k);
        v
    };
    let d_plus_n = Big::from_be(&d).add(&Big::from_be(&n)).to_be();
    let cases: Vec<[Vec<u8>; 5]> = vec![
        [n.clone(), e.clone(), d.clone(), p.clone(), q.clone()],
        [n.clone(), e.clone(), d.clone(), q.clone(), p.clone()],
        [n.clone(), e.clone(), plus(&d, 2), p.clone(), q.clone()],
        [n.clone(), e.clone(), d.clone(), plus(&p, 2), q.clone()],
        [n.clone(), e.clone(), d.clone(), n.clone(), vec![1]],
        [n.clone(), e.clone(), n.clone(), p.clone(), q.clone()],
        [n.clone(), e.clone(), d_plus_n, p.clone(), q.clone()],
        [n.clone(), e.clone(), vec![], p.clone(), q.clone()],
        [n.clone(), e.clone(), vec![1], p.clone(), q.clone()],
        [n.clone(), vec![3], d.clone(), p.clone(), q.clone()],
    ];
    for [n, e, d, p, q] in cases {
        let core =
            rsa_public(&n, &e).and_then(|_| rsa_private(&n, &e, strip_zeros(&d), strip_zeros(&p), strip_zeros(&q)));
        assert_eq!(core.is_ok(), crate_ok(&n, &e, &d, &p, &q), "d {} p {} q {}", d.len(), p.len(), q.len());
    }
}

#[test]
fn the_core_writes_the_same_der_as_rustcrypto() {
    use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
    use p256::elliptic_curve::sec1::ToSec1Point;
    let [n, e, d, p, q] = rsa_components();
    let rc = rsa::RsaPrivateKey::from_components(uint(&n), uint(&e), uint(&d), vec![uint(&p), uint(&q)]).unwrap();
    let crt = rsa_crt(&d, &p, &q).unwrap();
    assert_eq!(*der_out::pkcs8_rsa(&n, &e, &d, &p, &q, &crt), rc.to_pkcs8_der().unwrap().as_bytes());
    assert_eq!(der_out::spki_rsa(&n, &e), rc.to_public_key().to_public_key_der().unwrap().as_bytes());

    let sk = p256::SecretKey::from_slice(&[7u8; 32]).unwrap();
    let point = sk.public_key().to_sec1_point(false);
    let (x, y) = (&point.as_bytes()[1..33], &point.as_bytes()[33..]);
    assert_eq!(*der_out::pkcs8_ec(Curve::P256, &[7u8; 32], Some((x, y))), sk.to_pkcs8_der().unwrap().as_bytes());
    assert_eq!(der_out::spki_ec(Curve::P256, x, y), sk.public_key().to_public_key_der().unwrap().as_bytes());
    let sk = p521::SecretKey::from_slice(&[1u8; 66]).unwrap();
    let point = sk.public_key().to_sec1_point(false);
    let (x, y) = (&point.as_bytes()[1..67], &point.as_bytes()[67..]);
    assert_eq!(*der_out::pkcs8_ec(Curve::P521, &[1u8; 66], Some((x, y))), sk.to_pkcs8_der().unwrap().as_bytes());
    assert_eq!(der_out::spki_ec(Curve::P521, x, y), sk.public_key().to_public_key_der().unwrap().as_bytes());

    let ed = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
    let x = ed.verifying_key().to_bytes();
    assert_eq!(*der_out::pkcs8_ed25519(&[9u8; 32], Some(&x)), ed.to_pkcs8_der().unwrap().as_bytes());
    assert_eq!(der_out::spki_ed25519(&x), ed.verifying_key().to_public_key_der().unwrap().as_bytes());
    // The seed-only form (what the slim core hands a host to derive the public key) parses.
    let v1 = der_out::pkcs8_ed25519(&[9u8; 32], None);
    assert_eq!(ed25519_dalek::SigningKey::from_pkcs8_der(&v1).unwrap().to_bytes(), [9u8; 32]);
    let v1 = der_out::pkcs8_ec(Curve::P256, &[7u8; 32], None);
    assert_eq!(p256::SecretKey::from_pkcs8_der(&v1).unwrap().to_bytes().as_slice(), &[7u8; 32]);
}
