//! HS256/384/512 verification. Input with a 0xFF byte is `header JSON 0xFF payload JSON`,
//! encoded and signed here so the fuzzer works on JSON and reaches the header and claim checks
//! behind a valid MAC; any other input is taken as a token, MAC and all.
#![no_main]

use jwtward::base64url;
use jwtward_fuzz::{hmac_alg_of, hmac_key, hmac_verifiers, sign};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match data.iter().position(|&b| b == 0xff) {
        Some(i) => {
            let (header, payload) = (&data[..i], &data[i + 1..]);
            let input = format!("{}.{}", base64url::encode(header), base64url::encode(payload));
            hmac_verifiers().verify(&sign(hmac_key(), hmac_alg_of(header), &input));
        }
        None => hmac_verifiers().verify_bytes(data),
    }
});
