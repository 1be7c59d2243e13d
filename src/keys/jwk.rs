//! JWK input and output (RFC 7517, RFC 7518 section 6, RFC 8037). Members are type-checked
//! strictly (a wrong JSON type is `ERR_JWK_INVALID`), binary members use strict base64url,
//! and public output never contains a private member.

use super::{pem, x509, Key};
use crate::alg::{truncate, Alg};
use crate::base64url;
use crate::crypto::{Curve, KeyMaterial, PublicParts};
use crate::error::{jwk_invalid, not_supported, Result};
use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

type Jwk = Map<String, Value>;

/// An optional string member; any other JSON type is an error.
fn opt_str<'a>(jwk: &'a Jwk, name: &str) -> Result<Option<&'a str>> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(jwk_invalid(format!("JWK member \"{name}\" must be a string"))),
    }
}

fn req_str<'a>(jwk: &'a Jwk, name: &str) -> Result<&'a str> {
    opt_str(jwk, name)?.ok_or_else(|| jwk_invalid(format!("JWK is missing \"{name}\"")))
}

/// An optional base64url member, decoded into wiping memory (it may be private).
fn opt_bytes(jwk: &Jwk, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
    match opt_str(jwk, name)? {
        None => Ok(None),
        Some(s) => base64url::decode(s)
            .map(|b| Some(Zeroizing::new(b)))
            .ok_or_else(|| jwk_invalid(format!("JWK member \"{name}\" is not valid base64url"))),
    }
}

fn req_bytes(jwk: &Jwk, name: &str) -> Result<Zeroizing<Vec<u8>>> {
    opt_bytes(jwk, name)?.ok_or_else(|| jwk_invalid(format!("JWK is missing \"{name}\"")))
}

/// Wipes every string of parsed JWK or JWKS JSON before it is dropped: the text of a private
/// key holds `d`, `p`, `q`, `k`... and `serde_json::Value` does not wipe itself. Recursion is
/// bounded by serde_json's own nesting limit (128).
pub(super) fn wipe_strings(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe_strings),
        Value::Object(members) => members.values_mut().for_each(wipe_strings),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn key_ops(jwk: &Jwk) -> Result<Option<Vec<String>>> {
    match jwk.get("key_ops") {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                _ => Err(jwk_invalid("JWK member \"key_ops\" must be an array of strings")),
            })
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(_) => Err(jwk_invalid("JWK member \"key_ops\" must be an array of strings")),
    }
}

fn rsa_material(jwk: &Jwk) -> Result<KeyMaterial> {
    let n = req_bytes(jwk, "n")?;
    let e = req_bytes(jwk, "e")?;
    if jwk.contains_key("oth") {
        return Err(not_supported("multi-prime RSA keys (\"oth\") are not supported"));
    }
    let d = opt_bytes(jwk, "d")?;
    let p = opt_bytes(jwk, "p")?;
    let q = opt_bytes(jwk, "q")?;
    // The CRT members are recomputed from p and q; they must still be well-formed if present.
    for name in ["dp", "dq", "qi"] {
        opt_bytes(jwk, name)?;
    }
    match (d, p, q) {
        (None, None, None) => KeyMaterial::rsa_public(&n, &e),
        (Some(d), Some(p), Some(q)) => KeyMaterial::rsa_private(&n, &e, &d, &p, &q),
        _ => Err(jwk_invalid("an RSA private JWK needs \"d\", \"p\" and \"q\"")),
    }
}

fn ec_material(jwk: &Jwk) -> Result<KeyMaterial> {
    let crv = req_str(jwk, "crv")?;
    let curve = Curve::from_name(crv).ok_or_else(|| {
        not_supported(format!("EC curve {:?} is not supported; use P-256, P-384 or P-521", truncate(crv, 32)))
    })?;
    let x = req_bytes(jwk, "x")?;
    let y = req_bytes(jwk, "y")?;
    // Validates lengths and that the point is on the curve, even when d is present.
    let public = KeyMaterial::ec_public_xy(curve, &x, &y)?;
    match opt_bytes(jwk, "d")? {
        None => Ok(public),
        Some(d) => {
            // The slim core without a synchronous host cannot compute the point from d: it keeps
            // the given one (KeyMaterial::ec_private_with_public says why that is safe).
            #[cfg(not(feature = "wasm-asym"))]
            if crate::crypto::hostcall::host().is_none() {
                return KeyMaterial::ec_private_with_public(curve, &d, public);
            }
            let private = KeyMaterial::ec_private(curve, &d)?;
            if private.public_parts() != public.public_parts() {
                return Err(jwk_invalid("EC private key \"d\" does not match \"x\" and \"y\""));
            }
            Ok(private)
        }
    }
}

