//! Conformance of the Rust core against the standard JOSE examples: RFC 7515 Appendix A,
//! RFC 7520 section 4 (the JOSE Cookbook), RFC 8037 (Ed25519) and RFC 7797 (`b64: false`).
//! The vectors live in `tests/vectors/` as data; this file only loads them and states what the
//! rules of `Verifier::verify` make of each one. Run with `-- --nocapture` for a summary.
//!
//! Why so many assertions per vector: the RFC 7520 and RFC 8037 payloads are plain text, not JWT
//! claims, so a correct verifier still refuses them (ERR_JWT_INVALID). That refusal only proves
//! the signature passed because the signature is checked before the payload; to make the proof
//! explicit we also check the raw signature with `key.verify`, and check that one flipped bit
//! turns the outcome into ERR_JWS_SIGNATURE_VERIFICATION_FAILED.

use jwtward::base64url;
use jwtward::{Alg, ErrorCode, Key, KeySet, Verifier, VerifyOptions};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// A fixed present-day time (Nov 2025). The RFC 7520 / 8037 / 7797 payloads
/// carry no `exp`, so the time only matters for RFC 7515 (which has its own constants below).
const NOW: f64 = 1_763_900_000.0;
/// RFC 7515 A.1-A.3: `"exp":1300819380`. A time one second before it, and the expiry itself
/// (the boundary is exclusive: `now >= exp` is expired).
const A1_EXP: f64 = 1_300_819_380.0;
const BEFORE_A1_EXP: f64 = A1_EXP - 1.0;
/// The JWT claims of RFC 7515 A.1-A.3 and A.5, byte for byte (CRLF and leading spaces included).
const A1_CLAIMS: &str = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

// ---------------------------------------------------------------------------------------------
// Loading. A missing, empty or unparsable file is a failure, never a skip: a conformance suite
// that silently shrinks is worse than none.
// ---------------------------------------------------------------------------------------------

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("vectors")
}

/// Reads and parses one JSON vector file, panicking with the path on any problem.
fn load(relative: &str) -> Value {
    let path = vectors_dir().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("vector file {} is missing or unreadable: {e}", path.display()));
    assert!(!text.trim().is_empty(), "vector file {} is empty", path.display());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("vector file {} is not valid JSON: {e}", path.display()))
}

/// Lists the `*.json` files of a vector folder (sorted, so output is stable) and checks the
/// exact count, so a file that is dropped or added without updating the tests fails loudly.
fn json_files(relative_dir: &str, expected: usize) -> Vec<String> {
    let dir = vectors_dir().join(relative_dir);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("vector folder {} is missing: {e}", dir.display()))
        .map(|entry| entry.expect("readable folder entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), expected, "expected {expected} vector files in {}, found {names:?}", dir.display());
    names.into_iter().map(|name| format!("{relative_dir}/{name}")).collect()
}

/// The value at a path of object keys; panics naming the path if any step is absent.
fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |cur, key| cur.get(*key).unwrap_or_else(|| panic!("vector has no {}", path.join("."))))
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    at(v, path).as_str().unwrap_or_else(|| panic!("vector field {} is not a string", path.join(".")))
}

fn b64(s: &str) -> Vec<u8> {
    base64url::decode(s).unwrap_or_else(|| panic!("vector value is not strict base64url: {s:?}"))
}

fn obj(v: &Value) -> &Map<String, Value> {
    v.as_object().unwrap_or_else(|| panic!("expected a JSON object, got {v}"))
}

fn key(jwk: &Map<String, Value>) -> Key {
    Key::from_jwk(jwk).unwrap_or_else(|e| panic!("JWK rejected ({}): {e}", e.code().as_str()))
}

/// The public half of a JWK: what a relying party would hold. Verifying with it (rather than
/// with the private JWK) is the realistic case and catches a key that only works when private.
/// `oct` keys have no public half, so they are returned unchanged.
fn public_jwk(jwk: &Map<String, Value>) -> Map<String, Value> {
    let mut public = jwk.clone();
    if jwk.get("kty").and_then(Value::as_str) != Some("oct") {
        for private in ["d", "p", "q", "dp", "dq", "qi", "oth"] {
            public.remove(private);
        }
    }
    public
}

fn alg(name: &str) -> Alg {
    Alg::parse(name).unwrap_or_else(|e| panic!("algorithm {name:?} not supported: {e}"))
}

fn verifier(public: Key, alg: Alg) -> Verifier {
    Verifier::new(KeySet::new(vec![public]), VerifyOptions::new(vec![alg])).expect("valid verifier options")
}

