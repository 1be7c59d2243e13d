//! Key sets (RFC 7517 section 5) and key selection. Selection is exact: among the keys that
//! fit the token's `alg` (and match its `kid`, when it has one) there must be exactly one, so
//! a token can never pick between keys. A local set may hold `oct` secrets (HMAC key
//! rotation, as `jose` allows); they are never written on output, and a set fetched from the
//! network is expected to hold public keys only (its loader filters secrets out).

use super::{Key, KeyOp};
use crate::alg::{truncate, Alg};
use crate::error::{Error, ErrorCode, Result};
use serde_json::{Map, Value};

/// The most keys a JWKS may hold; larger documents are refused as a resource-exhaustion guard.
pub const MAX_JWKS_KEYS: usize = 100;

/// The largest JWKS text accepted, in bytes, checked before parsing. Real sets are a few KiB
/// (20 KiB with certificate chains); 100 keys of 4096 bits with `x5c` chains fit.
pub const MAX_JWKS_SIZE: usize = 256 * 1024;

/// An ordered set of keys.
#[derive(Clone, Debug, Default)]
pub struct KeySet {
    keys: Vec<Key>,
    skipped: usize,
    /// The user gave one key, not a set (see [`KeySet::single`]).
    alone: bool,
}

fn jwks_invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::JwksInvalid, message)
}

impl KeySet {
    /// A set of the given keys (any type, HMAC secrets included).
    pub fn new(keys: Vec<Key>) -> KeySet {
        KeySet { keys, skipped: 0, alone: false }
    }

    /// The one key a user gave on its own (a key or one JWK, not a set). Such a key without a
    /// `kid` verifies whatever `kid` the token carries, as `jose` and `jsonwebtoken` do: the
    /// user named no key to choose between, and providers put a `kid` in every token. A key
    /// with a `kid` must still match it; the family, curve and `alg` binding apply as always.
    pub fn single(key: Key) -> KeySet {
        KeySet { keys: vec![key], skipped: 0, alone: true }
    }

    /// Whether this is a key given alone ([`KeySet::single`]).
    pub fn is_single(&self) -> bool {
        self.alone && self.keys.len() == 1
    }

    /// Adds one key to the set (which is then a set, no longer a key given alone).
    pub fn push(&mut self, key: Key) {
        self.alone = false;
        self.keys.push(key);
    }

    /// A set from a parsed JWKS: an object whose `keys` member is an array of at most
    /// [`MAX_JWKS_KEYS`] objects, else `ERR_JWKS_INVALID`. Members that are malformed or
    /// unsupported are skipped and counted in [`KeySet::skipped`], as `jose` does; nothing
    /// about them is kept.
    pub fn from_jwks(jwks: &Value) -> Result<KeySet> {
        let obj = jwks.as_object().ok_or_else(|| jwks_invalid("a JWKS must be a JSON object"))?;
        let keys = match obj.get("keys") {
            Some(Value::Array(keys)) => keys,
            Some(_) => return Err(jwks_invalid("JWKS member \"keys\" must be an array")),
            None => return Err(jwks_invalid("JWKS is missing the \"keys\" array")),
        };
        if keys.len() > MAX_JWKS_KEYS {
            return Err(jwks_invalid(format!("JWKS has {} keys; at most {MAX_JWKS_KEYS} are accepted", keys.len())));
        }
        let mut set = KeySet::default();
        for entry in keys {
            let jwk =
                entry.as_object().ok_or_else(|| jwks_invalid("every member of JWKS \"keys\" must be an object"))?;
            match Key::from_jwk(jwk) {
                Ok(key) => set.keys.push(key),
                Err(_) => set.skipped = set.skipped.saturating_add(1),
            }
        }
        Ok(set)
    }

