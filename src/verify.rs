//! Verification of a compact JWS JWT: header checks (algorithm allowlist, `crit`, `b64`, `typ`),
//! key selection, the signature, then the claims. Options are parsed once when the
//! [`Verifier`] is built; [`Verifier::verify`] only takes the token and the current time.

use crate::alg::{truncate, Alg, Family};
use crate::base64url;
use crate::claims::{check_now, ClaimOptions, ClaimOptionsInput};
use crate::crypto::SignatureBackend;
use crate::decode::{segment_text, segment_view, split, Segment, DEFAULT_MAX_TOKEN_SIZE};
use crate::error::{invalid_argument, jws_invalid, not_supported, Error, ErrorCode, Result};
use crate::json::view::{JsonView, ObjectView};
use crate::keys::{KeyOp, KeySet};
use serde_json::{Map, Value};

/// Header parameters defined by RFC 7515/7519 that `crit` must never list (RFC 7515 4.1.11).
const REGISTERED_HEADERS: [&str; 11] =
    ["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"];

/// Options for [`Verifier`]: the algorithm allowlist is required; there is no "any".
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    pub algorithms: Vec<Alg>,
    /// Required `typ`, compared as a media type (case-insensitive, `application/` optional).
    pub typ: Option<String>,
    pub max_token_size: usize,
    pub claims: ClaimOptions,
}

impl VerifyOptions {
    pub fn new(algorithms: Vec<Alg>) -> Self {
        VerifyOptions { algorithms, typ: None, max_token_size: DEFAULT_MAX_TOKEN_SIZE, claims: ClaimOptions::default() }
    }

    /// Parses the JSON form used by the JS API (`{"algorithms":["RS256"],"issuer":...}`).
    pub fn from_json(json: &str) -> Result<Self> {
        let mut map: Map<String, Value> =
            serde_json::from_str(json).map_err(|e| invalid_argument(format!("invalid verify options: {e}")))?;
        let algorithms = match map.remove("algorithms") {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|v| match v.as_str() {
                    Some(name) if name.eq_ignore_ascii_case("none") => {
                        Err(invalid_argument("the \"none\" algorithm is never accepted"))
                    }
                    Some(name) => Alg::parse(name).map_err(|e| invalid_argument(e.to_string())),
                    None => Err(invalid_argument("algorithms must be strings")),
                })
                .collect::<Result<Vec<_>>>()?,
            _ => {
                return Err(invalid_argument(
                    "options.algorithms is required: list the algorithms you accept, e.g. [\"RS256\"]",
                ))
            }
        };
        let typ = match map.remove("typ") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => return Err(invalid_argument("typ must be a string")),
        };
        let max_token_size = match map.remove("maxTokenSize") {
            None | Some(Value::Null) => DEFAULT_MAX_TOKEN_SIZE,
            Some(v) => v
                .as_u64()
                .filter(|n| *n > 0)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| invalid_argument("maxTokenSize must be a positive whole number of bytes"))?,
        };
        let claims: ClaimOptionsInput = serde_json::from_value(Value::Object(map))
            .map_err(|e| invalid_argument(format!("invalid verify options: {e}")))?;
        let mut options = VerifyOptions::new(algorithms);
        options.typ = typ;
        options.max_token_size = max_token_size;
        options.claims = ClaimOptions::from_input(claims)?;
        Ok(options)
    }
}

/// A verified token: the JSON text of its header and payload exactly as signed (so a binding
/// can hand claims on without serialising them again), and each parsed on request.
#[derive(Clone, Debug)]
pub struct Verified {
    pub header_json: String,
    pub payload_json: String,
}

impl Verified {
    /// The header as a `serde_json` map.
    pub fn header(&self) -> Map<String, Value> {
        reparse(&self.header_json)
    }

    /// The claims as a `serde_json` map.
    pub fn payload(&self) -> Map<String, Value> {
        reparse(&self.payload_json)
    }
}

/// Parses a segment verification has already parsed under the same strict rules, so it cannot
/// fail; an empty map stands in for the impossible error rather than a panic.
fn reparse(json: &str) -> Map<String, Value> {
    crate::json::parse_object(json.as_bytes()).unwrap_or_default()
}