/// Asserts that `result` failed with `code`; `what` names the case in the message.
#[track_caller]
fn expect_code<T: std::fmt::Debug>(result: jwtward::Result<T>, code: ErrorCode, what: &str) {
    match result {
        Ok(v) => panic!("{what}: expected {} but it succeeded: {v:?}", code.as_str()),
        Err(e) => assert_eq!(e.code(), code, "{what}: expected {}, got {} ({e})", code.as_str(), e.code().as_str()),
    }
}

/// One bit of the signature flipped, in the middle: away from the first byte, whose leading
/// bits are zero for P-521, so the change stays a wrong signature rather than a malformed one.
fn flip_bit(sig: &[u8]) -> Vec<u8> {
    assert!(!sig.is_empty(), "cannot flip a bit of an empty signature");
    let mut bad = sig.to_vec();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x01;
    bad
}

/// `compact` with its signature segment replaced by `flip_bit` of it.
fn with_flipped_signature(compact: &str) -> String {
    let (input, sig) = compact.rsplit_once('.').expect("compact JWS has a signature segment");
    format!("{input}.{}", base64url::encode(&flip_bit(&b64(sig))))
}

/// The raw-signature checks every signed vector gets: the signature verifies over the signing
/// input with the public key, one flipped bit does not, and where the algorithm is
/// deterministic (`reproducible`) our own signature is the example's byte for byte; where it
/// is not (ECDSA), our fresh signature at least verifies.
fn check_raw_signature(
    what: &str,
    private: &Key,
    public: &Key,
    alg: Alg,
    input: &[u8],
    sig: &[u8],
    reproducible: bool,
) {
    public.verify(alg, input, sig).unwrap_or_else(|e| panic!("{what}: key.verify refused the example signature: {e}"));
    expect_code(
        public.verify(alg, input, &flip_bit(sig)),
        ErrorCode::SignatureVerificationFailed,
        &format!("{what}: flipped bit, key.verify"),
    );
    let ours = private.sign(alg, input).unwrap_or_else(|e| panic!("{what}: key.sign failed: {e}"));
    if reproducible {
        assert_eq!(
            base64url::encode(&ours),
            base64url::encode(sig),
            "{what}: {alg} is deterministic, our signature must equal the example's"
        );
    } else {
        public
            .verify(alg, input, &ours)
            .unwrap_or_else(|e| panic!("{what}: our own {alg} signature does not verify: {e}"));
    }
}

/// The `--nocapture` summary of one test, printed in one call so that tests running in
/// parallel do not interleave their lines.
fn report(suite: &str, checked: usize, skipped: &[(&str, &str)]) {
    let mut text = format!(
        "[conformance] {suite}: {checked} vectors checked, {} of them without a Verifier::verify run\n",
        skipped.len()
    );
    for (name, why) in skipped {
        text.push_str(&format!("[conformance]   Verifier::verify skipped for {name}: {why}\n"));
    }
    print!("{text}");
}

// ---------------------------------------------------------------------------------------------
// RFC 7515 Appendix A
// ---------------------------------------------------------------------------------------------

fn appendix_a() -> Vec<Value> {
    let all = load("rfc7515/appendix_a.json");
    let list = all.as_array().expect("appendix_a.json is a list").clone();
    let sections: Vec<&str> = list.iter().map(|v| str_at(v, &["section"])).collect();
    assert_eq!(sections, ["A.1", "A.2", "A.3", "A.4", "A.5"], "RFC 7515 Appendix A examples");
    list
}

fn payload_of(compact: &str) -> Vec<u8> {
    let segments: Vec<&str> = compact.split('.').collect();
    assert_eq!(segments.len(), 3, "compact JWS {compact:?}");
    b64(segments[1])
}

/// The compact token with its payload segment replaced (signature left as it was).
fn with_payload(compact: &str, payload: &[u8]) -> String {
    let segments: Vec<&str> = compact.split('.').collect();
    format!("{}.{}.{}", segments[0], base64url::encode(payload), segments[2])
}

