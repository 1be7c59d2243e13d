//! A fixed verification workload for profiling the core natively (instruction counts are
//! repeatable under valgrind whatever else the machine runs):
//! `valgrind --tool=callgrind target/release/examples/verify_loop HS256 20000 [nosig]`.
//! The token has the claims of bench/fixtures.mjs, and the verifier checks iss and aud. With
//! `nosig`, the signature step answers "valid" at once, as a host backend would, leaving only the
//! JWT work that the core does around a host-checked signature.

use jwtward::crypto::{KeyId, KeyMaterial, SignatureBackend};
use jwtward::{Alg, ClaimOptions, Key, KeySet, Signer, SignerOptions, Verifier, VerifyOptions};
use std::error::Error;

/// A backend that takes every signature as valid: for measuring everything but the signature.
struct NoSignature;

impl SignatureBackend for NoSignature {
    fn verify(&self, _: &KeyMaterial, _: KeyId, _: Alg, _: &[u8], _: &[u8]) -> jwtward::Result<()> {
        Ok(())
    }
    fn sign(&self, _: &KeyMaterial, _: Alg, _: &[u8]) -> jwtward::Result<Vec<u8>> {
        Ok(Vec::new())
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let alg = Alg::parse(&args.next().unwrap_or_else(|| "HS256".into()))?;
    let iterations: u64 = args.next().unwrap_or_else(|| "10000".into()).parse()?;
    let backend: &dyn SignatureBackend =
        if args.next().as_deref() == Some("nosig") { &NoSignature } else { jwtward::crypto::backend() };
    let (private, public) = match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => {
            let k = Key::from_secret(&[7u8; 64], None, None)?;
            (k.clone(), k)
        }
        _ => Key::generate(alg, None)?,
    };
    let now = 1_763_900_000.0;
    let mut so = SignerOptions::new(alg);
    so.issuer = Some("https://issuer.example".into());
    so.audience = Some(jwtward::claims::OneOrMany::One("api".into()));
    let mut claims = serde_json::Map::new();
    claims.insert("sub".into(), "user-1234567890".into());
    claims.insert("scope".into(), "orders:read orders:write".into());
    let token = Signer::new(private, so)?.sign(&claims, now)?;
    let mut vo = VerifyOptions::new(vec![alg]);
    vo.claims = ClaimOptions::from_json(r#"{"issuer":"https://issuer.example","audience":"api"}"#)?;
    let verifier = Verifier::new(KeySet::new(vec![public]), vo)?;
    let mut total = 0usize;
    for _ in 0..iterations {
        total += verifier.verify_with(&token, now + 1.0, backend)?.payload_json.len();
    }
    println!("{alg}: {iterations} verifications, {total} claims seen");
    Ok(())
}