/// Verifies tokens against a fixed key set and options.
#[derive(Clone, Debug)]
pub struct Verifier {
    keys: KeySet,
    options: VerifyOptions,
}

impl Verifier {
    /// A verifier over `keys`; refuses an HMAC secret too short for every allowed algorithm.
    pub fn new(keys: KeySet, options: VerifyOptions) -> Result<Self> {
        if options.algorithms.is_empty() {
            return Err(invalid_argument("at least one algorithm must be allowed"));
        }
        options.claims.validate()?;
        check_secrets(&keys, &options.algorithms)?;
        check_some_key_verifies(&keys)?;
        Ok(Verifier { keys, options })
    }

    /// Replaces the key set, keeping the options: for key sets that change at run time (a
    /// remote JWKS refetched after rotation). The new set passes the same checks as in `new`.
    pub fn set_keys(&mut self, keys: KeySet) -> Result<()> {
        check_secrets(&keys, &self.options.algorithms)?;
        self.keys = keys;
        Ok(())
    }

    pub fn keys(&self) -> &KeySet {
        &self.keys
    }

    /// Verifies `token` at time `now` (epoch seconds). The signature is checked before the
    /// payload is parsed, so a forged token costs no JSON work and learns nothing from claim errors.
    pub fn verify(&self, token: &str, now: f64) -> Result<Verified> {
        self.verify_with(token, now, crate::crypto::backend())
    }

    /// [`Verifier::verify`] with the signature checked by `backend` (a host-native one, say);
    /// every other check, and their order, stays here.
    ///
    /// A `now` that is NaN or infinite is `InvalidArgument`, before the token is read: such a
    /// time would pass every time check.
    pub fn verify_with(&self, token: &str, now: f64, backend: &dyn SignatureBackend) -> Result<Verified> {
        check_now(now)?;
        let parts = split(token, self.options.max_token_size)?;
        let header_json = segment_text(parts.header, Segment::Header)?;
        let header = segment_view(&header_json, Segment::Header)?;
        check_not_jwe(&header)?;
        let alg = self.allowed_alg(&header)?;
        check_extensions(&header)?;
        if let Some(expected) = &self.options.typ {
            check_typ(&header, expected)?;
        }
        let kid = match header.get("kid") {
            None => None,
            Some(JsonView::String(kid)) => Some(kid.as_ref()),
            Some(_) => return Err(jws_invalid("header \"kid\" must be a string")),
        };
        let key = self.keys.select(alg, kid)?;
        let signature = match base64url::decode(parts.signature) {
            Some(sig) if !sig.is_empty() => sig,
            Some(_) => return Err(jws_invalid("the token has no signature; unsigned tokens are never accepted")),
            None => return Err(jws_invalid("the signature is not valid base64url")),
        };
        key.verify_with(backend, alg, parts.signing_input.as_bytes(), &signature)?;
        let payload_json = segment_text(parts.payload, Segment::Payload)?;
        self.options.claims.check(&segment_view(&payload_json, Segment::Payload)?, now)?;
        drop(header);
        Ok(Verified { header_json, payload_json })
    }

    /// The header's `alg`, if it is on the allowlist. Checked against the allowlist as text
    /// first, so every spelling of `none` fails the same way as any other unlisted algorithm.
    fn allowed_alg(&self, header: &ObjectView<'_>) -> Result<Alg> {
        let name = match header.get("alg") {
            Some(JsonView::String(name)) => name.as_ref(),
            Some(_) => return Err(jws_invalid("header \"alg\" must be a string")),
            None => return Err(jws_invalid("header has no \"alg\"")),
        };
        self.options.algorithms.iter().copied().find(|a| a.as_str() == name).ok_or_else(|| {
            let allowed: Vec<&str> = self.options.algorithms.iter().map(|a| a.as_str()).collect();
            Error::new(
                ErrorCode::AlgNotAllowed,
                format!("algorithm {:?} is not allowed (allowed: {})", truncate(name, 32), allowed.join(", ")),
            )
        })
    }
}