    /// A set from a `{ "<kid>": "<PEM certificate>" }` document, the form in which Google
    /// publishes the keys of Firebase ID tokens (and its OAuth 2 `v1/certs`): each member's name
    /// becomes the `kid` of its certificate's public key. Only the key is taken from each
    /// certificate; its chain, dates and extensions are not checked. At most [`MAX_JWKS_KEYS`]
    /// members, each a string, else `ERR_JWKS_INVALID`; certificates that are malformed or hold
    /// an unsupported key are skipped and counted in [`KeySet::skipped`], as for a JWKS.
    pub fn from_x509_map(document: &Value) -> Result<KeySet> {
        let obj = document.as_object().ok_or_else(|| {
            jwks_invalid("a certificate map must be a JSON object { \"<kid>\": \"<PEM certificate>\" }")
        })?;
        if obj.len() > MAX_JWKS_KEYS {
            return Err(jwks_invalid(format!(
                "the certificate map has {} members; at most {MAX_JWKS_KEYS} are accepted",
                obj.len()
            )));
        }
        let mut set = KeySet::default();
        for (kid, pem) in obj {
            let pem = pem.as_str().ok_or_else(|| {
                jwks_invalid(format!(
                    "member {:?} of the certificate map is not a string; each value must be a PEM certificate",
                    truncate(kid, 64)
                ))
            })?;
            match Key::from_certificate_pem(pem, Some(kid.clone())) {
                Ok(key) => set.keys.push(key),
                Err(_) => set.skipped = set.skipped.saturating_add(1),
            }
        }
        Ok(set)
    }

    /// [`KeySet::from_x509_map`] from JSON text of at most [`MAX_JWKS_SIZE`] bytes.
    pub fn from_x509_map_json(json: &str) -> Result<KeySet> {
        let value = parse_document(json, "certificate map")?;
        KeySet::from_x509_map(&value)
    }

    /// A key set as an issuer publishes it at a URL: a JWKS (`{"keys": [...]}`), or a map of
    /// key ids to PEM certificates (see [`KeySet::from_x509_map`]), told apart by the `keys`
    /// member. Secrets are dropped (see [`KeySet::without_secrets`]).
    pub fn from_published_json(json: &str) -> Result<KeySet> {
        let mut value = parse_document(json, "JWKS")?;
        let is_certificate_map = value.as_object().is_some_and(|obj| {
            !obj.contains_key("keys")
                && !obj.is_empty()
                && obj.values().all(|v| v.as_str().is_some_and(|s| s.contains("-----BEGIN CERTIFICATE-----")))
        });
        let set = if is_certificate_map { KeySet::from_x509_map(&value) } else { KeySet::from_jwks(&value) };
        super::jwk::wipe_strings(&mut value);
        match set {
            Err(e) if e.code() == ErrorCode::JwksInvalid && !is_certificate_map => Err(jwks_invalid(format!(
                "{}; a key set document is either a JWKS {{\"keys\": [...]}} or a map {{\"<kid>\": \"-----BEGIN CERTIFICATE-----...\"}}",
                e.message()
            ))),
            other => other.map(KeySet::without_secrets),
        }
    }

    /// The same set without its `oct` secrets, each counted in [`KeySet::skipped`]. For a JWKS
    /// fetched over the network: a secret anyone can download is no secret, and an HMAC key in
    /// a remote set would let whoever controls that document mint tokens.
    pub fn without_secrets(mut self) -> KeySet {
        let before = self.keys.len();
        self.keys.retain(|k| k.kty() != "oct");
        self.skipped = self.skipped.saturating_add(before - self.keys.len());
        self
    }

    /// A set from JWKS JSON text of at most [`MAX_JWKS_SIZE`] bytes; see [`KeySet::from_jwks`].
    /// The parsed copy is wiped afterwards (a local set may hold secrets).
    pub fn from_jwks_json(json: &str) -> Result<KeySet> {
        let mut value = parse_document(json, "JWKS")?;
        let set = KeySet::from_jwks(&value);
        super::jwk::wipe_strings(&mut value);
        set
    }

