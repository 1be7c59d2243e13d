//! RS256..PS512 verification with a fixed 2048-bit public key (kid "rsa"): signatures of every
//! length and value, headers of every shape; nothing but a real signature may verify.
#![no_main]

use jwtward_fuzz::rsa_verifiers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rsa_verifiers().verify_bytes(data));
