//! The Wycheproof harness shared by the native test (tests/wycheproof.rs, files read from
//! disk) and the wasm test (tests/wasm.rs, files embedded): signature and MAC vectors against
//! `Key::verify`. Every file in tests/vectors/wycheproof is loaded (a missing or empty file fails the test: nothing is
//! skipped silently). `valid` must verify and `invalid` must be rejected, except for the
//! deviations below, which are all counted, printed and pinned to exact numbers:
//!
//! 1. HMAC: secrets shorter than the hash output are refused by policy (RFC 7518 3.2: "a key of
//!    the same size as the hash output or larger MUST be used"), and truncated tags are never
//!    accepted (JWS HMAC signatures are the full hash output). Such `valid` vectors must fail
//!    with ERR_JWK_INVALID (short key) or ERR_JWS_SIGNATURE_VERIFICATION_FAILED (short tag).
//! 2. Groups whose public key cannot be loaded by policy (RSA < 2048 bits, Ed25519 small-order
//!    points): every vector of the group must fail, and the load error must be ERR_JWK_INVALID.
//! 3. RSA-PSS groups whose salt length is not the hash length or whose MGF1 hash differs: JWS
//!    fixes both (RFC 7518 3.5), so their `valid` vectors must be rejected.
//! 4. `acceptable` vectors: the only ones are RSASSA-PKCS1-v1_5 signatures whose DigestInfo
//!    omits the NULL parameters. We reject them: RFC 8017 9.2 defines the encoding with NULL,
//!    JWS signers (every JOSE library) produce it, and one accepted encoding per signature
//!    leaves no room for malleability. Each is recorded below as rejected.
//!
//! Columns: passed = outcome equals the verdict; hmac-pol, key-ref, pss-par = deviations 1-3;
//! acc-rej = acceptable vectors rejected (none are accepted); pem-grps = groups Wycheproof
//! gives no JWK for (ECDSA keys whose JWK it omits), loaded from their SPKI PEM instead.

use jwtward::{Alg, ErrorCode, Key};
use serde_json::Value;
use std::collections::BTreeMap;

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

fn alg_for(file: &str) -> Alg {
    let table: [(&str, Alg); 15] = [
        ("ecdsa_secp256r1_sha256_p1363", Alg::ES256),
        ("ecdsa_secp384r1_sha384_p1363", Alg::ES384),
        ("ecdsa_secp521r1_sha512_p1363", Alg::ES512),
        ("ed25519", Alg::EdDSA),
        ("hmac_sha256", Alg::HS256),
        ("hmac_sha384", Alg::HS384),
        ("hmac_sha512", Alg::HS512),
        ("rsa_signature_2048_sha256", Alg::RS256),
        ("rsa_signature_3072_sha256", Alg::RS256),
        ("rsa_signature_4096_sha256", Alg::RS256),
        ("rsa_signature_2048_sha384", Alg::RS384),
        ("rsa_signature_2048_sha512", Alg::RS512),
        ("rsa_pss_2048_sha256_mgf1_32", Alg::PS256),
        ("rsa_pss_4096_sha384_mgf1_48", Alg::PS384),
        ("rsa_pss_4096_sha512_mgf1_64", Alg::PS512),
    ];
    table
        .iter()
        .find(|(prefix, _)| file.starts_with(prefix))
        .map(|(_, alg)| *alg)
        .unwrap_or_else(|| panic!("no algorithm mapping for Wycheproof file {file}; add one"))
}

fn sha_name(alg: Alg) -> &'static str {
    match alg.hash() {
        jwtward::alg::Hash::Sha256 => "SHA-256",
        jwtward::alg::Hash::Sha384 => "SHA-384",
        jwtward::alg::Hash::Sha512 => "SHA-512",
    }
}

#[derive(Default, Debug, Clone, PartialEq, Eq)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable: usize,
    /// Outcome equals the Wycheproof verdict (valid accepted, invalid rejected).
    passed: usize,
    /// `valid` rejected by the HMAC length policy (short key or truncated tag).
    hmac_policy: usize,
    /// Vectors in groups whose key is refused by policy (all rejected).
    key_refused: usize,
    /// `valid` vectors of PSS groups with non-JWS parameters (rejected).
    pss_params: usize,
    acceptable_accepted: usize,
    acceptable_rejected: usize,
    /// Groups without a JWK, loaded from `publicKeyPem`.
    pem_groups: usize,
    /// Anything else: must stay zero.
    unexpected: Vec<String>,
}