#[test]
fn rfc7515_appendix_a_signed_examples_verify() {
    let vectors = appendix_a();
    let mut checked = 0;
    for v in vectors.iter().filter(|v| str_at(v, &["alg"]) != "none") {
        let section = str_at(v, &["section"]);
        let what = format!("RFC 7515 {section}");
        let alg = alg(str_at(v, &["alg"]));
        let jwk = obj(at(v, &["jwk"]));
        let (private, public) = (key(jwk), key(&public_jwk(jwk)));
        let compact = str_at(v, &["compact"]);
        let expected_payload = str_at(v, &["payload"]);
        assert_eq!(payload_of(compact), expected_payload.as_bytes(), "{what}: file's payload matches its token");

        // Raw signature: HS256 and RS256 are deterministic, ES256/ES512 are not.
        let (input, sig) = compact.rsplit_once('.').unwrap();
        let reproducible = matches!(alg, Alg::HS256 | Alg::RS256);
        check_raw_signature(&what, &private, &public, alg, input.as_bytes(), &b64(sig), reproducible);

        let v_ = verifier(public, alg);
        let tampered = expected_payload.replace("true", "false").replace("Payload", "Paylaod");
        assert_ne!(tampered, expected_payload);
        expect_code(
            v_.verify(&with_payload(compact, tampered.as_bytes()), BEFORE_A1_EXP),
            ErrorCode::SignatureVerificationFailed,
            &format!("{what}: tampered payload"),
        );
        expect_code(
            v_.verify(&with_flipped_signature(compact), BEFORE_A1_EXP),
            ErrorCode::SignatureVerificationFailed,
            &format!("{what}: flipped signature bit"),
        );

        if section == "A.4" {
            // RFC 7515 A.4 signs the ASCII string "Payload", not JWT claims: the signature is
            // accepted, then the payload is refused as a JWT.
            assert_eq!(expected_payload, "Payload");
            expect_code(v_.verify(compact, BEFORE_A1_EXP), ErrorCode::JwtInvalid, &format!("{what}: text payload"));
        } else {
            // A.1-A.3 share the claims of A.1, including an expiry in 2011.
            assert_eq!(expected_payload, A1_CLAIMS, "{what}: same JWT claims as A.1");
            let verified = v_
                .verify(compact, BEFORE_A1_EXP)
                .unwrap_or_else(|e| panic!("{what}: refused before exp: {} {e}", e.code().as_str()));
            assert_eq!(verified.payload_json, A1_CLAIMS, "{what}: payload JSON exactly as signed");
            assert_eq!(verified.payload()["iss"], "joe");
            assert_eq!(verified.payload()["exp"].as_f64(), Some(A1_EXP));
            assert_eq!(verified.payload()["http://example.com/is_root"], true);
            assert_eq!(verified.header()["alg"], alg.as_str());
            assert_eq!(verified.header_json.as_bytes(), b64(compact.split('.').next().unwrap()).as_slice());
            expect_code(v_.verify(compact, A1_EXP), ErrorCode::Expired, &format!("{what}: at exp"));
            expect_code(v_.verify(compact, NOW), ErrorCode::Expired, &format!("{what}: today"));
        }
        checked += 1;
    }
    assert_eq!(checked, 4, "A.1-A.4 are the signed examples");

    // The A.1 header is {"typ":"JWT",\r\n "alg":"HS256"}: whitespace inside JSON is legal.
    let a1 = &vectors[0];
    let verified =
        verifier(key(obj(at(a1, &["jwk"]))), Alg::HS256).verify(str_at(a1, &["compact"]), BEFORE_A1_EXP).unwrap();
    assert_eq!(verified.header_json, "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}");
    assert_eq!(verified.header()["typ"], "JWT");
    report("RFC 7515 Appendix A (A.1-A.4 signed)", checked, &[]);
}

#[test]
fn rfc7515_a5_unsecured_jws_is_refused_even_when_every_algorithm_is_allowed() {
    let vectors = appendix_a();
    let a5 = vectors.iter().find(|v| str_at(v, &["section"]) == "A.5").expect("A.5 present");
    assert_eq!(str_at(a5, &["alg"]), "none");
    let compact = str_at(a5, &["compact"]);
    assert!(compact.ends_with('.'), "A.5 has an empty signature segment");
    assert_eq!(payload_of(compact), A1_CLAIMS.as_bytes());

    // Every algorithm we know, with a key of every family from Appendix A present, so the
    // refusal cannot come from "no key for this algorithm".
    let keys: Vec<Key> =
        vectors.iter().filter(|v| !at(v, &["jwk"]).is_null()).map(|v| key(&public_jwk(obj(at(v, &["jwk"]))))).collect();
    assert_eq!(keys.len(), 4);
    let v = Verifier::new(KeySet::new(keys), VerifyOptions::new(Alg::ALL.to_vec())).unwrap();
    for now in [BEFORE_A1_EXP, NOW] {
        expect_code(v.verify(compact, now), ErrorCode::AlgNotAllowed, "RFC 7515 A.5 alg none");
    }
    report("RFC 7515 Appendix A (A.5 unsecured)", 1, &[]);
}

