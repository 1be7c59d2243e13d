//! Randomness. Every random byte of the crate comes from the operating system (or, on wasm32,
//! the host's `crypto.getRandomValues`) through `getrandom`, so there is one source to audit.
//! Key generation in the `rsa` crate wants an infallible `CryptoRng`; rather than an adapter that
//! panics when the system source fails, [`SeededRng`] is an HMAC-DRBG (NIST SP 800-90A, SHA-512)
//! seeded once from `getrandom`, so a failure is reported as an error before any key is made.

use crate::error::{Error, ErrorCode, Result};
use getrandom::rand_core::{Infallible, TryCryptoRng, TryRng};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha512;
use zeroize::{Zeroize, Zeroizing};

/// Fills `buf` with cryptographically secure random bytes from the system source.
pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf)
        .map_err(|e| Error::new(ErrorCode::NotSupported, format!("the system random number generator failed: {e}")))
}

/// Returns `n` cryptographically secure random bytes from the system source.
pub fn random_bytes(n: usize) -> Result<Vec<u8>> {
    let mut out = vec![0u8; n];
    fill(&mut out)?;
    Ok(out)
}

/// The system source as a fallible `rand_core` RNG, for APIs that accept `TryCryptoRng`
/// (signing with RSA blinding and PSS salts, EC key generation). Errors propagate.
pub(crate) fn system_rng() -> getrandom::SysRng {
    getrandom::SysRng
}

const SEED_LEN: usize = 64;
const OUT_LEN: usize = 64;
const BLOCK_LEN: usize = 128;

/// HMAC-DRBG with SHA-512, seeded from the system source: an infallible `CryptoRng` for the
/// few APIs (RSA key generation) that cannot take a fallible one. Its state is wiped on drop.
pub(crate) struct SeededRng {
    k: Zeroizing<[u8; OUT_LEN]>,
    v: Zeroizing<[u8; OUT_LEN]>,
}

impl SeededRng {
    /// Seeds a new generator with 512 bits from the system source.
    pub(crate) fn new() -> Result<Self> {
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        fill(seed.as_mut())?;
        let mut rng = SeededRng { k: Zeroizing::new([0u8; OUT_LEN]), v: Zeroizing::new([1u8; OUT_LEN]) };
        rng.update(seed.as_ref());
        Ok(rng)
    }

    fn mac(&self) -> Hmac<Sha512> {
        // HMAC pads a short key with zeros to the block size, so passing K zero-padded to
        // 128 bytes is the same HMAC key and avoids the fallible `new_from_slice`.
        let mut key = Zeroizing::new([0u8; BLOCK_LEN]);
        for (dst, src) in key.iter_mut().zip(self.k.iter()) {
            *dst = *src;
        }
        let array = hmac::digest::Key::<Hmac<Sha512>>::from(*key);
        let mac = <Hmac<Sha512> as KeyInit>::new(&array);
        let mut array = array;
        array.zeroize();
        mac
    }

    fn hmac_into(&self, parts: &[&[u8]], out: &mut [u8; OUT_LEN]) {
        let mut mac = self.mac();
        for p in parts {
            mac.update(p);
        }
        let tag = mac.finalize().into_bytes();
        for (dst, src) in out.iter_mut().zip(tag.iter()) {
            *dst = *src;
        }
    }

    fn update(&mut self, data: &[u8]) {
        let mut k = [0u8; OUT_LEN];
        let mut v = [0u8; OUT_LEN];
        self.hmac_into(&[self.v.as_ref(), &[0u8], data], &mut k);
        *self.k = k;
        self.hmac_into(&[self.v.as_ref()], &mut v);
        *self.v = v;
        if !data.is_empty() {
            self.hmac_into(&[self.v.as_ref(), &[1u8], data], &mut k);
            *self.k = k;
            self.hmac_into(&[self.v.as_ref()], &mut v);
            *self.v = v;
        }
        k.zeroize();
        v.zeroize();
    }

    fn generate(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(OUT_LEN) {
            let mut v = [0u8; OUT_LEN];
            self.hmac_into(&[self.v.as_ref()], &mut v);
            *self.v = v;
            for (d, s) in chunk.iter_mut().zip(v.iter()) {
                *d = *s;
            }
            v.zeroize();
        }
        self.update(&[]);
    }
}

impl TryRng for SeededRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> std::result::Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.generate(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> std::result::Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.generate(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> std::result::Result<(), Infallible> {
        self.generate(dst);
        Ok(())
    }
}

impl TryCryptoRng for SeededRng {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_are_random() {
        let a = random_bytes(32).unwrap();
        let b = random_bytes(32).unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(random_bytes(0).unwrap().is_empty());
    }

    #[test]
    fn seeded_rng_produces_distinct_output() {
        let mut rng = SeededRng::new().unwrap();
        let mut a = [0u8; 100];
        let mut b = [0u8; 100];
        rng.try_fill_bytes(&mut a).unwrap();
        rng.try_fill_bytes(&mut b).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 100]);
        let mut other = SeededRng::new().unwrap();
        let mut c = [0u8; 100];
        other.try_fill_bytes(&mut c).unwrap();
        assert_ne!(a, c);
    }
}
