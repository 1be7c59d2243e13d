//! RS256..PS512 verification with a fixed 2048-bit public key (kid "rsa"): signatures of every
//! length and value, headers of every shape; nothing but a real signature may verify.
#![no_main]

use jwtward::Alg;
use jwtward_fuzz::{rsa, Verifiers};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn verifiers() -> &'static Verifiers {
    static V: OnceLock<Verifiers> = OnceLock::new();
    V.get_or_init(|| {
        let algs = [Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256, Alg::PS384, Alg::PS512];
        Verifiers::new(vec![rsa().1.clone()], &algs)
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = std::str::from_utf8(data) {
        verifiers().verify(token);
    }
});
