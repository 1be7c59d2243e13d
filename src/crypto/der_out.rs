//! The few DER documents the core writes for a host to import a key: SPKI for public keys,
//! PKCS#8 for private keys (RSA, EC with its SEC1 body, Ed25519). Written by hand (a handful of
//! TLVs) in the layouts the RustCrypto encoders use, byte for byte (the differential test in
//! checks/tests.rs compares them), so both builds hand the host the same documents.

use super::material::Curve;
use zeroize::Zeroizing;

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

fn curve_oid(curve: Curve) -> &'static [u8] {
    match curve {
        Curve::P256 => OID_P256,
        Curve::P384 => OID_P384,
        Curve::P521 => OID_P521,
    }
}

/// One TLV; the output is wiped on drop since it may hold private key bytes.
fn tlv(tag: u8, body: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(body.len().saturating_add(6)));
    out.push(tag);
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let significant = crate::crypto::checks::strip_zeros(&bytes);
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(body);
    out
}

fn seq(parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
    tlv(0x30, &Zeroizing::new(parts.concat()))
}

/// A DER INTEGER of a non-negative big-endian number (minimal, with a 0 before a high bit).
fn integer(be: &[u8]) -> Zeroizing<Vec<u8>> {
    let value = crate::crypto::checks::strip_zeros(be);
    let mut body = Zeroizing::new(Vec::with_capacity(value.len().saturating_add(1)));
    if value.first().is_none_or(|&b| b & 0x80 != 0) {
        body.push(0);
    }
    body.extend_from_slice(value);
    tlv(0x02, &body)
}

fn bit_string(bytes: &[u8]) -> Zeroizing<Vec<u8>> {
    tlv(0x03, &[&[0u8][..], bytes].concat())
}

fn algorithm(oid: &[u8], params: Option<&[u8]>) -> Zeroizing<Vec<u8>> {
    let oid = tlv(0x06, oid);
    match params {
        Some(p) => seq(&[&oid, p]),
        None => seq(&[&oid]),
    }
}

fn uncompressed(x: &[u8], y: &[u8]) -> Vec<u8> {
    [&[0x04u8][..], x, y].concat()
}

pub fn spki_rsa(n: &[u8], e: &[u8]) -> Vec<u8> {
    let key = seq(&[&integer(n), &integer(e)]);
    seq(&[&algorithm(OID_RSA, Some(&[0x05, 0x00])), &bit_string(&key)]).to_vec()
}

pub fn spki_ec(curve: Curve, x: &[u8], y: &[u8]) -> Vec<u8> {
    let params = tlv(0x06, curve_oid(curve));
    seq(&[&algorithm(OID_EC, Some(&params)), &bit_string(&uncompressed(x, y))]).to_vec()
}

pub fn spki_ed25519(x: &[u8]) -> Vec<u8> {
    seq(&[&algorithm(OID_ED25519, None), &bit_string(x)]).to_vec()
}

/// PKCS#8 of a two-prime RSA key (PKCS#1 RSAPrivateKey inside), given its CRT values.
pub fn pkcs8_rsa(n: &[u8], e: &[u8], d: &[u8], p: &[u8], q: &[u8], crt: &[Vec<u8>; 3]) -> Zeroizing<Vec<u8>> {
    let [dp, dq, qi] = crt;
    let body = seq(&[
        &integer(&[]),
        &integer(n),
        &integer(e),
        &integer(d),
        &integer(p),
        &integer(q),
        &integer(dp),
        &integer(dq),
        &integer(qi),
    ]);
    seq(&[&integer(&[]), &algorithm(OID_RSA, Some(&[0x05, 0x00])), &tlv(0x04, &body)])
}

/// PKCS#8 of an EC key: the SEC1 ECPrivateKey inside has no parameters (they are in the
/// algorithm identifier) and carries the public point when it is known.
pub fn pkcs8_ec(curve: Curve, d: &[u8], public: Option<(&[u8], &[u8])>) -> Zeroizing<Vec<u8>> {
    let point = public.map(|(x, y)| tlv(0xa1, &bit_string(&uncompressed(x, y))));
    let version = integer(&[1]);
    let scalar = tlv(0x04, d);
    let sec1 = match &point {
        Some(point) => seq(&[&version, &scalar, point]),
        None => seq(&[&version, &scalar]),
    };
    let params = tlv(0x06, curve_oid(curve));
    seq(&[&integer(&[]), &algorithm(OID_EC, Some(&params)), &tlv(0x04, &sec1)])
}

/// PKCS#8 of an Ed25519 key: version 2 with the public key when it is known (as
/// ed25519-dalek writes it), version 1 with the seed alone otherwise.
pub fn pkcs8_ed25519(seed: &[u8], public: Option<&[u8]>) -> Zeroizing<Vec<u8>> {
    let inner = tlv(0x04, &tlv(0x04, seed));
    let alg = algorithm(OID_ED25519, None);
    match public {
        Some(x) => seq(&[&integer(&[1]), &alg, &inner, &tlv(0x81, &[&[0u8][..], x].concat())]),
        None => seq(&[&integer(&[]), &alg, &inner]),
    }
}
