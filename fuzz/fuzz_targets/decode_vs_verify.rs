//! Differential: `decode` and `verify` must read a token identically. The input's first two
//! segments are kept as they are (valid or not) and signed here with the HMAC key, so verify
//! gets past the signature; whatever verify accepts, decode must decode to the same header,
//! payload and JSON text (checked in `check_verified`), and decode_header must agree. The two
//! JSON parsers behind them (a map for decode, a borrowed view for verify) are also compared
//! directly on both segments, whatever else happens to the token.
#![no_main]

use jwtward::Alg;
use jwtward_fuzz::{check_error, check_json_parsers, check_verified, hmac_alg_of, hmac_key, sign, NOW};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn verifier() -> &'static jwtward::Verifier {
    static V: OnceLock<jwtward::Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let options = jwtward::VerifyOptions::new(vec![Alg::HS256, Alg::HS384, Alg::HS512]);
        jwtward::Verifier::new(jwtward::KeySet::new(vec![hmac_key().clone()]), options).expect("fixture verifier")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let input = text.rsplit_once('.').map_or(text, |(input, _)| input);
    for segment in input.split('.').take(2) {
        if let Some(json) = jwtward::base64url::decode(segment).and_then(|b| String::from_utf8(b).ok()) {
            check_json_parsers(&json);
        }
    }
    let header = jwtward::decode_header(&format!("{input}.")).map(|(_, json)| json).unwrap_or_default();
    let token = sign(hmac_key(), hmac_alg_of(header.as_bytes()), input);
    let verified = verifier().verify(&token, NOW);
    let accepted = verified.is_ok();
    check_verified(&token, verified);
    match jwtward::decode(&token) {
        Ok(d) => {
            let (h, json) = jwtward::decode_header(&token).expect("decode accepted it, decode_header must");
            assert_eq!((h, json), (d.header, d.header_json));
        }
        Err(e) => {
            assert!(!accepted, "verify accepted what decode refuses: {e}");
            check_error(&e);
        }
    }
});
