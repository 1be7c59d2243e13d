//! The load-time checks of asymmetric keys, done by the core itself (crypto-bigint only) so that
//! the slim module, which has no RSA/ECDSA/Ed25519 arithmetic, refuses exactly the keys the full
//! one refuses. Each check reproduces what the RustCrypto type the full build also constructs
//! accepts (rsa 0.10, p256/p384/p521 0.14, ed25519-dalek 3): `tests.rs` holds the differential
//! test that proves it over the Wycheproof keys and crafted bad ones. Every input is public
//! except RSA d, p, q and EC d, which are only multiplied and compared (no branch on their
//! bits beyond what the RustCrypto constructors also do).

use super::bignum::{Big, Monty, MontyElem};
use super::material::Curve;
use crate::error::{jwk_invalid, Result};

/// Smallest RSA modulus we accept (RFC 7518 3.3 requires 2048 bits).
pub const RSA_MIN_BITS: usize = 2048;
/// Largest RSA modulus we accept. Verification cost grows with the square of the size (measured
/// natively: 2048 bits 45 us, 4096 bits 186 us, 8192 bits 730 us, 16384 bits 3 ms), so 4096 keeps
/// the worst key within a few 2048-bit verifications. Every mainstream issuer, KMS and HSM signs
/// with 4096 bits or fewer.
pub const RSA_MAX_BITS: usize = 4096;
/// The largest public exponent the `rsa` crate accepts (2^33 - 1), kept so both builds refuse
/// the same keys.
const RSA_MAX_E: u64 = (1 << 33) - 1;

/// Leading zero octets carry no value; strip them so bit-length checks are exact.
pub(crate) fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or(&[])
}