fn run_text(name: &str, text: &str) -> Tally {
    let name = name.to_owned();
    let alg = alg_for(&name);
    let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
    let groups = doc["testGroups"].as_array().unwrap_or_else(|| panic!("{name}: no testGroups"));
    let mut t = Tally::default();
    let mut seen = 0usize;
    for group in groups {
        let tests = group["tests"].as_array().unwrap_or_else(|| panic!("{name}: group without tests"));
        // Group-level expectations.
        let pss_mismatch = name.starts_with("rsa_pss")
            && (group["sLen"].as_u64() != Some(alg.hash().output_len() as u64)
                || group["mgfSha"].as_str() != Some(sha_name(alg))
                || group["sha"].as_str() != Some(sha_name(alg)));
        let group_key: Option<Result<Key, jwtward::Error>> = if alg.family() == jwtward::alg::Family::Hmac {
            None
        } else {
            // Wycheproof omits the JWK for a few groups; their SPKI PEM is loaded instead.
            match group.get("publicKeyJwk").or_else(|| group.get("keyJwk")) {
                Some(jwk) => {
                    Some(Key::from_jwk(jwk.as_object().unwrap_or_else(|| panic!("{name}: JWK is not an object"))))
                }
                None => {
                    t.pem_groups += 1;
                    let pem = group["publicKeyPem"].as_str().unwrap_or_else(|| panic!("{name}: group has no key"));
                    Some(Key::from_pem(pem, None, None))
                }
            }
        };
        // Cross-check the PEM path: the SPKI PEM must give the same public key as the JWK.
        if let (Some(Ok(key)), Some(pem)) = (&group_key, group.get("publicKeyPem").and_then(Value::as_str)) {
            let from_pem = Key::from_pem(pem, None, None).unwrap_or_else(|e| panic!("{name}: PEM refused: {e}"));
            let mut a = key.to_public_jwk().unwrap();
            let b = from_pem.to_public_jwk().unwrap();
            a.remove("kid");
            a.remove("alg");
            assert_eq!(a, b, "{name}: PEM and JWK disagree");
        }
        if let Some(Err(e)) = &group_key {
            assert_eq!(e.code(), ErrorCode::JwkInvalid, "{name}: key refused with an unexpected error: {e}");
        }
        for test in tests {
            seen += 1;
            let id = test["tcId"].as_u64().unwrap_or(0);
            let result = test["result"].as_str().unwrap_or_else(|| panic!("{name} #{id}: no result"));
            let msg = hex(test["msg"].as_str().unwrap());
            let (key, sig, hmac_short) = match &group_key {
                Some(k) => (k.clone(), hex(test["sig"].as_str().unwrap()), false),
                None => {
                    let raw = hex(test["key"].as_str().unwrap());
                    let tag = hex(test["tag"].as_str().unwrap());
                    let short = raw.len() < alg.hash().output_len() || tag.len() < alg.hash().output_len();
                    (Key::from_secret(&raw, None, None), tag, short)
                }
            };
            let outcome = key.and_then(|k| k.verify(alg, &msg, &sig));
            match result {
                "valid" => t.valid += 1,
                "invalid" => t.invalid += 1,
                "acceptable" => t.acceptable += 1,
                other => panic!("{name} #{id}: unknown result {other}"),
            }
            let label = format!("{name} #{id} ({result}, {})", test["comment"].as_str().unwrap_or(""));
            match (result, &outcome) {
                (_, _) if matches!(group_key, Some(Err(_))) => {
                    assert!(outcome.is_err());
                    t.key_refused += 1;
                }
                ("valid", Ok(())) if pss_mismatch => t.unexpected.push(format!("{label}: non-JWS PSS accepted")),
                ("valid", Err(_)) if pss_mismatch => t.pss_params += 1,
                ("valid", Ok(())) => t.passed += 1,
                ("valid", Err(e)) if hmac_short => {
                    let ok = matches!(e.code(), ErrorCode::JwkInvalid | ErrorCode::SignatureVerificationFailed);
                    if ok {
                        t.hmac_policy += 1
                    } else {
                        t.unexpected.push(format!("{label}: {e}"))
                    }
                }
                ("valid", Err(e)) => t.unexpected.push(format!("{label}: rejected: {e}")),
                ("invalid", Ok(())) => t.unexpected.push(format!("{label}: ACCEPTED")),
                ("invalid", Err(_)) => t.passed += 1,
                (_, Ok(())) => {
                    t.acceptable_accepted += 1;
                    println!("  acceptable accepted: {label}");
                }
                (_, Err(e)) => {
                    t.acceptable_rejected += 1;
                    println!("  acceptable rejected: {label}: {}", e.code().as_str());
                }
            }
        }
    }
    let declared = doc["numberOfTests"].as_u64().unwrap_or_else(|| panic!("{name}: no numberOfTests"));
    assert_eq!(seen as u64, declared, "{name}: ran {seen} of {declared} declared tests");
    assert!(seen > 0, "{name}: zero tests");
    t
}

