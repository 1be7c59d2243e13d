//! Just enough unsigned big-integer arithmetic for the core's load-time key checks
//! ([`super::checks`]): add, subtract, multiply, divide with remainder, modular power and
//! inverse, on little-endian 32-bit limbs. Small and plain (schoolbook multiplication,
//! shift-and-subtract division), because it runs once per key load and must not weigh on the
//! slim module (crypto-bigint's constant-time generics cost it some 140 KB). Its timing depends
//! on the values: it sees RSA d, p and q once, when a key is loaded, never per request.

use std::cmp::Ordering;

/// A non-negative integer; limbs little-endian, without high zero limbs (zero is empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Big(Vec<u32>);

impl Big {
    fn norm(mut limbs: Vec<u32>) -> Big {
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
        Big(limbs)
    }

    pub fn zero() -> Big {
        Big(Vec::new())
    }

    pub fn small(v: u32) -> Big {
        Big::norm(vec![v])
    }

    /// From big-endian bytes (leading zeros allowed).
    pub fn from_be(bytes: &[u8]) -> Big {
        let limbs =
            bytes.rchunks(4).map(|chunk| chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b))).collect();
        Big::norm(limbs)
    }

    /// Big-endian bytes without leading zeros.
    pub fn to_be(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.0.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
        let start = out.iter().position(|&b| b != 0).unwrap_or(out.len());
        out.drain(..start);
        out
    }

    /// Big-endian bytes, left-padded to exactly `len` (`None` if the value needs more).
    pub fn to_be_len(&self, len: usize) -> Option<Vec<u8>> {
        let min = self.to_be();
        let pad = len.checked_sub(min.len())?;
        let mut out = vec![0u8; pad];
        out.extend_from_slice(&min);
        Some(out)
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    pub fn is_one(&self) -> bool {
        self.0 == [1]
    }

    pub fn is_odd(&self) -> bool {
        self.0.first().is_some_and(|l| l & 1 == 1)
    }

    pub fn bits(&self) -> usize {
        match self.0.last() {
            Some(&top) => {
                self.0.len().saturating_sub(1).saturating_mul(32).saturating_add(32 - top.leading_zeros() as usize)
            }
            None => 0,
        }
    }

    fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|l| (l >> (i % 32)) & 1 == 1)
    }

    pub fn add(&self, other: &Big) -> Big {
        let len = self.0.len().max(other.0.len());
        let mut out = Vec::with_capacity(len.saturating_add(1));
        let mut carry = 0u64;
        for i in 0..len {
            let sum = u64::from(self.0.get(i).copied().unwrap_or(0))
                + u64::from(other.0.get(i).copied().unwrap_or(0))
                + carry;
            out.push(sum as u32);
            carry = sum >> 32;
        }
        out.push(carry as u32);
        Big::norm(out)
    }

    /// `self - other`, `None` if that would be negative.
    pub fn sub(&self, other: &Big) -> Option<Big> {
        if *self < *other {
            return None;
        }
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for (i, &a) in self.0.iter().enumerate() {
            let diff = i64::from(a) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(diff < 0);
            out.push(diff.rem_euclid(1 << 32) as u32);
        }
        Some(Big::norm(out))
    }

    pub fn mul(&self, other: &Big) -> Big {
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let Some(slot) = out.get_mut(i + j) else { continue };
                let t = u64::from(a) * u64::from(b) + u64::from(*slot) + carry;
                *slot = t as u32;
                carry = t >> 32;
            }
            if let Some(slot) = out.get_mut(i + other.0.len()) {
                *slot = carry as u32;
            }
        }
        Big::norm(out)
    }

    /// `self << n`.
    pub fn shl_public(&self, n: usize) -> Big {
        self.shl(n)
    }

    fn shl(&self, n: usize) -> Big {
        let (words, bits) = (n / 32, (n % 32) as u32);
        let mut out = vec![0u32; words];
        let mut carry = 0u32;
        for &l in &self.0 {
            if bits == 0 {
                out.push(l);
            } else {
                out.push((l << bits) | carry);
                carry = l >> (32 - bits);
            }
        }
        out.push(carry);
        Big::norm(out)
    }

    fn set_bit(&mut self, i: usize) {
        let word = i / 32;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        if let Some(l) = self.0.get_mut(word) {
            *l |= 1 << (i % 32);
        }
    }

    /// Quotient and remainder; `None` for a zero divisor.
    pub fn div_rem(&self, m: &Big) -> Option<(Big, Big)> {
        if m.is_zero() {
            return None;
        }
        let mut quotient = Big::zero();
        let mut rest = self.clone();
        if rest < *m {
            return Some((quotient, rest));
        }
        for i in (0..=rest.bits() - m.bits()).rev() {
            let shifted = m.shl(i);
            if let Some(smaller) = rest.sub(&shifted) {
                rest = smaller;
                quotient.set_bit(i);
            }
        }
        Some((quotient, rest))
    }

    pub fn rem(&self, m: &Big) -> Option<Big> {
        self.div_rem(m).map(|(_, r)| r)
    }

    /// `self^e mod m` (m > 1), plainly: the reference for [`Monty::pow`] in the tests.
    #[cfg(test)]
    pub fn pow_mod(&self, e: &Big, m: &Big) -> Option<Big> {
        let base = self.rem(m)?;
        let mut acc = Big::small(1);
        for i in (0..e.bits()).rev() {
            acc = acc.mul(&acc).rem(m)?;
            if e.bit(i) {
                acc = acc.mul(&base).rem(m)?;
            }
        }
        acc.rem(m)
    }

    /// The inverse of `self` modulo `m` (extended Euclid), `None` if there is none.
    pub fn inv_mod(&self, m: &Big) -> Option<Big> {
        let (mut r0, mut r1) = (m.clone(), self.rem(m)?);
        let (mut t0, mut t1) = (Big::zero(), Big::small(1));
        while !r1.is_zero() {
            let (q, r2) = r0.div_rem(&r1)?;
            let qt = q.mul(&t1).rem(m)?;
            let t2 = match t0.sub(&qt) {
                Some(t) => t,
                None => t0.add(m).sub(&qt)?,
            };
            (r0, r1, t0, t1) = (r1, r2, t1, t2);
        }
        r0.is_one().then_some(t0)
    }
}

