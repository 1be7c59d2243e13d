//! The slim core (no `wasm-asym`): keys still load and are checked by the core, asymmetric
//! operations without a host fail with the message that names the way out, and private keys
//! without their public half go to the host to be derived.

use crate::crypto::hostcall::{self, Host};
use crate::crypto::{der_in, der_out, KeyId, KeyMaterial};
use crate::error::{ErrorCode, Result};
use crate::{Alg, Key};
use std::rc::Rc;
use zeroize::Zeroizing;

fn unhex(s: &str) -> Vec<u8> {
    super::hex(s)
}

/// RFC 8032 7.1, test 1.
const SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const PUBLIC: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

#[test]
fn wycheproof_public_keys_load_in_the_slim_core() {
    let mut loaded = 0;
    for der in super::test_vectors::wycheproof_spkis() {
        let key = der_in::spki(&der).unwrap_or_else(|e| panic!("{e}: {der:02x?}"));
        // The core writes the same SPKI back (RSA exponents and EC points as given).
        assert_eq!(key.spki_der().unwrap(), der);
        loaded += 1;
    }
    assert!(loaded > 50);
}

#[test]
fn asymmetric_operations_without_a_host_say_what_to_use() {
    hostcall::set_host(None);
    let key = Key::from_jwk_json(&format!(
        r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#,
        crate::base64url::encode(&unhex(PUBLIC))
    ))
    .unwrap();
    let err = key.verify(Alg::EdDSA, b"msg", &[0u8; 64]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotSupported);
    assert!(err.message().contains("verifyAsync/signAsync, or import jwtward/full"), "{}", err.message());
    let err = Key::generate(Alg::ES256, None).unwrap_err();
    assert!(err.message().contains("jwtward/full"), "{}", err.message());
    let v1 = der_out::pkcs8_ed25519(&unhex(SEED), None);
    let err = der_in::pkcs8(&v1).err().unwrap();
    assert!(err.message().contains("jwtward/full"), "{}", err.message());
}

/// A host that derives one fixed public key and signs with a fixed answer.
struct Fixed {
    public: Vec<u8>,
    signature: Vec<u8>,
}

impl Host for Fixed {
    fn sign(
        &self,
        _: KeyId,
        _: Alg,
        pkcs8: &dyn Fn() -> Result<Zeroizing<Vec<u8>>>,
        _: &[u8],
    ) -> Option<Result<Vec<u8>>> {
        Some(pkcs8().map(|_| self.signature.clone()))
    }
    fn generate(&self, _: Alg) -> Option<Result<Zeroizing<Vec<u8>>>> {
        Some(Ok(der_out::pkcs8_ed25519(&unhex(SEED), None)))
    }
    fn derive_public(&self, _: Alg, _: &[u8]) -> Option<Result<Vec<u8>>> {
        Some(Ok(der_out::spki_ed25519(&self.public)))
    }
}

#[test]
fn private_keys_get_their_public_half_from_the_host_and_must_match_it() {
    hostcall::set_host(Some(Rc::new(Fixed { public: unhex(PUBLIC), signature: vec![1; 64] })));
    let v1 = der_out::pkcs8_ed25519(&unhex(SEED), None);
    let key = der_in::pkcs8(&v1).unwrap();
    assert_eq!(key.public_parts(), KeyMaterial::ed25519_public(&unhex(PUBLIC)).unwrap().public_parts());
    // Generation goes to the host too, and its key is imported like any other.
    let (private, public) = Key::generate(Alg::EdDSA, None).unwrap();
    assert!(private.is_private() && !public.is_private());
    // Signing goes to the host; its answer is checked for length.
    assert_eq!(private.sign(Alg::EdDSA, b"msg").unwrap(), vec![1; 64]);
    hostcall::set_host(Some(Rc::new(Fixed { public: unhex(PUBLIC), signature: vec![1; 63] })));
    assert!(private.sign(Alg::EdDSA, b"msg").is_err());
    // A host whose public key does not match the given one: refused.
    let mut other = unhex(PUBLIC);
    other[0] ^= 1;
    hostcall::set_host(Some(Rc::new(Fixed { public: other, signature: vec![] })));
    let v2 = der_out::pkcs8_ed25519(&unhex(SEED), Some(&unhex(PUBLIC)));
    assert!(der_in::pkcs8(&v2).is_err());
    hostcall::set_host(None);
    // Without a host, a key that carries its public half loads (the pair is checked by the
    // host that later imports it to sign).
    assert!(der_in::pkcs8(&v2).is_ok());
}
