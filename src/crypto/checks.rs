//! The load-time checks of asymmetric keys, done by the core itself (crypto-bigint only) so that
//! the slim module, which has no RSA/ECDSA/Ed25519 arithmetic, refuses exactly the keys the full
//! one refuses. Each check reproduces what the RustCrypto type the full build also constructs
//! accepts (rsa 0.10, p256/p384/p521 0.14, ed25519-dalek 3): `tests.rs` holds the differential
//! test that proves it over the Wycheproof keys and crafted bad ones. Every input is public
//! except RSA d, p, q and EC d, which are only multiplied and compared (no branch on their
//! bits beyond what the RustCrypto constructors also do).

use super::material::Curve;
use crate::error::{jwk_invalid, Result};
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, ConcatenatingMul, NonZero, Odd, Resize};

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

fn uint(bytes: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(bytes)
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
    // rsa sizes d to the modulus's storage first, then requires d < n below.
    if cmp_be(d, n).is_ge()
        && bit_len(d) > bit_len(n).div_ceil(crypto_bigint::Limb::BITS as usize) * crypto_bigint::Limb::BITS as usize
    {
        return Err(refused("invalid exponent"));
    }
    let (n_u, p_u, q_u) = (uint(n), uint(p), uint(q));
    if p_u.concatenating_mul(&q_u) != n_u {
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
    let de = uint(d).concatenating_mul(&uint(e));
    for prime in [&p_u, &q_u] {
        let minus_one = prime.wrapping_sub(BoxedUint::one());
        let Some(modulus) = NonZero::new(minus_one).into_option() else {
            return Err(refused("invalid prime value"));
        };
        if !bool::from(de.rem(&modulus).is_one()) {
            return Err(refused("invalid exponent"));
        }
    }
    Ok(())
}

/// The CRT parameters of an RSA private key (d mod p-1, d mod q-1, q^-1 mod p), for PKCS#1
/// output, from a key [`rsa_private`] accepted. Big-endian, without leading zeros.
pub fn rsa_crt(d: &[u8], p: &[u8], q: &[u8]) -> Option<[Vec<u8>; 3]> {
    let (d, p, q) = (uint(d), uint(p), uint(q));
    let one = BoxedUint::one();
    let dp = d.rem(&NonZero::new(p.wrapping_sub(&one)).into_option()?);
    let dq = d.rem(&NonZero::new(q.wrapping_sub(&one)).into_option()?);
    let precision = p.bits_precision().max(q.bits_precision());
    let p_wide = NonZero::new(p.clone().resize(precision)).into_option()?;
    let q_mod_p = q.clone().resize(precision).rem(&p_wide);
    let qi = q_mod_p.invert_mod(&p_wide).into_option()?;
    let be = |v: &BoxedUint| strip_zeros(&v.to_be_bytes()).to_vec();
    Some([be(&dp), be(&dq), be(&qi)])
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

/// Arithmetic modulo an odd prime, in Montgomery form.
struct Field {
    params: BoxedMontyParams,
    p: BoxedUint,
}

impl Field {
    fn new(p_be: &[u8]) -> Option<Field> {
        let p = uint(p_be);
        let params = BoxedMontyParams::new_vartime(Odd::new(p.clone()).into_option()?);
        Some(Field { params, p })
    }

    /// A field element from big-endian bytes, `None` if it is not below p.
    fn element(&self, be: &[u8]) -> Option<BoxedMontyForm> {
        let value = BoxedUint::from_be_slice(strip_zeros(be), self.params.bits_precision()).ok()?;
        (value < self.p).then(|| BoxedMontyForm::new(value, &self.params))
    }

    fn small(&self, v: u8) -> Option<BoxedMontyForm> {
        self.element(&[v])
    }

    /// p - k, shifted right by `shift` bits: the exponents of square roots and Euler's criterion.
    fn exponent(&self, add: u8, sub: u8, shift: u32) -> Option<BoxedUint> {
        let e = self.p.wrapping_add(BoxedUint::from(u64::from(add))).wrapping_sub(BoxedUint::from(u64::from(sub)));
        e.shr_vartime(shift)
    }

    fn is_one(&self, v: &BoxedMontyForm) -> bool {
        bool::from(v.retrieve().is_one())
    }

    fn to_be(&self, v: &BoxedMontyForm, len: usize) -> Option<Vec<u8>> {
        let bytes = v.retrieve().to_be_bytes();
        let cut = bytes.len().checked_sub(len)?;
        let (high, low) = bytes.split_at(cut);
        high.iter().all(|&b| b == 0).then(|| low.to_vec())
    }
}

/// The right-hand side of y^2 = x^3 - 3x + b.
fn curve_rhs(field: &Field, x: &BoxedMontyForm, b: &BoxedMontyForm) -> Option<BoxedMontyForm> {
    let three = field.small(3)?;
    Some(x.square().mul(x).sub(&three.mul(x)).add(b))
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
    let b = field.element(&hex(b_hex))?;
    match tag {
        0x04 if body.len() == 2 * len => {
            let (x_be, y_be) = body.split_at(len);
            let (x, y) = (field.element(x_be)?, field.element(y_be)?);
            let rhs = curve_rhs(&field, &x, &b)?;
            (y.square().retrieve() == rhs.retrieve()).then(|| (x_be.to_vec(), y_be.to_vec()))
        }
        0x02 | 0x03 | 0x05 if body.len() == len => {
            let x = field.element(body)?;
            let rhs = curve_rhs(&field, &x, &b)?;
            // p = 3 mod 4 on all three curves: the root is rhs^((p+1)/4), if rhs has one.
            let root = rhs.pow(&field.exponent(1, 0, 2)?);
            if root.square().retrieve() != rhs.retrieve() {
                return None;
            }
            let other = root.neg();
            let root_be = field.to_be(&root, len)?;
            let other_be = field.to_be(&other, len)?;
            let root_odd = root_be.last().is_some_and(|v| v & 1 == 1);
            let y = match tag {
                0x02 => {
                    if root_odd {
                        other_be
                    } else {
                        root_be
                    }
                }
                0x03 => {
                    if root_odd {
                        root_be
                    } else {
                        other_be
                    }
                }
                // Compact: the smaller of y and p - y.
                _ => {
                    if cmp_be(strip_zeros(&root_be), strip_zeros(&other_be)).is_le() {
                        root_be
                    } else {
                        other_be
                    }
                }
            };
            Some((body.to_vec(), y))
        }
        _ => None,
    }
}

/// Whether `d` (exactly the field length, big-endian) is a valid private scalar: in [1, n-1].
pub fn ec_scalar(curve: Curve, d: &[u8]) -> bool {
    let (_, _, n_hex) = curve_constants(curve);
    let n = hex(n_hex);
    let d = strip_zeros(d);
    !d.is_empty() && cmp_be(d, strip_zeros(&n)).is_lt()
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
    let mut y_le = *x;
    y_le[31] &= 0x7f;
    let mut y_be = y_le;
    y_be.reverse();
    // Reduced modulo p, as dalek does (the non-canonical encodings of small-order points are
    // in the table above; the others decode like their canonical twins).
    let y_value = uint(&y_be);
    let Some(p_nz) = NonZero::new(field.p.clone()).into_option() else { return false };
    let reduced = y_value.rem(&p_nz);
    let (Some(y), Some(d), Some(one)) =
        (field.element(&reduced.to_be_bytes()), field.element(&hex(ED25519_D)), field.small(1))
    else {
        return false;
    };
    let yy = y.square();
    let u = yy.sub(&one);
    let v = d.mul(&yy).add(&one);
    // v is never zero (-1/d is not a square); u/v is a square iff (u v^-1)^((p-1)/2) is 0 or 1.
    let (Some(v_inv), Some(euler)) = (v.invert_vartime().into_option(), field.exponent(0, 1, 1)) else {
        return false;
    };
    let ratio = u.mul(&v_inv);
    bool::from(ratio.is_zero()) || field.is_one(&ratio.pow(&euler))
}

#[cfg(all(test, not(feature = "wasm-asym")))]
mod slim_tests;
#[cfg(test)]
mod tests;