// ---------------------------------------------------------------------------------------------
// RFC 7520 section 4 (JOSE Cookbook, jose-cookbook/jws)
// ---------------------------------------------------------------------------------------------

const COOKBOOK_JWS_FILES: usize = 8;

fn cookbook(name: &str) -> Value {
    let files = json_files("jose-cookbook/jws", COOKBOOK_JWS_FILES);
    let path =
        files.iter().find(|f| f.ends_with(name)).unwrap_or_else(|| panic!("cookbook file {name} missing: {files:?}"));
    load(path)
}

fn reproducible(v: &Value) -> bool {
    v.get("reproducible").and_then(Value::as_bool).unwrap_or(false)
}

#[test]
fn rfc7520_4_1_to_4_4_compact_signatures() {
    let cases = [
        ("4_1.rsa_v15_signature.json", Alg::RS256),
        ("4_2.rsa-pss_signature.json", Alg::PS384),
        ("4_3.ecdsa_signature.json", Alg::ES512),
        ("4_4.hmac-sha2_integrity_protection.json", Alg::HS256),
    ];
    for (file, expected_alg) in cases {
        let v = cookbook(file);
        let what = format!("RFC 7520 {file}");
        assert_eq!(alg(str_at(&v, &["input", "alg"])), expected_alg, "{what}");
        let jwk = obj(at(&v, &["input", "key"]));
        let (private, public) = (key(jwk), key(&public_jwk(jwk)));
        let input = str_at(&v, &["signing", "sig-input"]);
        let sig_b64 = str_at(&v, &["signing", "sig"]);
        let compact = str_at(&v, &["output", "compact"]);
        assert_eq!(compact, format!("{input}.{sig_b64}"), "{what}: compact = sig-input.sig");
        assert_eq!(payload_of(compact), str_at(&v, &["input", "payload"]).as_bytes(), "{what}: payload text");

        // The file marks RS256 and HS256 reproducible; PSS and ECDSA are randomised.
        assert_eq!(reproducible(&v), matches!(expected_alg, Alg::RS256 | Alg::HS256), "{what}: reproducible flag");
        check_raw_signature(&what, &private, &public, expected_alg, input.as_bytes(), &b64(sig_b64), reproducible(&v));

        // Full verification: the header's kid selects the key, the signature passes, and the
        // plain-text payload is refused as a JWT.
        let v_ = verifier(public, expected_alg);
        expect_code(
            v_.verify(compact, NOW),
            ErrorCode::JwtInvalid,
            &format!("{what}: text payload after a good signature"),
        );
        expect_code(
            v_.verify(&with_flipped_signature(compact), NOW),
            ErrorCode::SignatureVerificationFailed,
            &format!("{what}: flipped signature bit"),
        );
    }
    report("RFC 7520 4.1-4.4 (RS256, PS384, ES512, HS256)", cases.len(), &[]);
}

