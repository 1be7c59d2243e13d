//! RS256/384/512 (RSASSA-PKCS1-v1_5) and PS256/384/512 (RSASSA-PSS with MGF1 over the same
//! hash and a salt exactly the hash length, RFC 7518 3.5). The signature must be exactly the
//! modulus length; shorter or longer encodings are rejected before any arithmetic.

use crate::alg::{Alg, Family, Hash};
use crate::crypto::verification_failed;
use crate::error::{not_supported, Error, ErrorCode, Result};
use crate::random::system_rng;
use rsa::traits::{PublicKeyParts, SignatureScheme};
use rsa::{Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

fn digest(hash: Hash, msg: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha256 => Sha256::digest(msg).to_vec(),
        Hash::Sha384 => Sha384::digest(msg).to_vec(),
        Hash::Sha512 => Sha512::digest(msg).to_vec(),
    }
}

pub(super) fn verify(key: &RsaPublicKey, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
    if sig.len() != key.size() {
        return Err(verification_failed());
    }
    let hashed = digest(alg.hash(), msg);
    let result = match (alg.family(), alg.hash()) {
        (Family::RsaPkcs1, Hash::Sha256) => key.verify(Pkcs1v15Sign::new::<Sha256>(), &hashed, sig),
        (Family::RsaPkcs1, Hash::Sha384) => key.verify(Pkcs1v15Sign::new::<Sha384>(), &hashed, sig),
        (Family::RsaPkcs1, Hash::Sha512) => key.verify(Pkcs1v15Sign::new::<Sha512>(), &hashed, sig),
        // `Pss::new` fixes the salt length to the digest length and uses the same digest for MGF1.
        (Family::RsaPss, Hash::Sha256) => key.verify(Pss::<Sha256>::new(), &hashed, sig),
        (Family::RsaPss, Hash::Sha384) => key.verify(Pss::<Sha384>::new(), &hashed, sig),
        (Family::RsaPss, Hash::Sha512) => key.verify(Pss::<Sha512>::new(), &hashed, sig),
        _ => return Err(not_supported(format!("{alg} is not an RSA algorithm"))),
    };
    result.map_err(|_| verification_failed())
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
