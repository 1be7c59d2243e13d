//! Verification by an asynchronous host (WebCrypto), in two passes over the same token, each
//! running the core's whole sequence of checks. The first pass ([`Deferred`]) stops at the
//! signature and hands out a request ([`pack_request`]); the second ([`Verdict`]) receives the
//! host's answer and goes on to the payload and claims.
//!
//! A verdict is bound to the exact request it answers: the first pass records, under a fresh
//! request id, the algorithm, key id, signing input and signature themselves; the second pass
//! takes that record by the request id the host names and accepts the verdict only for the very
//! same four. A verdict computed for one token, key or signature therefore never completes
//! another, nor the same request twice. (The bytes are compared, not hashed: a SHA-256 of them
//! at both passes cost about 5 us in wasm, 10% of an RS256 verifyAsync in workerd.) A verdict that does not
//! apply is ignored: the full build's core then verifies the signature itself; the slim build,
//! which cannot, fails closed.

use super::pending::{PendingQueue, Weighed};
use super::{host::precheck, verification_failed, KeyId, KeyMaterial, RustCrypto, SignatureBackend};
use crate::alg::Alg;
use crate::error::Result;
use std::cell::RefCell;

/// Requests awaiting their verdict, at most; the oldest is forgotten first (its verdict is then
/// ignored). Far more than the verifications a process has in flight at once.
const MAX_PENDING: usize = 4096;

/// Bytes of signing inputs and signatures kept for pending requests, at most (wasm memory never
/// shrinks, so requests whose verdict never comes must not grow it without bound): at 4 MiB,
/// a thousand 16 KiB tokens in flight at once; the oldest is forgotten first.
const MAX_PENDING_BYTES: usize = 4 << 20;

/// What exactly a request asks about.
struct Request {
    alg: Alg,
    key: KeyId,
    msg: Box<[u8]>,
    sig: Box<[u8]>,
}

impl Weighed for Request {
    fn weight(&self) -> usize {
        self.msg.len().saturating_add(self.sig.len())
    }
}

impl Request {
    fn is(&self, alg: Alg, key: KeyId, msg: &[u8], sig: &[u8]) -> bool {
        self.alg == alg && self.key == key && *self.msg == *msg && *self.sig == *sig
    }
}

/// The version byte that starts a packed request (the layout of [`pack_request`]).
pub const REQUEST_VERSION: u8 = 2;

thread_local! {
    static PENDING: RefCell<PendingQueue<Request>> = const { RefCell::new(PendingQueue::new(MAX_PENDING, MAX_PENDING_BYTES)) };
}

/// Records a request and returns its id.
fn record(alg: Alg, key: KeyId, msg: &[u8], sig: &[u8]) -> Option<u64> {
    let request = Request { alg, key, msg: msg.into(), sig: sig.into() };
    PENDING.with(|pending| Some(pending.try_borrow_mut().ok()?.push(request)))
}

/// Takes (removes) the request recorded under `id`.
fn take(id: u64) -> Option<Request> {
    PENDING.with(|pending| pending.try_borrow_mut().ok()?.take(id))
}

/// A request for the host, packed into one byte string (one copy out of wasm, no object to
/// free): the version ([`REQUEST_VERSION`], 1 byte), the request id (f64 little-endian), the
/// key id (f64 little-endian), the algorithm's name (its length, 1 byte, then ASCII), the
/// signing input's length (u32 little-endian), the signing input, then the signature.
/// pkg/src/hosts/webcrypto.js reads this layout.
pub fn pack_request(request: u64, alg: Alg, key: KeyId, msg: &[u8], sig: &[u8]) -> Option<Vec<u8>> {
    let name = alg.as_str().as_bytes();
    let msg_len = u32::try_from(msg.len()).ok()?;
    let mut out = Vec::with_capacity(22usize.checked_add(name.len())?.checked_add(msg.len())?.checked_add(sig.len())?);
    out.push(REQUEST_VERSION);
    // Ids stay far below 2^53, so the conversions are exact.
    out.extend_from_slice(&(request as f64).to_le_bytes());
    out.extend_from_slice(&(key.get() as f64).to_le_bytes());
    out.push(u8::try_from(name.len()).ok()?);
    out.extend_from_slice(name);
    out.extend_from_slice(&msg_len.to_le_bytes());
    out.extend_from_slice(msg);
    out.extend_from_slice(sig);
    Some(out)
}

/// The first pass: HMAC is verified at once; any other signature that passes the prechecks is
/// recorded for the host (`request`, packed), and the pass stops there with a failure nobody
/// sees.
#[derive(Default)]
pub struct Deferred {
    pub request: RefCell<Option<Vec<u8>>>,
}

impl SignatureBackend for Deferred {
    fn verify(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        if matches!(key, KeyMaterial::Secret(_)) {
            return RustCrypto.verify(key, id, alg, msg, sig);
        }
        precheck(key, alg, sig)?;
        let packed = record(alg, id, msg, sig).and_then(|request| pack_request(request, alg, id, msg, sig));
        let Some(packed) = packed else {
            return RustCrypto.verify(key, id, alg, msg, sig);
        };
        if let Ok(mut slot) = self.request.try_borrow_mut() {
            *slot = Some(packed);
        }
        Err(verification_failed())
    }

    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        RustCrypto.sign(key, alg, msg)
    }
}

/// The second pass: the host's verdict on request `request` (`valid` `None`: the host could not
/// check it). It applies only to the very signature the request carried.
pub struct Verdict {
    expected: Option<Request>,
    alg: Option<Alg>,
    valid: Option<bool>,
}

impl Verdict {
    /// The verdict on the request the host names by its id and algorithm name. The request is
    /// consumed: a second verdict for it is ignored.
    pub fn take(request: f64, alg: &str, valid: Option<bool>) -> Verdict {
        let expected = (request.fract() == 0.0 && (1.0..9_007_199_254_740_992.0).contains(&request))
            .then(|| take(request as u64))
            .flatten();
        Verdict { expected, alg: Alg::parse(alg).ok(), valid }
    }

    /// Without a verdict that applies: the core decides (full build) or the check fails.
    fn without(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        #[cfg(feature = "wasm-asym")]
        {
            RustCrypto.verify(key, id, alg, msg, sig)
        }
        #[cfg(not(feature = "wasm-asym"))]
        {
            let _ = (key, id, msg, sig);
            match self.valid {
                None => {
                    Err(super::hostcall::needs_host(&format!("this {alg} signature (the host could not check it)")))
                }
                Some(_) => Err(verification_failed()),
            }
        }
    }
}

impl SignatureBackend for Verdict {
    fn verify(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        if matches!(key, KeyMaterial::Secret(_)) {
            return RustCrypto.verify(key, id, alg, msg, sig);
        }
        let applies = self.alg == Some(alg) && self.expected.as_ref().is_some_and(|r| r.is(alg, id, msg, sig));
        match (applies, self.valid) {
            (true, Some(valid)) => {
                precheck(key, alg, sig)?;
                super::verdict(valid)
            }
            _ => self.without(key, id, alg, msg, sig),
        }
    }

    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        RustCrypto.sign(key, alg, msg)
    }
}

#[cfg(test)]
mod tests;
