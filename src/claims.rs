//! Claim checks (RFC 7519 section 4.1, RFC 9068 scopes and roles): time claims, issuer,
//! audience, subject, required claims, scopes, roles and exact matches. The current time is
//! always passed in, so checks are pure and testable at any instant.

use crate::duration::DurationInput;
use crate::error::{invalid_argument, Error, ErrorCode, Result};
use crate::json::view::{JsonView, ObjectView};
use serde::Deserialize;
use serde_json::{Map, Value};

/// One value or a list of accepted values (`issuer`, `audience`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn as_slice(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}

/// Claim options as users write them (camelCase, as in the JS API). Unknown names are refused:
/// a misspelt `audiance` must not silently turn a check off.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimOptionsInput {
    pub issuer: Option<OneOrMany>,
    pub audience: Option<OneOrMany>,
    pub subject: Option<String>,
    pub clock_tolerance: Option<DurationInput>,
    pub max_token_age: Option<DurationInput>,
    #[serde(default)]
    pub required_claims: Vec<String>,
    #[serde(default)]
    pub required_scopes: Vec<String>,
    #[serde(default)]
    pub required_roles: Vec<String>,
    pub claims: Option<Map<String, Value>>,
}

/// Validated claim options: durations in seconds, exact-match values checked to be scalars.
///
/// ```
/// use jwtward::ClaimOptions;
/// use jwtward::json::view::parse_object_view;
/// let opts = ClaimOptions::from_json(r#"{"issuer":"https://id.example","clockTolerance":"30s"}"#)?;
/// let payload = parse_object_view(r#"{"iss": "https://id.example", "exp": 1000}"#)?;
/// assert!(opts.check(&payload, 1029.0).is_ok());   // inside the tolerance
/// let err = opts.check(&payload, 1030.0).err().ok_or("accepted")?;
/// assert_eq!(err.code().as_str(), "ERR_JWT_EXPIRED");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct ClaimOptions {
    pub issuer: Option<Vec<String>>,
    pub audience: Option<Vec<String>>,
    pub subject: Option<String>,
    pub clock_tolerance: f64,
    pub max_token_age: Option<f64>,
    pub required_claims: Vec<String>,
    pub required_scopes: Vec<String>,
    pub required_roles: Vec<String>,
    pub claims: Map<String, Value>,
}

impl ClaimOptions {
    /// Parses options from their JSON form (the JS layer serialises once, at construction).
    pub fn from_json(json: &str) -> Result<Self> {
        let input: ClaimOptionsInput =
            serde_json::from_str(json).map_err(|e| invalid_argument(format!("invalid claim options: {e}")))?;
        Self::from_input(input)
    }

