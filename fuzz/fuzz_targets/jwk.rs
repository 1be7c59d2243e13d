//! JWK parsing: any text either fails with a key error or loads a key that holds the key
//! invariants (its own algorithms only, a public JWK that round-trips, signing works).
#![no_main]

use jwtward::Key;
use jwtward_fuzz::{check_key, check_key_error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Key::from_jwk_json(text) {
        Ok(key) => check_key(&key),
        Err(e) => check_key_error(&e),
    }
});