/// The bit length of a big-endian number without leading zeros.
fn bit_len(n: &[u8]) -> usize {
    match n.first() {
        Some(&top) => n.len().saturating_sub(1).saturating_mul(8).saturating_add(8 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// Compares two big-endian numbers without leading zeros.
fn cmp_be(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn is_odd(n: &[u8]) -> bool {
    n.last().is_some_and(|b| b & 1 == 1)
}

/// The message the full build gave for each refusal ("invalid RSA public key: invalid modulus").
fn rsa_refused(what: &str, why: &str) -> crate::error::Error {
    jwk_invalid(format!("invalid RSA {what}: {why}"))
}

/// RSA public key: 2048..=4096 bits, n odd, e odd, 3 <= e <= 2^33 - 1 and e < n. `n` and `e`
/// are taken without their leading zeros (use [`strip_zeros`]).
pub fn rsa_public(n: &[u8], e: &[u8]) -> Result<()> {
    let bits = bit_len(n);
    if bits < RSA_MIN_BITS {
        return Err(jwk_invalid(format!("RSA keys must be at least {RSA_MIN_BITS} bits, got {bits}")));
    }
    if bits > RSA_MAX_BITS {
        return Err(jwk_invalid(format!("RSA keys must be at most {RSA_MAX_BITS} bits, got {bits}")));
    }
    if e.len() > 8 {
        return Err(jwk_invalid("RSA public exponent is too large"));
    }
    // The order of the rsa crate's checks, with its messages.
    if cmp_be(e, n).is_ge() || !is_odd(n) {
        return Err(rsa_refused("public key", "invalid modulus"));
    }
    if !is_odd(e) {
        return Err(rsa_refused("public key", "invalid exponent"));
    }
    let e_value = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if e_value < 2 {
        return Err(rsa_refused("public key", "public exponent too small"));
    }
    if e_value > RSA_MAX_E {
        return Err(rsa_refused("public key", "public exponent too large"));
    }
    Ok(())
}

/// RSA private key from n, e, d, p, q (all without leading zeros; the public checks passed):
/// p * q = n, each prime odd and at most half the modulus's bits (rounded up), d < n, and
/// d * e = 1 mod (p - 1) and mod (q - 1).
pub fn rsa_private(n: &[u8], e: &[u8], d: &[u8], p: &[u8], q: &[u8]) -> Result<()> {
    let refused = |why| rsa_refused("private key", why);
    // rsa sizes d to the modulus's storage (whole 64-bit limbs natively, 32-bit in wasm) first,
    // then requires d < n below: the same refusal either way, only the message's order differs.
    if cmp_be(d, n).is_ge() && bit_len(d) > bit_len(n).div_ceil(64) * 64 {
        return Err(refused("invalid exponent"));
    }
    let (n_u, p_u, q_u) = (Big::from_be(n), Big::from_be(p), Big::from_be(q));
    if p_u.mul(&q_u) != n_u {
        return Err(refused("invalid modulus"));
    }
    let half = bit_len(n).div_ceil(2);
    for prime in [p, q] {
        if bit_len(prime) > half || !is_odd(prime) {
            return Err(refused("invalid prime value"));
        }
    }
    if cmp_be(d, n).is_ge() {
        return Err(refused("invalid exponent"));
    }
    for prime in [p, q] {
        if cmp_be(prime, &[1]).is_le() {
            return Err(refused("invalid prime value"));
        }
    }
    let de = Big::from_be(d).mul(&Big::from_be(e));
    for prime in [&p_u, &q_u] {
        let minus_one = prime.sub(&Big::small(1)).ok_or_else(|| refused("invalid prime value"))?;
        if !de.rem(&minus_one).is_some_and(|r| r.is_one()) {
            return Err(refused("invalid exponent"));
        }
    }
    Ok(())
}

/// The CRT parameters of an RSA private key (d mod p-1, d mod q-1, q^-1 mod p), for PKCS#1
/// output, from a key [`rsa_private`] accepted. Big-endian, without leading zeros.
pub fn rsa_crt(d: &[u8], p: &[u8], q: &[u8]) -> Option<[Vec<u8>; 3]> {
    let (d, p, q) = (Big::from_be(d), Big::from_be(p), Big::from_be(q));
    let one = Big::small(1);
    let dp = d.rem(&p.sub(&one)?)?;
    let dq = d.rem(&q.sub(&one)?)?;
    let qi = q.inv_mod(&p)?;
    Some([dp.to_be(), dq.to_be(), qi.to_be()])
}

/// The curve constants, big-endian hex: the field prime p, the coefficient b (a = -3 on all
/// three) and the group order n.
fn curve_constants(curve: Curve) -> (&'static str, &'static str, &'static str) {
    match curve {
        Curve::P256 => (
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
            "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
            "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        ),
        Curve::P384 => (
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
            "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
            "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
        ),
        Curve::P521 => (
            "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
            "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
        ),
    }
}

fn hex(s: &str) -> Vec<u8> {
    s.as_bytes()
        .chunks(2)
        .map(|pair| pair.iter().fold(0u8, |acc, &c| (acc << 4) | (c as char).to_digit(16).map_or(0, |d| d as u8)))
        .collect()
}

/// Arithmetic modulo a prime p, in Montgomery form.
struct Field {
    p: Big,
    monty: Monty,
}

impl Field {
    fn new(p_be: &[u8]) -> Option<Field> {
        let p = Big::from_be(p_be);
        Some(Field { monty: Monty::new(&p)?, p })
    }

    /// A field element from big-endian bytes, `None` if it is not below p.
    fn element(&self, be: &[u8]) -> Option<MontyElem> {
        self.monty.enter(&Big::from_be(be))
    }

    fn small(&self, v: u32) -> Option<MontyElem> {
        self.monty.enter(&Big::small(v))
    }

    /// (p + add - sub) >> shift: the exponents of square roots and Euler's criterion.
    fn exponent(&self, add: u32, sub: u32, shift: usize) -> Option<Big> {
        let e = self.p.add(&Big::small(add)).sub(&Big::small(sub))?;
        let (q, _) = e.div_rem(&Big::small(1).shl_public(shift))?;
        Some(q)
    }
}

/// The right-hand side of y^2 = x^3 - 3x + b.
fn curve_rhs(field: &Field, x: &MontyElem, b: &MontyElem) -> Option<MontyElem> {
    let f = &field.monty;
    let x3 = f.mul(&f.mul(x, x), x);
    let three_x = f.mul(&field.small(3)?, x);
    Some(f.add(&f.sub(&x3, &three_x), b))
}

/// Validates an EC public point given as a SEC1 encoding (the forms p256 & co. accept:
/// uncompressed `04`, compressed `02`/`03`, compact `05`; never the identity) and returns its
/// affine coordinates (each exactly the field length), or `None` if it is not a point on the
/// curve.
pub fn ec_point(curve: Curve, sec1: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let len = curve.field_len();
    let (&tag, body) = sec1.split_first()?;
    let (p_hex, b_hex, _) = curve_constants(curve);
    let field = Field::new(&hex(p_hex))?;
    let f = &field.monty;
    let b = field.element(&hex(b_hex))?;
    match tag {
        0x04 if body.len() == 2 * len => {
            let (x_be, y_be) = body.split_at(len);
            let (x, y) = (field.element(x_be)?, field.element(y_be)?);
            let rhs = curve_rhs(&field, &x, &b)?;
            (f.mul(&y, &y) == rhs).then(|| (x_be.to_vec(), y_be.to_vec()))
        }
        0x02 | 0x03 | 0x05 if body.len() == len => {
            let x = field.element(body)?;
            let rhs = curve_rhs(&field, &x, &b)?;
            // p = 3 mod 4 on all three curves: the root is rhs^((p+1)/4), if rhs has one.
            let root = f.pow(&rhs, &field.exponent(1, 0, 2)?)?;
            if f.mul(&root, &root) != rhs {
                return None;
            }
            let root = f.leave(&root);
            let other = field.p.sub(&root)?;
            let y = match tag {
                0x02 if root.is_odd() => other,
                0x03 if !root.is_odd() => other,
                // Compact: the smaller of y and p - y.
                0x05 if other < root => other,
                _ => root,
            };
            Some((body.to_vec(), y.to_be_len(len)?))
        }
        _ => None,
    }
}

/// Whether `d` (exactly the field length, big-endian) is a valid private scalar: in [1, n-1].
/// In constant time: d is secret.
pub fn ec_scalar(curve: Curve, d: &[u8]) -> bool {
    let (_, _, n_hex) = curve_constants(curve);
    let n = hex(n_hex);
    if d.len() != n.len() {
        return false;
    }
    // d < n iff computing d - n borrows; d != 0 iff some byte is non-zero.
    let (mut borrow, mut any) = (0u16, 0u8);
    for (&a, &b) in d.iter().rev().zip(n.iter().rev()) {
        let diff = u16::from(a).wrapping_sub(u16::from(b)).wrapping_sub(borrow);
        borrow = (diff >> 8) & 1;
        any |= a;
    }
    borrow == 1 && any != 0
}

/// The Ed25519 field prime 2^255 - 19, big-endian.
const ED25519_P: &str = "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed";
/// Ed25519's d = -121665/121666, big-endian.
const ED25519_D: &str = "52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3";

/// Whether a 32-byte Ed25519 public key decodes to a curve point the way ed25519-dalek decodes
/// it (y taken modulo p, sign bit aside; x^2 = (y^2 - 1) / (d y^2 + 1) must have a root) and is
/// not of small order.
pub fn ed25519_public(x: &[u8; 32]) -> bool {
    if super::host::small_order(x) {
        return false;
    }
    let Some(field) = Field::new(&hex(ED25519_P)) else { return false };
    let f = &field.monty;
    let mut y_be = *x;
    y_be[31] &= 0x7f;
    y_be.reverse();
    // Reduced modulo p, as dalek does (the non-canonical encodings of small-order points are
    // in the table above; the others decode like their canonical twins).
    let is_square = || {
        let y = field.element(&Big::from_be(&y_be).rem(&field.p)?.to_be())?;
        let (d, one) = (field.element(&hex(ED25519_D))?, field.small(1)?);
        let yy = f.mul(&y, &y);
        let u = f.sub(&yy, &one);
        let v = f.add(&f.mul(&d, &yy), &one);
        // v is never zero (-1/d is not a square), and u/v is a square exactly when u*v is (the
        // Legendre symbol is multiplicative, and v^-1 has v's): zero, or (uv)^((p-1)/2) = 1.
        let uv = f.mul(&u, &v);
        Some(f.is_zero(&uv) || f.pow(&uv, &field.exponent(0, 1, 1)?)? == one)
    };
    is_square().unwrap_or(false)
}

#[cfg(all(test, not(feature = "wasm-asym")))]
mod slim_tests;
#[cfg(test)]
mod test_vectors;
#[cfg(test)]
mod tests;
