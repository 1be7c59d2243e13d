//! ES256/384/512 verification with fixed P-256, P-384 and P-521 public keys (kids "p256",
//! "p384", "p521"): raw r||s of every length and value, DER, zero, out of range, wrong curve.
#![no_main]

use jwtward_fuzz::ec_verifiers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ec_verifiers().verify_bytes(data));
