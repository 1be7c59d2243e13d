//! The refresh-token core as JS sees it. As in the rest of the boundary, structured values
//! cross as JSON text: stored records come in as the exact strings a store returned, and
//! decisions go out as `{"action": …}` objects the package's `RefreshTokens` applies against
//! its store. Tokens cross only where JS must hand them out; no error message contains one.

use super::{to_js, JsResult};
use crate::error::{invalid_argument, Error};
use crate::json::parse_object;
use crate::refresh::{self, Commit, Decision, RefreshPolicy, Rotated, Stored};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

/// A fresh refresh token of `bytes` random bytes (16 to 256), base64url.
#[wasm_bindgen(js_name = generateRefreshToken)]
pub fn generate_refresh_token(bytes: u32) -> JsResult<String> {
    let bytes = usize::try_from(bytes).map_err(|e| to_js(invalid_argument(e.to_string())))?;
    refresh::generate_refresh_token(bytes).map(|t| t.expose().to_owned()).map_err(to_js)
}

/// SHA-256 of the token, base64url: what a store files the token under.
#[wasm_bindgen(js_name = hashToken)]
pub fn hash_token(token: &str) -> String {
    refresh::hash_token(token)
}

/// The routing tag of a presented token: its family id for a routed token, `undefined` for a
/// legacy one; throws `ERR_REFRESH_INVALID` for text that cannot be a token.
#[wasm_bindgen(js_name = refreshTokenFamily)]
pub fn refresh_token_family(token: &str) -> JsResult<Option<String>> {
    refresh::refresh_token_family(token).map(|f| f.map(str::to_owned)).map_err(to_js)
}

/// Revokes a family given its stored record: the commit as JSON text, or `undefined` if the
/// family is already revoked.
#[wasm_bindgen(js_name = refreshRevokeFamily)]
pub fn revoke_family(family_json: &str, now: f64) -> JsResult<Option<String>> {
    let commit = refresh::revoke_family(family_json, now).map_err(to_js)?;
    commit.map(|c| c.to_json()).transpose().map_err(to_js)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RotatedOut<'a> {
    token: &'a str,
    family_id: &'a str,
    subject: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Map<String, Value>>,
    expires_at: f64,
}

impl<'a> From<&'a Rotated> for RotatedOut<'a> {
    fn from(r: &'a Rotated) -> Self {
        RotatedOut {
            token: r.token.expose(),
            family_id: &r.family_id,
            subject: &r.subject,
            data: r.data.as_ref(),
            expires_at: r.expires_at,
        }
    }
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    code: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
enum DecisionOut<'a> {
    Rotate { commit: &'a Commit, result: RotatedOut<'a> },
    Replay { result: RotatedOut<'a> },
    Revoke { commit: &'a Commit, error: ErrorOut<'a> },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IssuedOut<'a> {
    token: &'a str,
    family_id: &'a str,
    expires_at: f64,
    commit: &'a Commit,
}

fn json<T: Serialize>(value: &T) -> JsResult<String> {
    serde_json::to_string(value).map_err(|e| to_js(invalid_argument(format!("cannot serialise: {e}"))))
}

/// The rotation rules with their durations fixed at construction, as `RefreshTokens` holds them.
#[wasm_bindgen]
pub struct WasmRefreshPolicy {
    inner: RefreshPolicy,
}

#[wasm_bindgen]
impl WasmRefreshPolicy {
    /// From the JSON of `{ ttl?, familyLifetime?, reuseGrace? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> JsResult<WasmRefreshPolicy> {
        RefreshPolicy::from_json(options_json).map(|inner| WasmRefreshPolicy { inner }).map_err(to_js)
    }

    /// Starts a family: `{"token","familyId","expiresAt","commit"}` as JSON text.
    pub fn issue(&self, subject: &str, data_json: Option<String>, now: f64) -> JsResult<String> {
        let data = data_json
            .map(|d| parse_object(d.as_bytes()))
            .transpose()
            .map_err(|e| to_js(invalid_argument(format!("data must be a JSON object: {e}"))))?;
        let issued = refresh::issue(&self.inner, subject, data, now).map_err(to_js)?;
        json(&IssuedOut {
            token: issued.token.expose(),
            family_id: &issued.family_id,
            expires_at: issued.expires_at,
            commit: &issued.commit,
        })
    }

    /// Decides what a presented token gets from what the store returned for it (each value the
    /// exact text read, or `undefined`). Rejections throw; otherwise the decision as JSON text:
    /// `{"action":"rotate","commit","result"}`, `{"action":"replay","result"}` or
    /// `{"action":"revoke","commit","error":{"code","message"}}`.
    pub fn decide(
        &self,
        token: &str,
        record: Option<String>,
        sealed: Option<String>,
        family: Option<String>,
        now: f64,
    ) -> JsResult<String> {
        let successor = refresh::generate_refresh_token(refresh::token::DEFAULT_TOKEN_BYTES).map_err(to_js)?;
        let stored = Stored { token: record.as_deref(), sealed: sealed.as_deref(), family: family.as_deref() };
        let decision = refresh::decide(&self.inner, token, stored, now, &successor).map_err(to_js)?;
        decision_json(&decision)
    }
}

fn decision_json(decision: &Decision) -> JsResult<String> {
    let out = match decision {
        Decision::Rotate { commit, result } => DecisionOut::Rotate { commit, result: result.into() },
        Decision::Replay(result) => DecisionOut::Replay { result: result.into() },
        Decision::RevokeFamily { commit, error } => DecisionOut::Revoke { commit, error: error_out(error) },
    };
    json(&out)
}

fn error_out(e: &Error) -> ErrorOut<'_> {
    ErrorOut { code: e.code().as_str(), message: e.message() }
}
