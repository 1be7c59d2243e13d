//! The host's synchronous crypto, as the core calls it: signing with a private key, generating a
//! key pair, deriving the public half of a private key. The wasm bindings install one
//! (src/wasm/host.rs, over node:crypto); native tests may install their own. With none
//! installed, the full build does these in Rust and the slim build refuses them with
//! [`needs_host`]. The host's answers are never trusted: the core checks the form of every
//! signature and imports (validates) every key it returns.

use super::KeyId;
use crate::alg::Alg;
use crate::error::{Error, ErrorCode, Result};
use std::cell::RefCell;
use std::rc::Rc;
use zeroize::Zeroizing;

/// What a synchronous host offers. Each method answers `None` when the host does not offer that
/// operation (the core then does it itself, or refuses).
pub trait Host {
    /// The JWS signature of `msg` with the private key `id` (imported from `pkcs8` when the host
    /// has not seen `id` yet).
    fn sign(
        &self,
        id: KeyId,
        alg: Alg,
        pkcs8: &dyn Fn() -> Result<Zeroizing<Vec<u8>>>,
        msg: &[u8],
    ) -> Option<Result<Vec<u8>>>;

    /// A fresh private key for `alg`, as PKCS#8 DER.
    fn generate(&self, alg: Alg) -> Option<Result<Zeroizing<Vec<u8>>>>;

    /// The SPKI DER of the public half of the PKCS#8 private key `pkcs8`.
    fn derive_public(&self, alg: Alg, pkcs8: &[u8]) -> Option<Result<Vec<u8>>>;
}

thread_local! {
    static HOST: RefCell<Option<Rc<dyn Host>>> = const { RefCell::new(None) };
}

/// Installs (or with `None` removes) this thread's host.
pub fn set_host(host: Option<Rc<dyn Host>>) {
    HOST.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = host;
        }
    });
}

/// The installed host, if any.
pub(crate) fn host() -> Option<Rc<dyn Host>> {
    HOST.with(|slot| slot.try_borrow().ok().and_then(|h| h.clone()))
}

/// The error of an asymmetric operation the slim core cannot do without a host.
pub fn needs_host(what: &str) -> Error {
    Error::new(
        ErrorCode::NotSupported,
        format!(
            "{what} needs the host's crypto: use verifyAsync/signAsync, or import jwtward/full for synchronous use everywhere"
        ),
    )
}
