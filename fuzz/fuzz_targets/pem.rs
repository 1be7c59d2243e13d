//! PEM parsing. The first byte picks a label and the rest is the DER inside it (so the fuzzer
//! works on the DER structures); a first byte past the labels takes the rest as PEM text.
#![no_main]

use jwtward::Key;
use jwtward_fuzz::{check_key, check_key_error, pem};
use libfuzzer_sys::fuzz_target;

const LABELS: [&str; 7] = [
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "CERTIFICATE",
    "ENCRYPTED PRIVATE KEY",
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let text = match LABELS.get(usize::from(mode)) {
        Some(label) => pem(label, rest),
        None => match std::str::from_utf8(rest) {
            Ok(text) => text.to_owned(),
            Err(_) => return,
        },
    };
    match Key::from_pem(&text, None, None) {
        Ok(key) => check_key(&key),
        Err(e) => check_key_error(&e),
    }
});
