//! RS256/384/512 (RSASSA-PKCS1-v1_5) and PS256/384/512 (RSASSA-PSS with MGF1 over the same
//! hash and a salt exactly the hash length, RFC 7518 3.5). The signature must be exactly the
//! modulus length; shorter or longer encodings are rejected before any arithmetic.
//!
//! Verification does the public-key operation itself ([`rsavp1`]), then checks the encoding:
//! for PKCS#1 v1.5 by comparing with the one encoding RFC 8017 9.2 defines (so a DigestInfo
//! without its NULL, or any other variant, is refused), for PSS by EMSA-PSS-VERIFY (RFC 8017
//! 9.1.2) with the salt length fixed to the hash length. Signing goes through the `rsa` crate.

use crate::alg::{Alg, Family, Hash};
use crate::crypto::{verdict, verification_failed};
use crate::error::{not_supported, Error, ErrorCode, Result};
use crate::random::system_rng;
use crypto_bigint::modular::BoxedMontyForm;
use rsa::traits::{PublicKeyParts, SignatureScheme};
use rsa::{BoxedUint, Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The DER DigestInfo prefix of each hash (RFC 8017 9.2, note 1), with the NULL parameters.
const DIGEST_INFO_SHA256: [u8; 19] =
    [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
const DIGEST_INFO_SHA384: [u8; 19] =
    [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30];
const DIGEST_INFO_SHA512: [u8; 19] =
    [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40];

fn digest_info(hash: Hash) -> &'static [u8] {
    match hash {
        Hash::Sha256 => &DIGEST_INFO_SHA256,
        Hash::Sha384 => &DIGEST_INFO_SHA384,
        Hash::Sha512 => &DIGEST_INFO_SHA512,
    }
}

/// The public exponent as a number (the key loaders cap it well below 64 bits).
fn exponent(e: &BoxedUint) -> Option<u64> {
    let bytes = e.to_be_bytes();
    let start = bytes.iter().position(|&b| b != 0)?;
    let significant = bytes.get(start..)?;
    if significant.len() > 8 {
        return None;
    }
    Some(significant.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// The modulus length in bytes (k). The key is public, so its bit length is read in variable
/// time: `RsaPublicKey::size()` counts bits in constant time, 2% of a whole verification.
pub(crate) fn modulus_len(key: &RsaPublicKey) -> usize {
    usize::try_from(key.n().bits_vartime()).map_or(usize::MAX, |bits| bits.div_ceil(8))
}

/// RSAVP1 (RFC 8017 5.2.2): `sig^e mod n` as a k-byte string, or `None` when `sig` is not an
/// integer below n of exactly k bytes. Every input is public (the key and the signature), so
/// the exponentiation is plain square-and-multiply over the bits of e, in Montgomery form with
/// the key's precomputed parameters: 16 squarings and one multiplication for e = 65537, where
/// the crate's constant-time window (which only a secret exponent needs) spends about 39.
fn rsavp1(key: &RsaPublicKey, sig: &[u8]) -> Option<Vec<u8>> {
    let k = modulus_len(key);
    if sig.len() != k {
        return None;
    }
    let n = key.n();
    let s = BoxedUint::from_be_slice(sig, n.bits_precision()).ok()?;
    if s >= **n {
        return None;
    }
    let e = exponent(key.e())?;
    let base = BoxedMontyForm::new(s, key.n_params());
    let mut acc = base.clone();
    for bit in (0..63u32.checked_sub(e.leading_zeros())?).rev() {
        acc = acc.square();
        if (e >> bit) & 1 == 1 {
            acc = acc.mul(&base);
        }
    }
    let m = acc.retrieve().to_be_bytes();
    // m < n fits in k bytes; the storage may be wider, with leading zeros.
    let cut = m.len().checked_sub(k)?;
    let (high, em) = m.split_at(cut);
    high.iter().all(|&b| b == 0).then(|| em.to_vec())
}

/// EMSA-PKCS1-v1_5 (RFC 8017 9.2): whether `em` is exactly `00 01 FF..FF 00 || DigestInfo || H`.
/// Both sides are public, so a plain comparison is fine.
fn is_pkcs1_v15_encoding(em: &[u8], hash: Hash, hashed: &[u8]) -> bool {
    let prefix = digest_info(hash);
    let t_len = prefix.len() + hashed.len();
    let Some(padding) = em.len().checked_sub(t_len + 3).filter(|p| *p >= 8) else {
        return false;
    };
    let expected = [0u8, 1].iter().chain(std::iter::repeat_n(&0xff, padding)).chain(&[0u8]).chain(prefix).chain(hashed);
    em.iter().eq(expected)
}

fn digest(hash: Hash, msg: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha256 => Sha256::digest(msg).to_vec(),
        Hash::Sha384 => Sha384::digest(msg).to_vec(),
        Hash::Sha512 => Sha512::digest(msg).to_vec(),
    }
}

pub(super) fn verify(key: &RsaPublicKey, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
    if sig.len() != modulus_len(key) {
        return Err(verification_failed());
    }
    let hash = alg.hash();
    let hashed = digest(hash, msg);
    let em = rsavp1(key, sig).ok_or_else(verification_failed)?;
    let ok = match alg.family() {
        Family::RsaPkcs1 => is_pkcs1_v15_encoding(&em, hash, &hashed),
        Family::RsaPss => {
            usize::try_from(key.n().bits_vartime()).is_ok_and(|bits| is_pss_encoding(&em, bits, hash, &hashed))
        }
        _ => return Err(not_supported(format!("{alg} is not an RSA algorithm"))),
    };
    verdict(ok)
}

/// MGF1 (RFC 8017 B.2.1) with `hash`, XORed into `out`.
fn mgf1_xor(hash: Hash, seed: &[u8], out: &mut [u8]) {
    for (counter, block) in (0u32..).zip(out.chunks_mut(hash.output_len())) {
        let t = digest_parts(hash, &[seed, &counter.to_be_bytes()]);
        for (o, m) in block.iter_mut().zip(t) {
            *o ^= m;
        }
    }
}

fn digest_parts(hash: Hash, parts: &[&[u8]]) -> Vec<u8> {
    fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
        let mut d = D::new();
        for p in parts {
            d.update(p);
        }
        d.finalize().to_vec()
    }
    match hash {
        Hash::Sha256 => run::<Sha256>(parts),
        Hash::Sha384 => run::<Sha384>(parts),
        Hash::Sha512 => run::<Sha512>(parts),
    }
}

/// EMSA-PSS-VERIFY (RFC 8017 9.1.2) of the k-byte RSAVP1 output, with MGF1 over `hash` and a
/// salt of exactly the hash length (RFC 7518 3.5). Every input is public.
fn is_pss_encoding(em_k: &[u8], mod_bits: usize, hash: Hash, m_hash: &[u8]) -> bool {
    let h_len = hash.output_len();
    let s_len = h_len;
    let Some(em_bits) = mod_bits.checked_sub(1) else { return false };
    let em_len = em_bits.div_ceil(8);
    // I2OSP(m, emLen): when emLen is k - 1, the extra leading byte must be zero.
    let Some(extra) = em_k.len().checked_sub(em_len) else { return false };
    let (lead, em) = em_k.split_at(extra);
    if lead.iter().any(|&b| b != 0) || em_len < h_len + s_len + 2 {
        return false;
    }
    // Steps 4-5: EM = maskedDB || H || 0xbc.
    let Some((&0xbc, rest)) = em.split_last() else { return false };
    let (masked_db, h) = rest.split_at(em_len - h_len - 1);
    // Step 6: the bits above emBits must be zero.
    let top_mask = 0xffu8 >> (8 * em_len - em_bits);
    if masked_db.first().is_none_or(|&b| b & !top_mask != 0) {
        return false;
    }
    // Steps 7-9.
    let mut db = masked_db.to_vec();
    mgf1_xor(hash, h, &mut db);
    if let Some(first) = db.first_mut() {
        *first &= top_mask;
    }
    // Steps 10-11: DB = 00..00 || 01 || salt.
    let (padding, tail) = db.split_at(em_len - h_len - s_len - 2);
    let Some((&0x01, salt)) = tail.split_first() else { return false };
    if padding.iter().any(|&b| b != 0) {
        return false;
    }
    // Steps 12-14: H = Hash(00 x 8 || mHash || salt).
    digest_parts(hash, &[&[0u8; 8], m_hash, salt]) == h
}

pub(super) fn sign(key: &RsaPrivateKey, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
    let hashed = digest(alg.hash(), msg);
    // The system RNG blinds the private-key operation (and provides the PSS salt); if it
    // fails, signing fails rather than silently going unblinded.
    let mut rng = system_rng();
    let rng = Some(&mut rng);
    let result = match (alg.family(), alg.hash()) {
        (Family::RsaPkcs1, Hash::Sha256) => Pkcs1v15Sign::new::<Sha256>().sign(rng, key, &hashed),
        (Family::RsaPkcs1, Hash::Sha384) => Pkcs1v15Sign::new::<Sha384>().sign(rng, key, &hashed),
        (Family::RsaPkcs1, Hash::Sha512) => Pkcs1v15Sign::new::<Sha512>().sign(rng, key, &hashed),
        (Family::RsaPss, Hash::Sha256) => Pss::<Sha256>::new().sign(rng, key, &hashed),
        (Family::RsaPss, Hash::Sha384) => Pss::<Sha384>::new().sign(rng, key, &hashed),
        (Family::RsaPss, Hash::Sha512) => Pss::<Sha512>::new().sign(rng, key, &hashed),
        _ => return Err(not_supported(format!("{alg} is not an RSA algorithm"))),
    };
    let sig = result.map_err(|e| Error::new(ErrorCode::NotSupported, format!("RSA signing failed: {e}")))?;
    if sig.len() != key.size() {
        return Err(Error::new(ErrorCode::NotSupported, "RSA signing produced a signature of the wrong length"));
    }
    Ok(sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_info_prefixes_are_the_crate_s() {
        assert_eq!(&*Pkcs1v15Sign::new::<Sha256>().prefix, digest_info(Hash::Sha256));
        assert_eq!(&*Pkcs1v15Sign::new::<Sha384>().prefix, digest_info(Hash::Sha384));
        assert_eq!(&*Pkcs1v15Sign::new::<Sha512>().prefix, digest_info(Hash::Sha512));
    }
}