/// Arithmetic modulo an odd m in Montgomery form (R = 2^(32 n), n limbs), for the modular
/// powers of the key checks: each product is one pass over the limbs instead of a division.
pub struct Monty {
    m: Vec<u32>,
    /// -m^-1 mod 2^32.
    m_inv: u32,
    /// R^2 mod m, to enter the form.
    r2: Vec<u32>,
}

/// An element of a [`Monty`] field, in Montgomery form, n limbs, below m.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MontyElem(Vec<u32>);

impl Monty {
    /// `None` unless m is odd and above 1.
    pub fn new(m: &Big) -> Option<Monty> {
        if !m.is_odd() || m.is_one() {
            return None;
        }
        let n = m.0.len();
        let m0 = *m.0.first()?;
        // Newton's iteration doubles the correct low bits of m0^-1 each step: 1, 2, 4, ... 32.
        let mut inv = 1u32;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(m0.wrapping_mul(inv)));
        }
        let mut limbs = m.0.clone();
        limbs.resize(n, 0);
        let r2 = r_squared(&limbs, m.bits());
        Some(Monty { m: limbs, m_inv: inv.wrapping_neg(), r2 })
    }

    fn n(&self) -> usize {
        self.m.len()
    }

    /// a * b / R mod m (CIOS), for a, b below m. t holds n limbs plus two more (`top`, `over`).
    fn mont_mul(&self, a: &[u32], b: &[u32]) -> Vec<u32> {
        let n = self.n();
        let mut t = vec![0u32; n];
        let mut top = 0u32;
        let m0 = self.m.first().copied().unwrap_or(1);
        for &bi in b.iter().take(n) {
            let mut carry = 0u64;
            for (tj, &aj) in t.iter_mut().zip(a) {
                let s = u64::from(*tj) + u64::from(aj) * u64::from(bi) + carry;
                *tj = s as u32;
                carry = s >> 32;
            }
            let s = u64::from(top) + carry;
            top = s as u32;
            let over = (s >> 32) as u32;
            // Add q*m, which makes the low limb zero, and shift down one limb.
            let t0 = t.first().copied().unwrap_or(0);
            let q = t0.wrapping_mul(self.m_inv);
            let mut carry = (u64::from(t0) + u64::from(q) * u64::from(m0)) >> 32;
            for j in 1..n {
                let s = u64::from(t.get(j).copied().unwrap_or(0))
                    + u64::from(q) * u64::from(self.m.get(j).copied().unwrap_or(0))
                    + carry;
                if let Some(slot) = t.get_mut(j - 1) {
                    *slot = s as u32;
                }
                carry = s >> 32;
            }
            let s = u64::from(top) + carry;
            if let Some(slot) = t.get_mut(n - 1) {
                *slot = s as u32;
            }
            top = over.wrapping_add((s >> 32) as u32);
        }
        t.push(top);
        // t < 2m: subtract m once if t >= m.
        let value = Big::norm(t);
        let m = Big::norm(self.m.clone());
        pad(&value.sub(&m).unwrap_or(value), n)
    }

    /// x (below m) into the form.
    pub fn enter(&self, x: &Big) -> Option<MontyElem> {
        (*x < Big::norm(self.m.clone())).then(|| MontyElem(self.mont_mul(&pad(x, self.n()), &self.r2)))
    }

    /// The value of an element.
    pub fn leave(&self, x: &MontyElem) -> Big {
        Big::norm(self.mont_mul(&x.0, &pad(&Big::small(1), self.n())))
    }

    pub fn mul(&self, a: &MontyElem, b: &MontyElem) -> MontyElem {
        MontyElem(self.mont_mul(&a.0, &b.0))
    }

    pub fn add(&self, a: &MontyElem, b: &MontyElem) -> MontyElem {
        let m = Big::norm(self.m.clone());
        let sum = Big::norm(a.0.clone()).add(&Big::norm(b.0.clone()));
        MontyElem(pad(&sum.sub(&m).unwrap_or(sum), self.n()))
    }

    pub fn sub(&self, a: &MontyElem, b: &MontyElem) -> MontyElem {
        let (a, b) = (Big::norm(a.0.clone()), Big::norm(b.0.clone()));
        let diff = match a.sub(&b) {
            Some(d) => d,
            None => a.add(&Big::norm(self.m.clone())).sub(&b).unwrap_or_default(),
        };
        MontyElem(pad(&diff, self.n()))
    }

    pub fn is_zero(&self, a: &MontyElem) -> bool {
        a.0.iter().all(|&l| l == 0)
    }

    pub fn pow(&self, a: &MontyElem, e: &Big) -> Option<MontyElem> {
        let mut acc = self.enter(&Big::small(1))?;
        for i in (0..e.bits()).rev() {
            acc = self.mul(&acc, &acc);
            if e.bit(i) {
                acc = self.mul(&acc, a);
            }
        }
        Some(acc)
    }
}