    pub fn from_input(input: ClaimOptionsInput) -> Result<Self> {
        for (name, value) in input.claims.iter().flatten() {
            if !matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
                return Err(invalid_argument(format!(
                    "claims.{name} must be a string, number or boolean to compare exactly"
                )));
            }
        }
        let non_empty = |v: Option<OneOrMany>, name: &str| -> Result<Option<Vec<String>>> {
            match v.map(|v| v.as_slice().to_vec()) {
                Some(list) if list.is_empty() => Err(invalid_argument(format!("{name} must not be an empty list"))),
                other => Ok(other),
            }
        };
        Ok(ClaimOptions {
            issuer: non_empty(input.issuer, "issuer")?,
            audience: non_empty(input.audience, "audience")?,
            subject: input.subject,
            clock_tolerance: match &input.clock_tolerance {
                Some(d) => d.seconds("clockTolerance")?,
                None => 0.0,
            },
            max_token_age: input.max_token_age.as_ref().map(|d| d.seconds("maxTokenAge")).transpose()?,
            required_claims: input.required_claims,
            required_scopes: input.required_scopes,
            required_roles: input.required_roles,
            claims: input.claims.unwrap_or_default(),
        })
    }

    /// Refuses options no check can use: a `clock_tolerance` or `max_token_age` that is not a
    /// finite, non-negative number (the fields are public, so `from_input`'s checks can be
    /// bypassed). `InvalidArgument`: a programming error, not a bad token.
    pub fn validate(&self) -> Result<()> {
        let usable = |v: f64| v.is_finite() && v >= 0.0;
        if !usable(self.clock_tolerance) {
            return Err(invalid_argument("clockTolerance must be a finite, non-negative number of seconds"));
        }
        if !self.max_token_age.is_none_or(usable) {
            return Err(invalid_argument("maxTokenAge must be a finite, non-negative number of seconds"));
        }
        Ok(())
    }

    /// Runs every configured check against `payload` at time `now` (epoch seconds).
    ///
    /// A `now` that is NaN or infinite is `InvalidArgument`: every comparison with NaN is
    /// false, so such a time would pass every time check (issue 13).
    pub fn check(&self, payload: &ObjectView<'_>, now: f64) -> Result<()> {
        check_now(now)?;
        self.validate()?;
        self.check_presence(payload)?;
        if let Some(allowed) = &self.issuer {
            let iss = string_claim(payload, "iss")?;
            if !allowed.iter().any(|a| a == iss) {
                return Err(failed(
                    "iss",
                    format!("unexpected issuer {} (expected {})", quote(iss), allowed.join(" or ")),
                ));
            }
        }
        if let Some(expected) = &self.subject {
            if string_claim(payload, "sub")? != expected {
                return Err(failed("sub", format!("unexpected subject (expected {})", quote(expected))));
            }
        }
        if let Some(allowed) = &self.audience {
            check_audience(payload, allowed)?;
        }
        self.check_times(payload, now)?;
        self.check_scopes_and_roles(payload)?;
        for (name, expected) in &self.claims {
            let matches = match (payload.get(name), expected) {
                (Some(JsonView::Number(a)), Value::Number(b)) => Some(*a) == b.as_f64(),
                (Some(JsonView::String(a)), Value::String(b)) => a == b,
                (Some(JsonView::Bool(a)), Value::Bool(b)) => a == b,
                _ => false,
            };
            if !matches {
                return Err(failed(name, format!("claim {} does not have the required value", quote(name))));
            }
        }
        Ok(())
    }

    fn check_presence(&self, payload: &ObjectView<'_>) -> Result<()> {
        let implied = [
            ("iss", self.issuer.is_some()),
            ("sub", self.subject.is_some()),
            ("aud", self.audience.is_some()),
            ("iat", self.max_token_age.is_some()),
        ];
        let implied = implied.iter().filter(|(_, on)| *on).map(|(n, _)| *n);
        let exact = self.claims.keys().map(String::as_str);
        for name in implied.chain(self.required_claims.iter().map(String::as_str)).chain(exact) {
            if !payload.contains_key(name) {
                return Err(Error::claim(
                    ErrorCode::ClaimValidationFailed,
                    name,
                    "missing",
                    format!("required claim {} is missing", quote(name)),
                ));
            }
        }
        Ok(())
    }

    fn check_times(&self, payload: &ObjectView<'_>, now: f64) -> Result<()> {
        let tolerance = self.clock_tolerance;
        let iat = time_claim(payload, "iat")?;
        if let Some(nbf) = time_claim(payload, "nbf")? {
            if now < nbf - tolerance {
                return Err(failed(
                    "nbf",
                    format!("token is not valid yet: nbf is {} s in the future", secs(nbf - now)),
                ));
            }
        }
        if let Some(exp) = time_claim(payload, "exp")? {
            if now >= exp + tolerance {
                return Err(Error::claim(
                    ErrorCode::Expired,
                    "exp",
                    "check_failed",
                    format!("token expired {} s ago (exp {})", secs(now - exp), number(exp)),
                ));
            }
        }
        if let (Some(max_age), Some(iat)) = (self.max_token_age, iat) {
            let age = now - iat;
            if age < -tolerance {
                return Err(failed("iat", format!("iat is {} s in the future", secs(-age))));
            }
            if age - tolerance > max_age {
                return Err(Error::claim(
                    ErrorCode::Expired,
                    "iat",
                    "check_failed",
                    format!("token is {} s old, more than maxTokenAge {} s", secs(age), number(max_age)),
                ));
            }
        }
        Ok(())
    }

    fn check_scopes_and_roles(&self, payload: &ObjectView<'_>) -> Result<()> {
        if !self.required_scopes.is_empty() {
            let (claim, granted) = scopes(payload)?;
            if let Some(missing) = self.required_scopes.iter().find(|s| !granted.contains(&s.as_str())) {
                let (has_scope, has_scp) = (payload.contains_key("scope"), payload.contains_key("scp"));
                let where_ = match (has_scope, has_scp) {
                    (true, true) => " in claim \"scope\" (\"scp\" is not read when \"scope\" is present)",
                    (false, false) => " (the token has neither a \"scope\" nor an \"scp\" claim)",
                    (true, false) => " in claim \"scope\"",
                    (false, true) => " in claim \"scp\"",
                };
                return Err(failed(claim, format!("required scope {} was not granted{where_}", quote(missing))));
            }
        }
        if !self.required_roles.is_empty() {
            let roles = string_list(payload, "roles")?;
            if let Some(missing) = self.required_roles.iter().find(|r| !roles.contains(&r.as_str())) {
                return Err(failed("roles", format!("required role {} is missing", quote(missing))));
            }
        }
        Ok(())
    }
}

