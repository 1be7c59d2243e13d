//! Token parsing without verification: any text either fails with a token error or decodes
//! to segments that re-encode to exactly the input (strict base64url has one encoding per
//! byte string), whose JSON text parses back to what was returned, and whose header
//! `decode_header` reads the same way. The map-free `decode_json`/`decode_header_json` (what the
//! JS `decode` runs) must give the same texts or the same error.
#![no_main]

use jwtward::base64url;
use jwtward_fuzz::check_error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else { return };
    let texts = jwtward::decode::decode_json(token).map(|(h, p, s)| (h, p, s.to_owned()));
    let header_text = jwtward::decode::decode_header_json(token);
    assert_eq!(header_text, jwtward::decode_header(token).map(|(_, json)| json));
    let decoded = match jwtward::decode(token) {
        Ok(d) => d,
        Err(e) => {
            assert_eq!(texts.err(), Some(e.clone()), "decode_json and decode refuse differently");
            return check_error(&e);
        }
    };
    let expected = (decoded.header_json.clone(), decoded.payload_json.clone(), decoded.signature.clone());
    assert_eq!(texts.ok(), Some(expected), "decode_json and decode read differently");
    let mut segments = token.split('.');
    let (h, p, s) = (segments.next(), segments.next(), segments.next());
    assert_eq!(h, Some(base64url::encode(decoded.header_json.as_bytes()).as_str()));
    assert_eq!(p, Some(base64url::encode(decoded.payload_json.as_bytes()).as_str()));
    assert_eq!(s, Some(decoded.signature.as_str()));
    assert_eq!(segments.next(), None);
    let sig = base64url::decode(&decoded.signature).expect("decode checked the signature's encoding");
    assert_eq!(base64url::encode(&sig), decoded.signature);
    let (header, header_json) = jwtward::decode_header(token).expect("decode accepted it, decode_header must");
    assert_eq!((header, header_json), (decoded.header.clone(), decoded.header_json.clone()));
    let reparsed = jwtward::json::parse_object(decoded.payload_json.as_bytes()).expect("payload JSON parses back");
    assert_eq!(reparsed, decoded.payload);
});