/// R^2 mod m for R = 2^(32 n), m odd with n limbs (the top one non-zero) and `bits` bits: the
/// highest power of two below m, doubled up to 2^(64 n), each doubling reduced by at most one
/// subtraction, in place. It replaces a shift-and-subtract division that allocated twice per bit
/// and was most of a P-256 key check (run in V8's baseline code on a cold start).
fn r_squared(m: &[u32], bits: usize) -> Vec<u32> {
    let n = m.len();
    let mut r = vec![0u32; n];
    let top = bits.saturating_sub(1);
    if let Some(limb) = r.get_mut(top / 32) {
        *limb = 1 << (top % 32);
    }
    for _ in top..64 * n {
        // r < m, so 2r < 2m: the carry out of the top limb, if any, is taken by the subtraction.
        let mut carry = 0u32;
        for limb in r.iter_mut() {
            let v = *limb;
            *limb = (v << 1) | carry;
            carry = v >> 31;
        }
        if carry != 0 || !limbs_below(&r, m) {
            let mut borrow = 0u64;
            for (a, &b) in r.iter_mut().zip(m) {
                let d = u64::from(*a).wrapping_sub(u64::from(b)).wrapping_sub(borrow);
                *a = d as u32;
                borrow = d >> 63;
            }
        }
    }
    r
}