fn okp_material(jwk: &Jwk) -> Result<KeyMaterial> {
    let crv = req_str(jwk, "crv")?;
    if crv != "Ed25519" {
        return Err(not_supported(format!(
            "OKP curve {:?} is not supported; only Ed25519 signs JWS here",
            truncate(crv, 32)
        )));
    }
    let x = req_bytes(jwk, "x")?;
    let public = KeyMaterial::ed25519_public(&x)?;
    match opt_bytes(jwk, "d")? {
        None => Ok(public),
        Some(d) => {
            // As for EC keys above.
            #[cfg(not(feature = "wasm-asym"))]
            if crate::crypto::hostcall::host().is_none() {
                return KeyMaterial::ed25519_private_with_public(&d, public);
            }
            let private = KeyMaterial::ed25519_private(&d)?;
            if private.public_parts() != public.public_parts() {
                return Err(jwk_invalid("Ed25519 private key \"d\" does not match \"x\""));
            }
            Ok(private)
        }
    }
}

/// The key of the first certificate of the JWK's `x5c` (RFC 7517 4.7: standard base64 DER),
/// if it has that member. The rest of the chain is not read: nothing about the certificates is
/// checked but the key's own form (see [`x509`]).
fn x5c_material(jwk: &Jwk) -> Result<Option<KeyMaterial>> {
    let Some(value) = jwk.get("x5c") else { return Ok(None) };
    let bad = || jwk_invalid("JWK member \"x5c\" must be a non-empty array of base64 (not base64url) certificates");
    let Value::Array(items) = value else { return Err(bad()) };
    if !items.iter().all(Value::is_string) {
        return Err(bad());
    }
    let first = items.first().and_then(Value::as_str).ok_or_else(bad)?;
    let der = pem::base64_decode(first).ok_or_else(bad)?;
    x509::certificate_public_key(&der).map(Some)
}

/// The material of a JWK of type `kty`: from its own members (`own`, named in `members`), or,
/// when it has none of them, from the certificate in its `x5c`. When it has both they must
/// hold the same public key: a JWK that says two things is refused, not read one way.
fn with_x5c(
    jwk: &Jwk,
    kty: &str,
    members: &[&str],
    own: impl FnOnce(&Jwk) -> Result<KeyMaterial>,
) -> Result<KeyMaterial> {
    let Some(cert) = x5c_material(jwk)? else { return own(jwk) };
    if cert.kty() != kty {
        let kind = cert.kind_name();
        return Err(jwk_invalid(format!(
            "the JWK's kty is {kty} but its x5c certificate holds {} {kind} key",
            crate::crypto::article(kind)
        )));
    }
    if !members.iter().any(|m| jwk.contains_key(*m)) {
        let cert_crv = match cert.curve() {
            Some(curve) => curve.name(),
            None => "Ed25519",
        };
        match opt_str(jwk, "crv")? {
            Some(crv) if kty != "RSA" && crv != cert_crv => Err(jwk_invalid(format!(
                "the JWK's crv is {:?} but its x5c certificate holds a {cert_crv} key",
                truncate(crv, 32)
            ))),
            _ => Ok(cert),
        }
    } else {
        let material = own(jwk)?;
        if material.public_parts() != cert.public_parts() {
            return Err(jwk_invalid("the JWK's key is not the key of its x5c certificate; they must agree"));
        }
        Ok(material)
    }
}