    /// The number of keys in the set.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set has no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys, in input order.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// How many JWKS members [`KeySet::from_jwks`] skipped (malformed, unsupported or `oct`).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The one key that may verify `alg` and, if `kid` is given, has that `kid`. A key whose
    /// `use` or `key_ops` forbid verifying is never a candidate (see [`Key::fits`]).
    ///
    /// None is `ERR_JWKS_NO_MATCHING_KEY`; more than one is `ERR_JWKS_MULTIPLE_MATCHING_KEYS`.
    pub fn select(&self, alg: Alg, kid: Option<&str>) -> Result<&Key> {
        if let (true, [key]) = (self.is_single(), self.keys.as_slice()) {
            return select_alone(key, alg, kid);
        }
        let named = |k: &&Key| kid.is_none_or(|want| k.kid() == Some(want));
        let mut candidates = self.keys.iter().filter(named).filter(|k| k.fits(alg));
        let first = candidates.next();
        let extra = candidates.count();
        let what = match kid {
            Some(kid) => format!("kid {:?} and alg {alg}", truncate(kid, 64)),
            None => format!("alg {alg}"),
        };
        match (first, extra) {
            (Some(key), 0) => Ok(key),
            (None, _) => {
                // Say so when a key would have matched but for its `use` or `key_ops`: the set
                // is then misconfigured (or meant for another purpose), not merely rotated.
                let excluded = self
                    .keys
                    .iter()
                    .filter(named)
                    .filter(|k| k.type_fits(alg))
                    .find_map(|k| k.usage_misfit(KeyOp::Verify));
                let why = match excluded {
                    Some(e) => format!(" ({})", e.message()),
                    // No key has the token's kid: the kid is the problem, not the key types.
                    None if !self.keys.iter().any(|k| named(&k)) && kid.is_some() => String::new(),
                    None => format!(
                        ": {}, none of which can verify {alg}; check options.algorithms or the keys",
                        self.summary()
                    ),
                };
                Err(Error::new(ErrorCode::JwksNoMatchingKey, format!("no key in the set matches {what}{why}")))
            }
            (Some(_), n) => Err(Error::new(
                ErrorCode::JwksMultipleMatchingKeys,
                format!("{} keys in the set match {what}; give each key a distinct kid", n.saturating_add(1)),
            )),
        }
    }

    /// How many keys the set has and of which types, briefly: "the set has 3 keys (2 RSA, 1 EC
    /// P-256)", or "the set is empty".
    fn summary(&self) -> String {
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for key in &self.keys {
            let kind = key.material().kind_name();
            match kinds.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => *n = n.saturating_add(1),
                None => kinds.push((kind, 1)),
            }
        }
        let listed: Vec<String> = kinds.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
        match self.keys.len() {
            0 => "the set is empty".to_owned(),
            1 => format!("the set has 1 key ({})", listed.join(", ")),
            n => format!("the set has {n} keys ({})", listed.join(", ")),
        }
    }

    /// The public JWKS `{"keys": [...]}` of the asymmetric keys (secrets are left out).
    pub fn to_jwks(&self) -> Result<Value> {
        let mut out = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            if key.kty() == "oct" {
                continue;
            }
            out.push(Value::Object(key.to_public_jwk()?));
        }
        let mut obj = Map::new();
        obj.insert("keys".into(), Value::Array(out));
        Ok(Value::Object(obj))
    }
}

/// A key set document's JSON text, parsed, if it is at most [`MAX_JWKS_SIZE`] bytes.
fn parse_document(json: &str, what: &str) -> Result<Value> {
    if json.len() > MAX_JWKS_SIZE {
        return Err(jwks_invalid(format!("{what} is {} bytes, more than the {MAX_JWKS_SIZE} allowed", json.len())));
    }
    serde_json::from_str(json).map_err(|e| jwks_invalid(format!("{what} is not valid JSON: {e}")))
}

/// [`KeySet::select`] for a key given alone: the token's `kid` matters only if the key has one.
fn select_alone<'a>(key: &'a Key, alg: Alg, kid: Option<&str>) -> Result<&'a Key> {
    if let (Some(want), Some(own)) = (kid, key.kid()) {
        if want != own {
            return Err(Error::new(
                ErrorCode::JwksNoMatchingKey,
                format!("the token's kid {:?} is not this key's kid {:?}", truncate(want, 64), truncate(own, 64)),
            ));
        }
    }
    let no_match = |m: String| Err(Error::new(ErrorCode::JwksNoMatchingKey, m));
    let material = key.material();
    if !material.supports(alg) {
        let can: Vec<&str> = Alg::ALL.iter().filter(|a| material.supports(**a)).map(|a| a.as_str()).collect();
        let kind = material.kind_name();
        return no_match(format!(
            "the key is {} {kind} key, which cannot verify {alg} (it can verify {}); check options.algorithms or the key",
            crate::crypto::article(kind),
            can.join(", ")
        ));
    }
    match key.misfit(alg, KeyOp::Verify) {
        None => Ok(key),
        Some(why) => {
            no_match(format!("the key cannot verify {alg}: {}; check options.algorithms or the key", why.message()))
        }
    }
}
