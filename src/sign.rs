//! Issuing tokens: a [`Signer`] holds a private or secret key and the issuer's defaults
//! (algorithm, `kid`, `typ`, `iss`, `aud`, lifetime, random `jti`) and turns claims into a
//! compact JWS. Registered claims the signer manages cannot be set by accident in `claims`.

use crate::alg::Alg;
use crate::base64url;
use crate::claims::OneOrMany;
use crate::duration::{DurationInput, MAX_SECONDS};
use crate::error::{invalid_argument, Result};
use crate::keys::{Key, KeyOp};
use crate::random;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Default token lifetime: 15 minutes.
pub const DEFAULT_EXPIRES_IN: f64 = 900.0;
/// Bytes of randomness in a generated `jti` (128 bits).
pub const JTI_BYTES: usize = 16;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SignerOptionsInput {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
    issuer: Option<String>,
    audience: Option<OneOrMany>,
    expires_in: Option<DurationInput>,
    not_before: Option<DurationInput>,
    jti: Option<bool>,
}

/// What a [`Signer`] puts in every token.
#[derive(Clone, Debug)]
pub struct SignerOptions {
    pub alg: Alg,
    pub kid: Option<String>,
    pub typ: String,
    pub issuer: Option<String>,
    pub audience: Option<OneOrMany>,
    /// Seconds from `iat` to `exp`.
    pub expires_in: f64,
    /// Seconds from `iat` to `nbf`, when set.
    pub not_before: Option<f64>,
    /// Add a random 128-bit `jti` to every token.
    pub jti: bool,
}

impl SignerOptions {
    pub fn new(alg: Alg) -> Self {
        SignerOptions {
            alg,
            kid: None,
            typ: "JWT".to_owned(),
            issuer: None,
            audience: None,
            expires_in: DEFAULT_EXPIRES_IN,
            not_before: None,
            jti: true,
        }
    }

    /// Parses the JSON form used by the JS API.
    pub fn from_json(json: &str) -> Result<Self> {
        let input: SignerOptionsInput =
            serde_json::from_str(json).map_err(|e| invalid_argument(format!("invalid signer options: {e}")))?;
        let alg = Alg::parse(&input.alg).map_err(|e| invalid_argument(e.to_string()))?;
        let mut options = SignerOptions::new(alg);
        options.kid = input.kid;
        if let Some(typ) = input.typ {
            options.typ = typ;
        }
        options.issuer = input.issuer;
        options.audience = input.audience;
        if let Some(d) = input.expires_in {
            options.expires_in = d.seconds("expiresIn")?;
        }
        options.not_before = input.not_before.map(|d| d.seconds("notBefore")).transpose()?;
        options.jti = input.jti.unwrap_or(true);
        Ok(options)
    }
}

/// Per-token changes to a signer's defaults.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignOverrides {
    pub expires_in: Option<DurationInput>,
    pub subject: Option<String>,
}

/// Signs tokens with one key.
#[derive(Clone, Debug)]
pub struct Signer {
    key: Key,
    options: SignerOptions,
}

impl Signer {
    /// Checks up front that the key can sign with the algorithm, so misconfiguration fails at
    /// start-up rather than on the first request.
    pub fn new(key: Key, options: SignerOptions) -> Result<Self> {
        // The options' fields are public: a NaN or infinite lifetime must not reach a token.
        check_seconds(options.expires_in, "expiresIn")?;
        if let Some(nbf) = options.not_before {
            check_seconds(nbf, "notBefore")?;
        }
        if key.kty() != "oct" && !key.is_private() {
            return Err(invalid_argument("a Signer needs a private key; this is a public key"));
        }
        if let Some(e) = key.usage_misfit(KeyOp::Sign) {
            return Err(invalid_argument(format!("this key cannot sign: {}", e.message())));
        }
        if !key.fits_for(options.alg, KeyOp::Sign) {
            return Err(invalid_argument(format!("this {} key cannot sign {}", key.kty(), options.alg)));
        }
        if key.kty() == "oct" {
            // Surfaces a too-short secret now (RFC 7518 3.2); HMAC costs nothing.
            key.sign(options.alg, b"")?;
        }
        Ok(Signer { key, options })
    }

    /// Signs `claims` (a JSON object) at time `now` (epoch seconds).
    pub fn sign(&self, claims: &Map<String, Value>, now: f64) -> Result<String> {
        self.sign_with(claims, &SignOverrides::default(), now)
    }

