//! ES256/384/512 verification with fixed P-256, P-384 and P-521 public keys (kids "p256",
//! "p384", "p521"): raw r||s of every length and value, DER, zero, out of range, wrong curve.
#![no_main]

use jwtward::Alg;
use jwtward_fuzz::{ec, Verifiers};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn verifiers() -> &'static Verifiers {
    static V: OnceLock<Verifiers> = OnceLock::new();
    V.get_or_init(|| {
        let keys = ec().iter().map(|(_, public)| public.clone()).collect();
        Verifiers::new(keys, &[Alg::ES256, Alg::ES384, Alg::ES512])
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = std::str::from_utf8(data) {
        verifiers().verify(token);
    }
});