/// Refuses, up front, an HMAC secret that no allowed HMAC algorithm can use (shorter than the
/// hash output, RFC 7518 3.2): a misconfiguration should fail at start-up, not on the first
/// request.
fn check_secrets(keys: &KeySet, algorithms: &[Alg]) -> Result<()> {
    let hmac_algs: Vec<Alg> = algorithms.iter().copied().filter(|a| a.family() == Family::Hmac).collect();
    for key in keys.keys().iter().filter(|k| k.kty() == "oct") {
        let errors: Vec<Error> = hmac_algs.iter().filter_map(|a| key.check_use(*a).err()).collect();
        // Refused only when no allowed HMAC algorithm can use it, and a length rule is why.
        if errors.len() == hmac_algs.len() {
            if let Some(e) = errors.into_iter().find(|e| e.code() == ErrorCode::JwkInvalid) {
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Refuses, up front, a set whose every key is marked by its `use` or `key_ops` for something
/// other than verifying (a single `"key_ops": ["sign"]` key, say): such a verifier could never
/// accept a token. Not applied to [`Verifier::set_keys`], whose sets arrive at run time.
fn check_some_key_verifies(keys: &KeySet) -> Result<()> {
    let mut refusals = keys.keys().iter().map(|k| k.usage_misfit(KeyOp::Verify));
    match refusals.next() {
        Some(Some(first)) if refusals.all(|r| r.is_some()) => Err(Error::new(
            ErrorCode::JwkInvalid,
            format!(
                "no key given to this verifier may verify: {}; use the public key's JWK without \"key_ops\" (or with \"verify\") and with \"use\" absent or \"sig\"",
                first.message()
            ),
        )),
        _ => Ok(()),
    }
}

/// A header with `enc` is a JWE's (RFC 7516 9: "if the enc member exists, it is a JWE"), even
/// in three segments: never read as a JWS, whatever its `alg` (issue 13). `jose` checks only
/// `alg` here; refusing is stricter, and encrypted tokens are not supported at all.
fn check_not_jwe(header: &ObjectView<'_>) -> Result<()> {
    if header.contains_key("enc") {
        return Err(jws_invalid(
            "the header has \"enc\", so this is a JWE (an encrypted token, RFC 7516), not a JWS; \
             encrypted tokens are not supported, only signed ones",
        ));
    }
    Ok(())
}

/// `crit` (RFC 7515 4.1.11) and `b64` (RFC 7797): we implement no extension, so any critical
/// extension is refused, and so is an unencoded payload.
fn check_extensions(header: &ObjectView<'_>) -> Result<()> {
    if let Some(crit) = header.get("crit") {
        let names = match crit {
            JsonView::Array(names) if !names.is_empty() => names,
            _ => return Err(jws_invalid("header \"crit\" must be a non-empty array of names")),
        };
        for name in names {
            let name = name.as_str().ok_or_else(|| jws_invalid("header \"crit\" must list strings"))?;
            if REGISTERED_HEADERS.contains(&name) {
                return Err(jws_invalid(format!("header \"crit\" must not list the registered parameter {name:?}")));
            }
            if !header.contains_key(name) {
                return Err(jws_invalid(format!("header \"crit\" lists {:?}, which is absent", truncate(name, 32))));
            }
        }
        let first = names.first().and_then(JsonView::as_str).unwrap_or_default();
        return Err(not_supported(format!("critical header extension {:?} is not supported", truncate(first, 32))));
    }
    match header.get("b64") {
        None | Some(JsonView::Bool(true)) => Ok(()),
        Some(_) => Err(not_supported("unencoded payloads (\"b64\": false, RFC 7797) are not supported")),
    }
}

/// Compares `typ` as a media type (RFC 7515 4.1.9): case-insensitive, "application/" optional.
fn check_typ(header: &ObjectView<'_>, expected: &str) -> Result<()> {
    let normalise = |t: &str| {
        let lower = t.to_ascii_lowercase();
        match lower.strip_prefix("application/") {
            Some(rest) if !rest.contains('/') => rest.to_owned(),
            _ => lower,
        }
    };
    let ok = matches!(header.get("typ"), Some(JsonView::String(t)) if normalise(t) == normalise(expected));
    if ok {
        Ok(())
    } else {
        Err(Error::claim(
            ErrorCode::ClaimValidationFailed,
            "typ",
            "check_failed",
            format!("unexpected token type (header \"typ\" must be {expected:?})"),
        ))
    }
}