impl Key {
    /// A key from a parsed JWK object: `kty` RSA, EC (P-256/384/521), OKP (Ed25519) or oct,
    /// with optional `kid`, `alg` (must fit the key), `use` and `key_ops`.
    ///
    /// A JWK with `x5c` and no key members of its own (`n`/`e`, `x`/`y`) takes its key from the
    /// first certificate; one with both must hold the same key in each, else `ERR_JWK_INVALID`.
    /// Nothing about the certificate but its key is checked (not its chain, dates or extensions).
    ///
    /// Malformed members are `ERR_JWK_INVALID`; unsupported key types, curves and algorithms
    /// (X25519, Ed448, `"alg": "RSA-OAEP"`, ...) are `ERR_JOSE_NOT_SUPPORTED`.
    pub fn from_jwk(jwk: &Map<String, Value>) -> Result<Key> {
        let kty = req_str(jwk, "kty")?;
        let kid = opt_str(jwk, "kid")?.map(str::to_owned);
        let alg = opt_str(jwk, "alg")?.map(Alg::parse).transpose()?;
        let key_use = opt_str(jwk, "use")?.map(str::to_owned);
        let key_ops = key_ops(jwk)?;
        let mut key = match kty {
            "RSA" => Key::new(with_x5c(jwk, kty, &["n", "e", "d", "p", "q"], rsa_material)?, alg, kid)?,
            "EC" => Key::new(with_x5c(jwk, kty, &["x", "y", "d"], ec_material)?, alg, kid)?,
            "OKP" => Key::new(with_x5c(jwk, kty, &["x", "d"], okp_material)?, alg, kid)?,
            "oct" if jwk.contains_key("x5c") => {
                return Err(jwk_invalid("an oct (secret) JWK cannot carry an x5c certificate"))
            }
            "oct" => {
                let k = req_bytes(jwk, "k")?;
                Key::from_secret(&k, alg, kid)?
            }
            other => return Err(not_supported(format!("JWK kty {:?} is not supported", truncate(other, 32)))),
        };
        key.key_use = key_use;
        key.key_ops = key_ops;
        Ok(key)
    }

    /// A key from JWK JSON text; see [`Key::from_jwk`]. The parsed copy is wiped afterwards.
    pub fn from_jwk_json(json: &str) -> Result<Key> {
        let mut value: Value =
            serde_json::from_str(json).map_err(|e| jwk_invalid(format!("JWK is not valid JSON: {e}")))?;
        let key = match &value {
            Value::Object(map) => Key::from_jwk(map),
            _ => Err(jwk_invalid("a JWK must be a JSON object")),
        };
        wipe_strings(&mut value);
        key
    }

    /// The public JWK: RSA `{kty,n,e}`, EC `{kty,crv,x,y}`, OKP `{kty,crv,x}`, plus `kid`,
    /// `alg` and `use` when set. Private keys give their public half; a secret has no public
    /// form (`ERR_JOSE_NOT_SUPPORTED`).
    pub fn to_public_jwk(&self) -> Result<Map<String, Value>> {
        let parts = self.material.public_parts().ok_or_else(|| not_supported("a secret key has no public form"))?;
        let mut jwk = Map::new();
        let s = |v: &str| Value::String(v.to_owned());
        let b = |v: &[u8]| Value::String(base64url::encode(v));
        match parts {
            PublicParts::Rsa { n, e } => {
                jwk.insert("kty".into(), s("RSA"));
                jwk.insert("n".into(), b(&n));
                jwk.insert("e".into(), b(&e));
            }
            PublicParts::Ec { curve, x, y } => {
                jwk.insert("kty".into(), s("EC"));
                jwk.insert("crv".into(), s(curve.name()));
                jwk.insert("x".into(), b(&x));
                jwk.insert("y".into(), b(&y));
            }
            PublicParts::Ed25519 { x } => {
                jwk.insert("kty".into(), s("OKP"));
                jwk.insert("crv".into(), s("Ed25519"));
                jwk.insert("x".into(), b(&x));
            }
        }
        if let Some(kid) = &self.kid {
            jwk.insert("kid".into(), s(kid));
        }
        if let Some(alg) = self.alg {
            jwk.insert("alg".into(), s(alg.as_str()));
        }
        if let Some(u) = &self.key_use {
            jwk.insert("use".into(), s(u));
        }
        Ok(jwk)
    }
}
