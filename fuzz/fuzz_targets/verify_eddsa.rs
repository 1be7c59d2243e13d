//! EdDSA (Ed25519) verification with a fixed public key (kid "ed"): non-canonical S,
//! small-order R, every length.
#![no_main]

use jwtward_fuzz::eddsa_verifiers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| eddsa_verifiers().verify_bytes(data));
