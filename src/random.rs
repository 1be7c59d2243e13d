//! Randomness. Every random byte of the crate comes from the operating system (or, on wasm32,
//! the host's `crypto.getRandomValues`) through `getrandom`, so there is one source to audit.
//! Key generation in the `rsa` crate wants an infallible `CryptoRng`; rather than an adapter that
//! panics when the system source fails, [`seeded_rng`] is ChaCha20 (the `chacha20` crate) seeded
//! once from `getrandom`, so a failure is reported as an error before any key is made.

use crate::error::{Error, ErrorCode, Result};
#[cfg(feature = "wasm-asym")]
use chacha20::ChaCha20Rng;
#[cfg(feature = "wasm-asym")]
use getrandom::rand_core::SeedableRng;
#[cfg(feature = "wasm-asym")]
use zeroize::Zeroizing;

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

#[cfg(feature = "wasm-asym")]
/// The system source as a fallible `rand_core` RNG, for APIs that accept `TryCryptoRng`
/// (signing with RSA blinding and PSS salts, EC key generation). Errors propagate.
pub(crate) fn system_rng() -> getrandom::SysRng {
    getrandom::SysRng
}

/// A ChaCha20 generator seeded once with 256 bits from the system source: an infallible
/// `CryptoRng` for the APIs (RSA key generation) that cannot take a fallible one. If the system
/// source fails, this returns an error before any key is made; the generator's state is wiped
/// on drop.
#[cfg(feature = "wasm-asym")]
pub(crate) fn seeded_rng() -> Result<ChaCha20Rng> {
    let mut seed = Zeroizing::new([0u8; 32]);
    fill(seed.as_mut())?;
    Ok(ChaCha20Rng::from_seed(*seed))
}

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

    #[cfg(feature = "wasm-asym")]
    #[test]
    fn seeded_rngs_are_independent() {
        use getrandom::rand_core::Rng;
        let (mut a, mut b) = (seeded_rng().unwrap(), seeded_rng().unwrap());
        let (x, y) = ((a.next_u64(), a.next_u64()), (b.next_u64(), b.next_u64()));
        assert_ne!(x.0, x.1);
        assert_ne!(x, y);
    }
}