/// The current time given to a check must be a number of epoch seconds.
pub(crate) fn check_now(now: f64) -> Result<()> {
    if now.is_finite() {
        Ok(())
    } else {
        Err(invalid_argument("now must be a finite number of epoch seconds"))
    }
}

/// The granted scopes and the one claim they come from: `scope`, a space-separated string
/// (RFC 8693 4.2, RFC 9068 2.2.3), when present; otherwise `scp`, an array (or a string) as
/// some identity providers send it. Never both: merged, a token's `scope` and `scp` together
/// would grant more than either says (issue 13).
fn scopes<'p>(payload: &'p ObjectView<'_>) -> Result<(&'static str, Vec<&'p str>)> {
    match payload.get("scope") {
        Some(JsonView::String(s)) => return Ok(("scope", s.split(' ').filter(|s| !s.is_empty()).collect())),
        Some(_) => return Err(invalid("scope", "claim \"scope\" must be a space-separated string")),
        None => {}
    }
    match payload.get("scp") {
        None => Ok(("scope", Vec::new())),
        Some(JsonView::String(s)) => Ok(("scp", s.split(' ').filter(|s| !s.is_empty()).collect())),
        Some(JsonView::Array(_)) => Ok(("scp", string_list(payload, "scp")?)),
        Some(_) => Err(invalid("scp", "claim \"scp\" must be an array of strings")),
    }
}

fn string_list<'p>(payload: &'p ObjectView<'_>, name: &str) -> Result<Vec<&'p str>> {
    match payload.get(name) {
        None => Ok(Vec::new()),
        Some(JsonView::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().ok_or_else(|| invalid(name, format!("claim {} must be an array of strings", quote(name))))
            })
            .collect(),
        Some(_) => Err(invalid(name, format!("claim {} must be an array of strings", quote(name)))),
    }
}

fn check_audience(payload: &ObjectView<'_>, allowed: &[String]) -> Result<()> {
    let not_string = || invalid("aud", "claim \"aud\" must be a string or an array of strings");
    let token_audiences: Vec<&str> = match payload.get("aud") {
        Some(JsonView::String(s)) => vec![s.as_ref()],
        Some(JsonView::Array(items)) => {
            items.iter().map(|v| v.as_str().ok_or_else(not_string)).collect::<Result<_>>()?
        }
        _ => return Err(not_string()),
    };
    if token_audiences.iter().any(|a| allowed.iter().any(|b| b == a)) {
        Ok(())
    } else {
        Err(failed("aud", format!("token audience is not accepted (expected {})", allowed.join(" or "))))
    }
}

fn string_claim<'p>(payload: &'p ObjectView<'_>, name: &str) -> Result<&'p str> {
    payload
        .get(name)
        .and_then(JsonView::as_str)
        .ok_or_else(|| invalid(name, format!("claim {} must be a string", quote(name))))
}

/// A NumericDate claim (RFC 7519 section 2): absent, or a JSON number. Strings such as
/// "1700000000" are refused rather than coerced.
pub fn time_claim(payload: &ObjectView<'_>, name: &str) -> Result<Option<f64>> {
    match payload.get(name) {
        None => Ok(None),
        Some(JsonView::Number(v)) if v.is_finite() => Ok(Some(*v)),
        Some(JsonView::Number(_)) => Err(invalid(name, format!("claim {} is not a usable number", quote(name)))),
        Some(_) => Err(invalid(name, format!("claim {} must be a number (NumericDate)", quote(name)))),
    }
}

fn failed(claim: &str, message: String) -> Error {
    Error::claim(ErrorCode::ClaimValidationFailed, claim, "check_failed", message)
}

fn invalid(claim: &str, message: impl Into<String>) -> Error {
    Error::claim(ErrorCode::ClaimValidationFailed, claim, "invalid", message)
}

