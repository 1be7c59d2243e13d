//! A verdict computed for one request never completes another.

use super::*;
use crate::error::ErrorCode;

fn unhex(s: &str) -> Vec<u8> {
    s.as_bytes().chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

/// RFC 8032 7.1, test 1: the key and its signature of the empty message.
fn vector() -> (KeyMaterial, Vec<u8>) {
    let key = KeyMaterial::ed25519_public(&unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        .unwrap();
    let sig = unhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    );
    (key, sig)
}

/// Runs the first pass and returns the request id the host would name.
fn first_pass(key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> f64 {
    let deferred = Deferred::default();
    assert!(deferred.verify(key, id, alg, msg, sig).is_err());
    let packed = deferred.request.into_inner().expect("a request");
    assert_eq!(packed[0], REQUEST_VERSION);
    f64::from_le_bytes(packed[1..9].try_into().unwrap())
}

#[test]
fn a_verdict_completes_its_own_request_once() {
    let (key, sig) = vector();
    let id = KeyId::fresh();
    let request = first_pass(&key, id, Alg::EdDSA, b"", &sig);
    assert!(Verdict::take(request, "EdDSA", Some(true)).verify(&key, id, Alg::EdDSA, b"", &sig).is_ok());
    // Consumed: a second verdict for the same request does not apply.
    assert!(Verdict::take(request, "EdDSA", Some(true)).expected.is_none());
    // A negative verdict fails.
    let request = first_pass(&key, id, Alg::EdDSA, b"", &sig);
    let err = Verdict::take(request, "EdDSA", Some(false)).verify(&key, id, Alg::EdDSA, b"", &sig).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignatureVerificationFailed);
}

#[test]
fn a_valid_verdict_for_one_request_never_completes_another() {
    let (key, sig) = vector();
    let id = KeyId::fresh();
    let mut other_sig = sig.clone();
    other_sig[0] ^= 1;
    // Same key, another signing input; same input, another signature; another key id; another
    // algorithm name: each is refused (the full build's core finds the signature invalid, the
    // slim build fails closed).
    let attempts: [(&[u8], &[u8], KeyId, &str); 4] = [
        (b"another payload", &sig, id, "EdDSA"),
        (b"", &other_sig, id, "EdDSA"),
        (b"", &sig, KeyId::fresh(), "EdDSA"),
        (b"", &sig, id, "ES256"),
    ];
    for (msg, s, kid, alg_name) in attempts {
        let request = first_pass(&key, id, Alg::EdDSA, b"", &sig);
        let verdict = Verdict::take(request, alg_name, Some(true));
        let outcome = verdict.verify(&key, kid, Alg::EdDSA, msg, s);
        #[cfg(feature = "wasm-asym")]
        let refused = outcome.is_err() || (msg == b"" && s == sig.as_slice());
        #[cfg(not(feature = "wasm-asym"))]
        let refused = outcome.is_err();
        assert!(refused, "a verdict for another request completed {msg:?} / {alg_name}");
    }
    // A request id that was never handed out.
    let verdict = Verdict::take(987_654_321.0, "EdDSA", Some(true));
    assert!(verdict.verify(&key, id, Alg::EdDSA, b"x", &sig).is_err());
}

/// Through whole tokens: the verdict for token A cannot complete token B, which carries A's
/// header and signature over another payload.
#[cfg(feature = "wasm-asym")]
#[test]
fn a_verdict_for_token_a_does_not_complete_token_b() {
    use crate::{Key, KeySet, Signer, SignerOptions, Verifier, VerifyOptions};
    let (private, public) = Key::generate(Alg::ES256, None).unwrap();
    let signer = Signer::new(private, SignerOptions::new(Alg::ES256)).unwrap();
    let mut claims = serde_json::Map::new();
    claims.insert("sub".into(), "alice".into());
    let a = signer.sign(&claims, 1_700_000_000.0).unwrap();
    claims.insert("sub".into(), "mallory".into());
    let b_signed = signer.sign(&claims, 1_700_000_000.0).unwrap();
    let parts_a: Vec<&str> = a.split('.').collect();
    let parts_b: Vec<&str> = b_signed.split('.').collect();
    let b = format!("{}.{}.{}", parts_a[0], parts_b[1], parts_a[2]);
    let verifier = Verifier::new(KeySet::new(vec![public]), VerifyOptions::new(vec![Alg::ES256])).unwrap();
    let now = 1_700_000_010.0;
    let deferred = Deferred::default();
    assert!(verifier.verify_with(&a, now, &deferred).is_err());
    let packed = deferred.request.into_inner().unwrap();
    let request = f64::from_le_bytes(packed[1..9].try_into().unwrap());
    let verdict = Verdict::take(request, "ES256", Some(true));
    let err = verifier.verify_with(&b, now, &verdict).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignatureVerificationFailed);
    // ...while it completes A itself.
    let deferred = Deferred::default();
    assert!(verifier.verify_with(&a, now, &deferred).is_err());
    let packed = deferred.request.into_inner().unwrap();
    let request = f64::from_le_bytes(packed[1..9].try_into().unwrap());
    assert!(verifier.verify_with(&a, now, &Verdict::take(request, "ES256", Some(true))).is_ok());
}

/// Requests whose verdict never comes are forgotten, oldest first, before their bytes pass
/// MAX_PENDING_BYTES: wasm memory never shrinks, so they must not grow it without bound.
#[test]
fn pending_requests_are_bounded_in_bytes() {
    let (key, sig) = vector();
    let id = KeyId::fresh();
    let big = vec![b'a'; 16 * 1024];
    let first = first_pass(&key, id, Alg::EdDSA, &big, &sig);
    for _ in 0..(MAX_PENDING_BYTES / big.len() + 8) {
        first_pass(&key, id, Alg::EdDSA, &big, &sig);
    }
    let (counted, kept) = PENDING.with(|p| (p.borrow().bytes(), p.borrow().recount()));
    assert!(counted <= MAX_PENDING_BYTES, "{counted} bytes pending");
    assert_eq!(kept, counted, "the byte count follows the queue");
    // The oldest was forgotten: its verdict no longer applies.
    assert!(Verdict::take(first, "EdDSA", Some(true)).expected.is_none());
}
