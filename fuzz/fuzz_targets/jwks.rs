//! JWKS parsing and key selection: a loaded set holds at most MAX_JWKS_KEYS keys, each a
//! valid key; selection returns only a key that fits the algorithm (and kid), or exactly the
//! no-match / several-match errors; the public JWKS loads back with nothing skipped.
#![no_main]

use jwtward::keys::MAX_JWKS_KEYS;
use jwtward::{Alg, ErrorCode, KeySet};
use jwtward_fuzz::{check_error, check_key, check_key_error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let set = match KeySet::from_jwks_json(text) {
        Ok(set) => set,
        Err(e) => return check_key_error(&e),
    };
    assert!(set.len() + set.skipped() <= MAX_JWKS_KEYS);
    set.keys().iter().for_each(check_key);
    let kids: Vec<Option<&str>> = std::iter::once(None).chain(set.keys().iter().map(|k| k.kid())).collect();
    for alg in Alg::ALL {
        for kid in &kids {
            match set.select(alg, *kid) {
                Ok(key) => {
                    assert!(key.fits(alg));
                    assert!(kid.is_none() || key.kid() == *kid);
                }
                Err(e) => {
                    check_error(&e);
                    assert!(matches!(e.code(), ErrorCode::JwksNoMatchingKey | ErrorCode::JwksMultipleMatchingKeys));
                }
            }
        }
    }
    let public = set.to_jwks().expect("a loaded set exports");
    let back = KeySet::from_jwks(&public).expect("its public JWKS loads");
    assert_eq!(back.skipped(), 0, "a public JWKS we wrote has members we cannot read");
    assert_eq!(back.len(), set.keys().iter().filter(|k| k.kty() != "oct").count());
});