#[test]
fn rfc7520_4_5_to_4_8_json_serialisation_features() {
    // These examples exercise the JWS JSON serialisation, which jwtward does not implement.
    // Every signature in them is still checked raw; the Verifier is run where a compact form
    // exists (4.5) and the others are skipped with a reason, counted in the output.
    let mut skipped: Vec<(&str, &str)> = Vec::new();

    // 4.5 detached content: the compact form has an empty payload segment, which our rules
    // refuse as a malformed JWS; with the content put back, the signature passes.
    let v = cookbook("4_5.signature_with_detached_content.json");
    let jwk = obj(at(&v, &["input", "key"]));
    let (private, public) = (key(jwk), key(&public_jwk(jwk)));
    let input = str_at(&v, &["signing", "sig-input"]);
    let sig = str_at(&v, &["signing", "sig"]);
    check_raw_signature("RFC 7520 4.5", &private, &public, Alg::HS256, input.as_bytes(), &b64(sig), reproducible(&v));
    let detached = str_at(&v, &["output", "compact"]);
    let (header, _) = input.split_once('.').unwrap();
    assert_eq!(detached, format!("{header}..{sig}"), "4.5 compact is detached");
    let v_ = verifier(public, Alg::HS256);
    expect_code(v_.verify(detached, NOW), ErrorCode::JwsInvalid, "RFC 7520 4.5 detached payload");
    let attached = format!("{header}.{}.{sig}", base64url::encode(str_at(&v, &["input", "payload"]).as_bytes()));
    assert_eq!(attached, format!("{input}.{sig}"));
    expect_code(v_.verify(&attached, NOW), ErrorCode::JwtInvalid, "RFC 7520 4.5 payload re-attached");

    // 4.6 protected + unprotected header, 4.7 unprotected header only: no compact form exists
    // (the compact serialisation has no unprotected header; 4.7's signing input is ".payload").
    for (file, why) in [
        (
            "4_6.protecting_specific_header_fields.json",
            "kid in an unprotected header: JWS JSON serialisation only (raw signature checked)",
        ),
        (
            "4_7.protecting_content_only.json",
            "no protected header at all: JWS JSON serialisation only (raw signature checked)",
        ),
    ] {
        let v = cookbook(file);
        assert!(at(&v, &["output"]).get("compact").is_none(), "{file}: no compact form expected");
        let jwk = obj(at(&v, &["input", "key"]));
        let input = str_at(&v, &["signing", "sig-input"]);
        let sig = b64(str_at(&v, &["signing", "sig"]));
        check_raw_signature(
            &format!("RFC 7520 {file}"),
            &key(jwk),
            &key(&public_jwk(jwk)),
            Alg::HS256,
            input.as_bytes(),
            &sig,
            reproducible(&v),
        );
        skipped.push((file, why));
    }

    // 4.8 multiple signatures (RS256, ES512, HS256) over one payload: each checked raw with
    // its own key; a compact JWS carries exactly one signature, so there is nothing to verify.
    let v = cookbook("4_8.multiple_signatures.json");
    let keys = at(&v, &["input", "key"]).as_array().expect("4.8 has a key list");
    let algs = at(&v, &["input", "alg"]).as_array().expect("4.8 has an alg list");
    let signings = at(&v, &["signing"]).as_array().expect("4.8 has a signing list");
    assert_eq!((keys.len(), algs.len(), signings.len()), (3, 3, 3), "RFC 7520 4.8 has three signatures");
    for ((jwk, name), signing) in keys.iter().zip(algs).zip(signings) {
        let a = alg(name.as_str().unwrap());
        let jwk = obj(jwk);
        let what = format!("RFC 7520 4.8 {a}");
        // RS256 and HS256 are deterministic; the file has no reproducible flag because of ES512.
        check_raw_signature(
            &what,
            &key(jwk),
            &key(&public_jwk(jwk)),
            a,
            str_at(signing, &["sig-input"]).as_bytes(),
            &b64(str_at(signing, &["sig"])),
            a != Alg::ES512,
        );
    }
    skipped.push((
        "4_8.multiple_signatures.json",
        "three signatures: general JWS JSON serialisation only (each raw signature checked)",
    ));

    assert_eq!(skipped.len(), 3);
    report("RFC 7520 4.5-4.8 (detached, unprotected, multiple)", 4, &skipped);
}

// ---------------------------------------------------------------------------------------------
// RFC 8037 Ed25519 (jose-cookbook/curve25519)
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc8037_ed25519() {
    let files = json_files("jose-cookbook/curve25519", 1);
    let v = load(&files[0]);
    assert_eq!(str_at(&v, &["input", "alg"]), "EdDSA");
    let jwk = obj(at(&v, &["input", "key"]));
    assert_eq!(jwk["crv"], "Ed25519");
    let (private, public) = (key(jwk), key(&public_jwk(jwk)));
    let input = str_at(&v, &["signing", "sig-input"]);
    let sig = str_at(&v, &["signing", "sig"]);
    // Ed25519 is deterministic (RFC 8032), so the signature must be reproduced exactly.
    assert!(reproducible(&v));
    check_raw_signature("RFC 8037 Ed25519", &private, &public, Alg::EdDSA, input.as_bytes(), &b64(sig), true);
    let compact = str_at(&v, &["output", "compact"]);
    assert_eq!(compact, format!("{input}.{sig}"));
    assert_eq!(payload_of(compact), b"Example of Ed25519 signing");
    let v_ = verifier(public, Alg::EdDSA);
    expect_code(v_.verify(compact, NOW), ErrorCode::JwtInvalid, "RFC 8037: text payload after a good signature");
    expect_code(
        v_.verify(&with_flipped_signature(compact), NOW),
        ErrorCode::SignatureVerificationFailed,
        "RFC 8037: flipped signature bit",
    );
    report("RFC 8037 Ed25519", 1, &[]);
}