/// The exact expected numbers per file: (valid, invalid, acceptable, passed, hmac_policy,
/// key_refused, pss_params, acceptable_rejected, groups loaded from PEM). A change in any of them fails the test.
const EXPECTED: &[(&str, [usize; 9])] = &[
    ("ecdsa_secp256r1_sha256_p1363_test.json", [173, 89, 0, 262, 0, 0, 0, 0, 9]),
    ("ecdsa_secp384r1_sha384_p1363_test.json", [193, 87, 0, 280, 0, 0, 0, 0, 9]),
    ("ecdsa_secp521r1_sha512_p1363_test.json", [231, 87, 0, 318, 0, 0, 0, 0, 9]),
    ("ed25519_test.json", [88, 63, 0, 151, 0, 0, 0, 0, 0]),
    ("hmac_sha256_test.json", [66, 108, 0, 138, 36, 0, 0, 0, 0]),
    ("hmac_sha384_test.json", [66, 108, 0, 138, 36, 0, 0, 0, 0]),
    ("hmac_sha512_test.json", [66, 108, 0, 138, 36, 0, 0, 0, 0]),
    ("rsa_pss_2048_sha256_mgf1_32_test.json", [63, 45, 0, 108, 0, 0, 0, 0, 0]),
    ("rsa_pss_4096_sha384_mgf1_48_test.json", [95, 46, 0, 141, 0, 0, 0, 0, 0]),
    ("rsa_pss_4096_sha512_mgf1_64_test.json", [132, 47, 0, 179, 0, 0, 0, 0, 0]),
    ("rsa_signature_2048_sha256_test.json", [9, 249, 1, 258, 0, 0, 0, 1, 0]),
    ("rsa_signature_2048_sha384_test.json", [7, 250, 1, 257, 0, 0, 0, 1, 0]),
    ("rsa_signature_2048_sha512_test.json", [8, 250, 1, 258, 0, 0, 0, 1, 0]),
    ("rsa_signature_3072_sha256_test.json", [8, 250, 1, 258, 0, 0, 0, 1, 0]),
    ("rsa_signature_4096_sha256_test.json", [7, 250, 1, 257, 0, 0, 0, 1, 0]),
];

/// The vector files, in order, with their pinned tallies.
pub fn expected_files() -> Vec<&'static str> {
    EXPECTED.iter().map(|(n, _)| *n).collect()
}

/// Runs every file (`load` returns a file's text), prints the table and panics on any
/// deviation from the pinned tallies.
pub fn run_all(load: impl Fn(&str) -> String) {
    let mut results = BTreeMap::new();
    for (file, _) in EXPECTED {
        results.insert(*file, run_text(file, &load(file)));
    }
    println!();
    println!(
        "{:<42} {:>5} {:>7} {:>5} {:>6} | {:>8} {:>8} {:>8} {:>8} {:>8}",
        "file", "valid", "invalid", "acc.", "passed", "hmac-pol", "key-ref", "pss-par", "acc-rej", "pem-grps"
    );
    let mut failures = Vec::new();
    let mut totals = [0usize; 9];
    for (file, want) in EXPECTED {
        let t = &results[file];
        let got = [
            t.valid,
            t.invalid,
            t.acceptable,
            t.passed,
            t.hmac_policy,
            t.key_refused,
            t.pss_params,
            t.acceptable_rejected,
            t.pem_groups,
        ];
        println!(
            "{:<42} {:>5} {:>7} {:>5} {:>6} | {:>8} {:>8} {:>8} {:>8} {:>8}",
            file, got[0], got[1], got[2], got[3], got[4], got[5], got[6], got[7], got[8]
        );
        for (total, n) in totals.iter_mut().zip(got) {
            *total += n;
        }
        let total = t.valid + t.invalid + t.acceptable;
        let accounted =
            t.passed + t.hmac_policy + t.key_refused + t.pss_params + t.acceptable_accepted + t.acceptable_rejected;
        if accounted != total {
            failures.push(format!("{file}: {accounted} of {total} vectors accounted for"));
        }
        if &got != want {
            failures.push(format!("{file}: got {got:?}, expected {want:?}"));
        }
        failures.extend(t.unexpected.iter().cloned());
    }
    println!(
        "{:<42} {:>5} {:>7} {:>5} {:>6} | {:>8} {:>8} {:>8} {:>8} {:>8}",
        "TOTAL", totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6], totals[7], totals[8]
    );
    assert!(failures.is_empty(), "Wycheproof deviations:\n{}", failures.join("\n"));
}
