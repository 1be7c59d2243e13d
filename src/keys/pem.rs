//! PEM input (RFC 7468): SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY" / "RSA PRIVATE KEY",
//! PKCS#8 "PRIVATE KEY" and SEC1 "EC PRIVATE KEY". Everything else (certificates, encrypted
//! keys, other algorithms) is refused with a message that says what to pass instead. All RSA
//! and EC policy (sizes, curves, point validity) is applied by the `KeyMaterial` constructors.

use super::Key;
use crate::alg::Alg;
use crate::crypto::der_in::{ec_sec1_private, pkcs8, rsa_private_pkcs1, rsa_public_pkcs1, spki};
use crate::error::{jwk_invalid, Result};
use zeroize::Zeroizing;

/// The largest PEM document accepted, in bytes, checked before decoding. A 4096-bit RSA private
/// key is about 3.3 KiB of PEM; this leaves room for explanatory text and a certificate or two.
pub const MAX_PEM_SIZE: usize = 16 * 1024;

/// The longest PEM label taken for one; real labels ("ENCRYPTED PRIVATE KEY") are shorter.
const MAX_LABEL_LEN: usize = 32;

/// The label of the first `-----BEGIN <label>-----` line. Only a label closed on the BEGIN
/// line itself, in upper-case letters, digits and spaces, counts: a malformed BEGIN line runs
/// into the key body, and the label is shown in error messages, which must never carry key
/// material.
fn first_label(pem: &str) -> Option<&str> {
    let start = pem.find("-----BEGIN ")?.checked_add("-----BEGIN ".len())?;
    let line = pem.get(start..)?.lines().next()?;
    let label = line.get(..line.find("-----")?)?;
    let plain = label.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ');
    (plain && !label.is_empty() && label.len() <= MAX_LABEL_LEN).then_some(label)
}

impl Key {
    /// A key from a PEM document: `PUBLIC KEY` (SPKI: RSA, EC P-256/384/521, Ed25519),
    /// `RSA PUBLIC KEY`, `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` or `EC PRIVATE KEY`.
    ///
    /// Documents over [`MAX_PEM_SIZE`] bytes, certificates, encrypted keys and other labels are
    /// `ERR_JWK_INVALID` (the size before any decoding); supported labels
    /// holding unsupported algorithms (X25519, Ed448, ...) are `ERR_JOSE_NOT_SUPPORTED`. If
    /// `alg` is given it must fit the key type and curve, else `ERR_JWK_INVALID`.
    pub fn from_pem(pem: &str, alg: Option<Alg>, kid: Option<String>) -> Result<Key> {
        if pem.len() > MAX_PEM_SIZE {
            return Err(jwk_invalid(format!("PEM is {} bytes, more than the {MAX_PEM_SIZE} allowed", pem.len())));
        }
        let pem = pem.trim();
        let label = first_label(pem).ok_or_else(|| {
            jwk_invalid("not a PEM document: expected a line like -----BEGIN PUBLIC KEY----- before the key")
        })?;
        let label_shown = label.to_owned();
        match label {
            "PUBLIC KEY" | "RSA PUBLIC KEY" | "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {}
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                return Err(jwk_invalid(format!(
                    "PEM label {label_shown} is not supported; pass the public key (SPKI, \"-----BEGIN PUBLIC KEY-----\"), e.g. from `openssl x509 -pubkey -noout`"
                )))
            }
            "ENCRYPTED PRIVATE KEY" => {
                return Err(jwk_invalid(
                    "encrypted private keys are not supported; decrypt it first, e.g. `openssl pkcs8 -topk8 -nocrypt`",
                ))
            }
            _ => {
                return Err(jwk_invalid(format!(
                    "PEM label {label_shown} is not supported; use PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
                )))
            }
        }
        let (_, der) = der::pem::decode_vec(pem.as_bytes()).map_err(|e| {
            let hint = if pem.contains("Proc-Type") || pem.contains("DEK-Info") {
                "; encrypted PEM is not supported, decrypt the key first"
            } else {
                ""
            };
            jwk_invalid(format!("malformed PEM ({label_shown}): {e}{hint}"))
        })?;
        let der = Zeroizing::new(der);
        let material = match label {
            "PUBLIC KEY" => spki(&der)?,
            "RSA PUBLIC KEY" => rsa_public_pkcs1(&der)?,
            "PRIVATE KEY" => pkcs8(&der)?,
            "RSA PRIVATE KEY" => rsa_private_pkcs1(&der)?,
            _ => ec_sec1_private(&der)?,
        };
        Key::new(material, alg, kid)
    }
}