// ---------------------------------------------------------------------------------------------
// RFC 7797 unencoded payload (jose-cookbook/rfc7797)
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc7797_unencoded_payload_is_not_supported() {
    // We use `output.json` (protected header + raw payload + signature) rather than the
    // `signing` section: in hmac-sha2_b64_false.json `signing.protected_b64u` is malformed and
    // `signing.sig` does not match `signing.sig-input`, while `output` is consistent. In
    // 4.2.hmac-sha2_b64_false.json the header is {"alg":"HS256","b64":false} without the
    // `crit` that RFC 7797 requires; b64 alone must be refused all the same.
    let files = json_files("jose-cookbook/rfc7797", 2);
    for file in &files {
        let v = load(file);
        let what = format!("RFC 7797 {file}");
        let k = key(obj(at(&v, &["input", "key"])));
        let payload = str_at(&v, &["output", "json", "payload"]);
        assert_eq!(payload, str_at(&v, &["input", "payload"]), "{what}: payload is not encoded");
        let signature = &at(&v, &["output", "json", "signatures"]).as_array().expect("signatures list")[0];
        let protected = str_at(signature, &["protected"]);
        let sig = str_at(signature, &["signature"]);
        let header: Value = serde_json::from_slice(&b64(protected)).expect("protected header is JSON");
        assert_eq!(header["b64"], false, "{what}");

        // Raw: the RFC 7797 signing input is ASCII(BASE64URL(header) || '.') || payload bytes.
        // Our HMAC agrees with the example; it is only the token format we refuse.
        let input = format!("{protected}.{payload}");
        check_raw_signature(&what, &k, &k, Alg::HS256, input.as_bytes(), &b64(sig), true);

        let v_ = verifier(k.clone(), Alg::HS256);
        match at(&v, &["output"]).get("compact").and_then(Value::as_str) {
            Some(compact) => {
                // RFC 7797 section 5.2: compact form with the payload in the clear.
                assert_eq!(compact, format!("{protected}.{payload}.{sig}"));
                expect_code(v_.verify(compact, NOW), ErrorCode::NotSupported, &format!("{what}: compact b64=false"));
            }
            None => {
                // The payload "$.02" contains '.', which RFC 7797 section 5.2 forbids in a compact
                // payload; the RFC's compact form is then the detached one, "header..signature".
                // Our rules check the segments before the header, so that is ERR_JWS_INVALID.
                assert!(payload.contains('.'), "{what}: only a payload with '.' lacks a compact form");
                expect_code(
                    v_.verify(&format!("{protected}..{sig}"), NOW),
                    ErrorCode::JwsInvalid,
                    &format!("{what}: detached b64=false"),
                );
                // Put into three well-formed segments (payload base64url-encoded, as a naive
                // client would), the header's b64=false must still be refused before the
                // signature is looked at: a signature failure here would mean b64 was ignored.
                let three = format!("{protected}.{}.{sig}", base64url::encode(payload.as_bytes()));
                expect_code(
                    v_.verify(&three, NOW),
                    ErrorCode::NotSupported,
                    &format!("{what}: b64=false in three segments"),
                );
            }
        }
    }
    report("RFC 7797 b64=false (refused: ERR_JOSE_NOT_SUPPORTED)", files.len(), &[]);
}

// ---------------------------------------------------------------------------------------------
// Inventory: every vector file on disk is used by a test above.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_vector_file_is_accounted_for() {
    // Counts per folder; `json_files` fails on any difference. 5 RFC 7515 examples + 8 RFC 7520
    // + 1 RFC 8037 + 2 RFC 7797 = 16 vectors.
    assert_eq!(appendix_a().len(), 5);
    let total = 5
        + json_files("jose-cookbook/jws", COOKBOOK_JWS_FILES).len()
        + json_files("jose-cookbook/curve25519", 1).len()
        + json_files("jose-cookbook/rfc7797", 2).len();
    assert_eq!(total, 16);
    for provenance in ["rfc7515/SOURCE", "rfc7515/LICENSE", "jose-cookbook/SOURCE", "jose-cookbook/LICENSE"] {
        let path = vectors_dir().join(provenance);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} missing: {e}", path.display()));
        assert!(!text.trim().is_empty(), "{} is empty", path.display());
    }
    println!("[conformance] inventory: {total} vector files (RFC 7515: 5, RFC 7520: 8, RFC 8037: 1, RFC 7797: 2)");
}