/// a < b, for limb vectors of the same length.
fn limbs_below(a: &[u32], b: &[u32]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// The limbs of x, zero-padded to n.
fn pad(x: &Big, n: usize) -> Vec<u32> {
    let mut limbs = x.0.clone();
    limbs.resize(n.max(limbs.len()), 0);
    limbs
}

impl Ord for Big {
    fn cmp(&self, other: &Big) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Big) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: u128) -> Big {
        Big::from_be(&v.to_be_bytes())
    }

    #[test]
    fn r_squared_is_the_division_it_replaces() {
        let moduli = [
            n(3),
            n(0xffff_fffb),
            n(0x1_0000_0001),
            n(u128::MAX - 158),
            // P-256, P-384 and P-521 (whose top limb is mostly empty), and an RSA-sized odd number.
            Big::from_be(&[0xff; 32]).sub(&n(0x1_0000_0000_0000_0000)).unwrap_or_default(),
            Big::from_be(&[0xff; 48]),
            Big::from_be(&[[0x01].as_slice(), &[0xff; 65]].concat()),
            Big::from_be(&[[0xc3].as_slice(), &[0x5a; 254], &[0x01]].concat()),
        ];
        for m in moduli {
            assert!(m.is_odd(), "{m:?}");
            let limbs = m.0.len();
            let expected = pad(&Big::small(1).shl(64 * limbs).rem(&m).unwrap(), limbs);
            assert_eq!(r_squared(&pad(&m, limbs), m.bits()), expected, "{m:?}");
        }
    }

    #[test]
    fn matches_u128_arithmetic() {
        let values = [
            0u128,
            1,
            2,
            3,
            0xffff_ffff,
            0x1_0000_0000,
            0xdead_beef_1234_5678,
            u64::MAX as u128,
            1 << 70,
            (1 << 100) + 12345,
        ];
        for &a in &values {
            assert_eq!(n(a).to_be(), n(a).to_be_len(16).map(|v| Big::from_be(&v).to_be()).unwrap());
            for &b in &values {
                if a.checked_add(b).is_some() {
                    assert_eq!(n(a).add(&n(b)), n(a + b));
                }
                assert_eq!(n(a).sub(&n(b)), a.checked_sub(b).map(n));
                if let Some(p) = a.checked_mul(b) {
                    assert_eq!(n(a).mul(&n(b)), n(p));
                }
                if b != 0 {
                    assert_eq!(n(a).div_rem(&n(b)), Some((n(a / b), n(a % b))));
                }
                assert_eq!(n(a).cmp(&n(b)), a.cmp(&b));
            }
        }
        assert_eq!(
            n(3).pow_mod(&n(200), &n(1_000_000_007)),
            Some(n(3u128.pow(10) % 1_000_000_007).pow_mod(&n(20), &n(1_000_000_007)).unwrap())
        );
        // Montgomery products and powers agree with the plain ones, across limb counts.
        for m in [n(1_000_000_007), n((1 << 89) - 1), n((1 << 127) - 1)] {
            let monty = Monty::new(&m).unwrap();
            for (a, b) in
                [(n(2), n(3)), (n(123_456_789_123), n(987_654_321)), (m.sub(&n(1)).unwrap(), m.sub(&n(2)).unwrap())]
            {
                let (a, b) = (a.rem(&m).unwrap(), b.rem(&m).unwrap());
                let (ma, mb) = (monty.enter(&a).unwrap(), monty.enter(&b).unwrap());
                assert_eq!(monty.leave(&monty.mul(&ma, &mb)), a.mul(&b).rem(&m).unwrap());
                assert_eq!(monty.leave(&monty.pow(&ma, &b).unwrap()), a.pow_mod(&b, &m).unwrap());
            }
        }
        assert!(Monty::new(&n(10)).is_none());
        let inv = n(12345).inv_mod(&n(1_000_000_007)).unwrap();
        assert!(n(12345).mul(&inv).rem(&n(1_000_000_007)).unwrap().is_one());
        assert_eq!(n(6).inv_mod(&n(9)), None);
    }
}
