//! EdDSA (Ed25519) verification with a fixed public key (kid "ed"): non-canonical S,
//! small-order R, every length.
#![no_main]

use jwtward::Alg;
use jwtward_fuzz::{ed25519, Verifiers};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn verifiers() -> &'static Verifiers {
    static V: OnceLock<Verifiers> = OnceLock::new();
    V.get_or_init(|| Verifiers::new(vec![ed25519().1.clone()], &[Alg::EdDSA]))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = std::str::from_utf8(data) {
        verifiers().verify(token);
    }
});