/// Quotes untrusted text for a message, cut short so a hostile claim cannot flood logs.
fn quote(s: &str) -> String {
    format!("{:?}", crate::alg::truncate(s, 64))
}

fn secs(v: f64) -> String {
    number(v.max(0.0).ceil())
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The payload's JSON text; checked through the same strict view verification uses.
    struct Payload(String);
    fn payload(v: Value) -> Payload {
        Payload(v.to_string())
    }
    impl ClaimOptions {
        fn check_payload(&self, p: &Payload, now: f64) -> Result<()> {
            self.check(&crate::json::view::parse_object_view(&p.0).unwrap(), now)
        }
    }
    fn opts(json: &str) -> ClaimOptions {
        ClaimOptions::from_json(json).unwrap()
    }

    #[test]
    fn expiry_boundary_is_exclusive_and_tolerance_applies() {
        let p = payload(json!({"exp": 1000}));
        assert!(opts("{}").check_payload(&p, 999.9).is_ok());
        let e = opts("{}").check_payload(&p, 1000.0).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Expired);
        assert_eq!(e.claim_name(), Some("exp"));
        assert_eq!(e.to_string(), "token expired 0 s ago (exp 1000)");
        assert!(opts(r#"{"clockTolerance":5}"#).check_payload(&p, 1004.0).is_ok());
        assert!(opts(r#"{"clockTolerance":"5s"}"#).check_payload(&p, 1005.0).is_err());
        assert_eq!(opts("{}").check_payload(&p, 1093.0).unwrap_err().to_string(), "token expired 93 s ago (exp 1000)");
    }

    #[test]
    fn not_before_respects_tolerance() {
        let p = payload(json!({"nbf": 1000}));
        assert!(opts("{}").check_payload(&p, 1000.0).is_ok());
        assert_eq!(opts("{}").check_payload(&p, 999.0).unwrap_err().claim_name(), Some("nbf"));
        assert!(opts(r#"{"clockTolerance":1}"#).check_payload(&p, 999.0).is_ok());
    }

    #[test]
    fn time_claims_must_be_numbers() {
        for claim in ["exp", "nbf", "iat"] {
            let p = payload(json!({ claim: "1700000000" }));
            let e = opts("{}").check_payload(&p, 0.0).unwrap_err();
            assert_eq!((e.code(), e.reason()), (ErrorCode::ClaimValidationFailed, Some("invalid")));
        }
    }

    #[test]
    fn audience_issuer_subject() {
        let p = payload(json!({"aud": ["a", "b"], "iss": "i", "sub": "s"}));
        assert!(opts(r#"{"audience":"b","issuer":["x","i"],"subject":"s"}"#).check_payload(&p, 0.0).is_ok());
        assert_eq!(opts(r#"{"audience":"c"}"#).check_payload(&p, 0.0).unwrap_err().claim_name(), Some("aud"));
        assert_eq!(opts(r#"{"issuer":"j"}"#).check_payload(&p, 0.0).unwrap_err().claim_name(), Some("iss"));
        let missing = opts(r#"{"audience":"a"}"#).check_payload(&payload(json!({})), 0.0).unwrap_err();
        assert_eq!((missing.claim_name(), missing.reason()), (Some("aud"), Some("missing")));
        let wrong_type = payload(json!({"aud": ["a", 1]}));
        assert_eq!(opts(r#"{"audience":"a"}"#).check_payload(&wrong_type, 0.0).unwrap_err().reason(), Some("invalid"));
    }

    #[test]
    fn scopes_roles_and_exact_claims() {
        let p = payload(json!({"scope": "read write", "roles": ["ops"], "tenant": "acme", "n": 2}));
        assert!(opts(
            r#"{"requiredScopes":["read","write"],"requiredRoles":["ops"],"claims":{"tenant":"acme","n":2.0}}"#
        )
        .check_payload(&p, 0.0)
        .is_ok());
        assert_eq!(
            opts(r#"{"requiredScopes":["delete"]}"#).check_payload(&p, 0.0).unwrap_err().claim_name(),
            Some("scope")
        );
        assert_eq!(
            opts(r#"{"requiredRoles":["root"]}"#).check_payload(&p, 0.0).unwrap_err().claim_name(),
            Some("roles")
        );
        assert_eq!(
            opts(r#"{"claims":{"tenant":"evil"}}"#).check_payload(&p, 0.0).unwrap_err().claim_name(),
            Some("tenant")
        );
        let absent = opts(r#"{"claims":{"region":"eu"}}"#).check_payload(&p, 0.0).unwrap_err();
        assert_eq!((absent.claim_name(), absent.reason()), (Some("region"), Some("missing")));
    }

    /// Issue 13: `scope` and `scp` were merged, so `scope: "a"` with `scp: ["b"]` granted both.
    /// One claim is read: `scope` when present, else `scp`.
    #[test]
    fn scope_and_scp_are_never_merged() {
        let both = payload(json!({"scope": "a", "scp": ["b"]}));
        let e = opts(r#"{"requiredScopes":["a","b"]}"#).check_payload(&both, 0.0).unwrap_err();
        assert_eq!(
            (e.code(), e.claim_name(), e.reason()),
            (ErrorCode::ClaimValidationFailed, Some("scope"), Some("check_failed"))
        );
        assert!(e.message().contains("\"scp\" is not read when \"scope\" is present"), "{e}");
        assert!(opts(r#"{"requiredScopes":["a"]}"#).check_payload(&both, 0.0).is_ok());
        // scp alone still grants: as an array or a space-separated string.
        let scp = opts(r#"{"requiredScopes":["b"]}"#);
        assert!(scp.check_payload(&both, 0.0).is_err());
        assert!(scp.check_payload(&payload(json!({"scp": ["b", "c"]})), 0.0).is_ok());
        assert!(scp.check_payload(&payload(json!({"scp": "c b"})), 0.0).is_ok());
        let e = scp.check_payload(&payload(json!({"scp": ["c"]})), 0.0).unwrap_err();
        assert_eq!(e.claim_name(), Some("scp"));
        // An empty scope string is still the scope claim: scp is not consulted.
        assert!(scp.check_payload(&payload(json!({"scope": "", "scp": ["b"]})), 0.0).is_err());
        let e = scp.check_payload(&payload(json!({})), 0.0).unwrap_err();
        assert!(e.message().contains("neither"), "{e}");
    }

    #[test]
    fn max_token_age_needs_iat() {
        let o = opts(r#"{"maxTokenAge":"1m"}"#);
        assert_eq!(o.check_payload(&payload(json!({})), 0.0).unwrap_err().reason(), Some("missing"));
        assert!(o.check_payload(&payload(json!({"iat": 1000})), 1060.0).is_ok());
        assert!(o.check_payload(&payload(json!({"iat": 1000})), 1061.0).is_err());
        assert!(o.check_payload(&payload(json!({"iat": 2000})), 1000.0).is_err());
    }

    /// Issue 13: a NaN `now` passed every time check (each comparison with NaN is false).
    /// Non-finite times and durations are refused as misuse, whatever the token holds.
    #[test]
    fn non_finite_now_and_durations_are_refused() {
        let p = payload(json!({"exp": 1000, "nbf": 900, "iat": 900}));
        for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for o in [opts("{}"), opts(r#"{"maxTokenAge":"1h","clockTolerance":5}"#)] {
                let e = o.check_payload(&p, now).unwrap_err();
                assert_eq!(e.code(), ErrorCode::InvalidArgument, "{now}: {e}");
            }
            assert_eq!(
                opts("{}").check_payload(&payload(json!({})), now).unwrap_err().code(),
                ErrorCode::InvalidArgument
            );
        }
        for bad in [f64::NAN, f64::INFINITY, -1.0] {
            let o = ClaimOptions { clock_tolerance: bad, ..ClaimOptions::default() };
            assert_eq!(o.check_payload(&p, 950.0).unwrap_err().code(), ErrorCode::InvalidArgument, "{bad}");
            let o = ClaimOptions { max_token_age: Some(bad), ..ClaimOptions::default() };
            assert_eq!(o.check_payload(&p, 950.0).unwrap_err().code(), ErrorCode::InvalidArgument, "{bad}");
        }
        assert!(opts("{}").check_payload(&p, 950.0).is_ok());
    }

    #[test]
    fn options_are_validated() {
        assert!(ClaimOptions::from_json(r#"{"audiance":"x"}"#).is_err());
        assert!(ClaimOptions::from_json(r#"{"clockTolerance":"soon"}"#).is_err());
        assert!(ClaimOptions::from_json(r#"{"claims":{"a":[1]}}"#).is_err());
        assert!(ClaimOptions::from_json(r#"{"issuer":[]}"#).is_err());
    }
}