    pub fn sign_with(&self, claims: &Map<String, Value>, overrides: &SignOverrides, now: f64) -> Result<String> {
        let signing_input = self.signing_input(claims, overrides, now)?;
        let signature = self.key.sign(self.options.alg, signing_input.as_bytes())?;
        Ok(format!("{signing_input}.{}", base64url::encode(&signature)))
    }

    /// The key this signer signs with.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// The algorithm of every token this signer issues.
    pub fn alg(&self) -> Alg {
        self.options.alg
    }

    /// The header and payload of the next token, encoded and joined (`protected "." payload`),
    /// exactly as [`Signer::sign_with`] signs them: for hosts that sign asynchronously, which
    /// return only the signature (src/wasm/sign_async.rs).
    pub fn signing_input(&self, claims: &Map<String, Value>, overrides: &SignOverrides, now: f64) -> Result<String> {
        let o = &self.options;
        if !now.is_finite() {
            return Err(invalid_argument("now must be a finite number of epoch seconds"));
        }
        let iat = now.floor();
        let expires_in = match &overrides.expires_in {
            Some(d) => d.seconds("expiresIn")?,
            None => o.expires_in,
        };
        let mut managed: Vec<(&str, Value)> =
            vec![("iat", numeric_date(iat, "now")?), ("exp", numeric_date(iat + expires_in.floor(), "expiresIn")?)];
        if let Some(nbf) = o.not_before {
            managed.push(("nbf", numeric_date(iat + nbf.floor(), "notBefore")?));
        }
        if let Some(iss) = &o.issuer {
            managed.push(("iss", Value::String(iss.clone())));
        }
        match &o.audience {
            Some(OneOrMany::One(aud)) => managed.push(("aud", Value::String(aud.clone()))),
            Some(OneOrMany::Many(auds)) => {
                managed.push(("aud", Value::Array(auds.iter().cloned().map(Value::String).collect())))
            }
            None => {}
        }
        if o.jti {
            managed.push(("jti", Value::String(base64url::encode(&random::random_bytes(JTI_BYTES)?))));
        }
        let mut payload = claims.clone();
        for (name, value) in managed {
            if payload.insert(name.to_owned(), value).is_some() {
                return Err(invalid_argument(format!(
                    "claim {name:?} is set by the Signer; use its options (expiresIn, notBefore, issuer, audience, jti) instead"
                )));
            }
        }
        if let Some(sub) = &overrides.subject {
            // Like the managed claims: two values for one claim is a mistake, not a choice.
            if payload.insert("sub".to_owned(), Value::String(sub.clone())).is_some() {
                return Err(invalid_argument(
                    "claim \"sub\" is in the claims and in the subject override; set it in one place",
                ));
            }
        }

        let mut header = Map::new();
        header.insert("alg".to_owned(), Value::String(o.alg.as_str().to_owned()));
        header.insert("typ".to_owned(), Value::String(o.typ.clone()));
        if let Some(kid) = o.kid.as_deref().or(self.key.kid()) {
            header.insert("kid".to_owned(), Value::String(kid.to_owned()));
        }
        let encode = |m: &Map<String, Value>| {
            serde_json::to_vec(m).map(|b| base64url::encode(&b)).map_err(|e| invalid_argument(e.to_string()))
        };
        Ok(format!("{}.{}", encode(&header)?, encode(&payload)?))
    }
}

/// A lifetime given directly in [`SignerOptions`]: finite, non-negative, at most 2^53 - 1 s.
fn check_seconds(seconds: f64, name: &str) -> Result<()> {
    if seconds.is_finite() && (0.0..=MAX_SECONDS).contains(&seconds) {
        Ok(())
    } else {
        Err(invalid_argument(format!("{name} must be a non-negative number of seconds, at most {MAX_SECONDS}")))
    }
}

/// Whole seconds as a JSON integer (NumericDate without a fraction, as issuers commonly emit).
/// A time beyond 2^53 - 1 would be rounded by every JavaScript reader (and written as 0 before
/// issue 13), so it is refused, naming the option that caused it.
fn numeric_date(v: f64, cause: &str) -> Result<Value> {
    if v.is_finite() && v.abs() <= MAX_SECONDS {
        // Exact: a whole number within 2^53 converts to i64 without loss.
        Ok(Value::from(v as i64))
    } else {
        Err(invalid_argument(format!(
            "{cause} gives a time beyond 2^53 - 1 seconds ({MAX_SECONDS}), which a NumericDate cannot carry exactly; use a shorter duration"
        )))
    }
}
