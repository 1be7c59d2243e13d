//! PEM input (RFC 7468): SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY" / "RSA PRIVATE KEY",
//! PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY" and X.509 "CERTIFICATE" (its public key only,
//! see [`super::x509`]). Everything else (encrypted keys, other labels, other algorithms) is
//! refused with a message that says what to pass instead. All RSA and EC policy (sizes,
//! curves, point validity) is applied by the `KeyMaterial` constructors.
//!
//! Tolerant where a difference only gets in the way, strict where it protects. Tolerated:
//! whitespace around and inside the base64 (indented lines, CRLF, blank lines, any line width,
//! lines joined by spaces), a leading byte-order mark, literal `\n` sequences in a PEM that has
//! no line break at all (as an env file holds it), and explanatory text on the lines before the
//! BEGIN line (RFC 7468 section 2). Refused, each with what to do: more than one PEM block
//! (which key was meant is not ours to guess), a missing or different END line, or anything
//! after it (a cut-off or spliced document), text on the BEGIN or END line itself, headers
//! (encrypted keys), any character outside base64, non-canonical base64, and DER that does not
//! parse exactly.

use super::{x509, Key};
use crate::alg::Alg;
use crate::base64url;
use crate::crypto::der_in::{ec_sec1_private, pkcs8, rsa_private_pkcs1, rsa_public_pkcs1, spki};
use crate::error::{jwk_invalid, Error, Result};
use zeroize::Zeroizing;

/// The largest PEM document accepted, in bytes, checked before decoding. A 4096-bit RSA private
/// key is about 3.3 KiB of PEM; this leaves room for explanatory text and a certificate or two.
pub const MAX_PEM_SIZE: usize = 16 * 1024;

/// The longest PEM label taken for one; real labels ("ENCRYPTED PRIVATE KEY") are shorter.
const MAX_LABEL_LEN: usize = 32;

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

/// The PEM labels read here, as their DER is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    PublicKey,
    RsaPublicKey,
    PrivateKey,
    RsaPrivateKey,
    EcPrivateKey,
    Certificate,
}

/// The label of a `-----BEGIN <label>-----` at the start of `text`. Only a label in upper-case
/// letters, digits and spaces counts: a malformed BEGIN line runs into the key body, and the
/// label is shown in error messages, which must never carry key material.
fn label_at(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(BEGIN)?;
    let label = rest.get(..rest.find(DASHES)?)?;
    let plain = label.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ');
    (plain && !label.is_empty() && label.len() <= MAX_LABEL_LEN).then_some(label)
}

fn label_of(label: &str) -> Result<Label> {
    Ok(match label {
        "PUBLIC KEY" => Label::PublicKey,
        "RSA PUBLIC KEY" => Label::RsaPublicKey,
        "PRIVATE KEY" => Label::PrivateKey,
        "RSA PRIVATE KEY" => Label::RsaPrivateKey,
        "EC PRIVATE KEY" => Label::EcPrivateKey,
        // "X509 CERTIFICATE" is the older spelling of the same thing (RFC 7468 section 5.3).
        "CERTIFICATE" | "X509 CERTIFICATE" => Label::Certificate,
        "TRUSTED CERTIFICATE" => {
            return Err(jwk_invalid(
                "PEM label TRUSTED CERTIFICATE (OpenSSL's certificate with trust settings) is not supported; \
                 pass the plain certificate (-----BEGIN CERTIFICATE-----), e.g. from `openssl x509 -in cert.pem`",
            ))
        }
        "ENCRYPTED PRIVATE KEY" => {
            return Err(jwk_invalid(
                "encrypted private keys are not supported; decrypt it first, e.g. `openssl pkcs8 -topk8 -nocrypt`",
            ))
        }
        other => {
            return Err(jwk_invalid(format!(
                "PEM label {other} is not supported; use PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY, RSA PRIVATE KEY, \
                 EC PRIVATE KEY or CERTIFICATE"
            )))
        }
    })
}

fn pem_error(message: impl Into<String>) -> Error {
    jwk_invalid(message)
}

/// `text` with literal `\n` (and `\r\n`) sequences made line breaks, when it has no line break
/// of its own: a PEM stored on one line of an env file. A PEM with real line breaks and literal
/// ones as well is refused: it is neither form, and guessing would hide a broken copy.
fn unescape_newlines(text: &str) -> Result<Option<Zeroizing<String>>> {
    if !text.contains("\\n") {
        return Ok(None);
    }
    if text.contains(['\n', '\r']) {
        return Err(pem_error(
            "the PEM has line breaks and also literal \\n sequences (a backslash and an n); \
             replace each \\n with a line break, or remove them",
        ));
    }
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at..).unwrap_or_default();
        if let Some(next) = after.strip_prefix("\\r\\n").or_else(|| after.strip_prefix("\\n")) {
            out.push('\n');
            rest = next;
        } else {
            // Any other backslash is left for the base64 check to refuse.
            out.push('\\');
            rest = after.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    Ok(Some(out))
}

/// Strict standard base64 (RFC 4648 section 4) with its padding, as a PEM body holds it.
pub(super) fn base64_decode(body: &str) -> Option<Zeroizing<Vec<u8>>> {
    if body.len() % 4 != 0 {
        return None;
    }
    let unpadded = body.strip_suffix("==").or_else(|| body.strip_suffix('=')).unwrap_or(body);
    if unpadded.contains(['=', '-', '_']) {
        return None;
    }
    let url: Zeroizing<String> = Zeroizing::new(
        unpadded
            .chars()
            .map(|c| {
                if c == '+' {
                    '-'
                } else if c == '/' {
                    '_'
                } else {
                    c
                }
            })
            .collect(),
    );
    base64url::decode(&url).map(Zeroizing::new)
}

/// Reads one PEM block: its label and its DER. See the module documentation for what is
/// tolerated and what is refused.
pub(crate) fn read_pem(input: &str) -> Result<(Label, Zeroizing<Vec<u8>>)> {
    if input.len() > MAX_PEM_SIZE {
        return Err(pem_error(format!("PEM is {} bytes, more than the {MAX_PEM_SIZE} allowed", input.len())));
    }
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let unescaped = unescape_newlines(input)?;
    let text: &str = unescaped.as_deref().map_or(input, String::as_str);

    let Some(begin_at) = text.find(BEGIN) else {
        let hint = if text.trim_start().starts_with('{') {
            "; this looks like JSON: load a JWK with Key.fromJwk (Key::from_jwk in Rust)"
        } else {
            ""
        };
        return Err(pem_error(format!(
            "not a PEM document: expected a line like -----BEGIN PUBLIC KEY----- before the key{hint}"
        )));
    };
    let before = text.get(..begin_at).unwrap_or_default();
    let on_its_line = before.rsplit(['\n', '\r']).next().unwrap_or_default();
    if !on_its_line.trim().is_empty() {
        return Err(pem_error(format!(
            "{} characters stand before -----BEGIN on its line (a quote left from an env file or JSON?); \
             remove them so the BEGIN line starts its line",
            on_its_line.trim_start().chars().count()
        )));
    }
    let block = text.get(begin_at..).unwrap_or_default();
    let label = label_at(block).ok_or_else(|| {
        pem_error(
            "malformed PEM BEGIN line: expected -----BEGIN <LABEL>----- with an upper-case label, e.g. PUBLIC KEY",
        )
    })?;
    let count = text.matches(BEGIN).count();
    if count > 1 {
        return Err(pem_error(format!(
            "the text holds {count} PEM blocks; pass exactly one (only the key or the certificate to verify with)"
        )));
    }
    let kind = label_of(label)?;
    let body_start = BEGIN.len().saturating_add(label.len()).saturating_add(DASHES.len());
    let after_begin = block.get(body_start..).unwrap_or_default();
    let end_line = format!("{END}{label}{DASHES}");
    let Some(end_at) = after_begin.find(END) else {
        return Err(pem_error(format!("the PEM has no {end_line} line: it is cut short; copy the whole of it")));
    };
    let (body, tail) = after_begin.split_at(end_at);
    let Some(after_end) = tail.strip_prefix(end_line.as_str()) else {
        return Err(pem_error(format!(
            "the PEM's END line does not match its BEGIN line; it must read {end_line} (two documents spliced together?)"
        )));
    };
    let glued = |s: &str| s.chars().next().is_some_and(|c| !c.is_whitespace());
    if !glued(after_end) && !after_end.trim().is_empty() {
        return Err(pem_error(format!(
            "text follows the {end_line} line; pass the PEM block alone (nothing after its END line)"
        )));
    }
    if glued(body) || glued(after_end) {
        return Err(pem_error(format!(
            "text stands right after a -----BEGIN {label}----- or {end_line} marker; \
             each marker must end its line (remove a trailing quote, for one)"
        )));
    }
    if body.contains(':') {
        let hint = if body.contains("Proc-Type") || body.contains("DEK-Info") {
            "this is an encrypted key: decrypt it first, e.g. `openssl pkcs8 -topk8 -nocrypt`"
        } else {
            "remove the header lines (those with a colon) between the BEGIN line and the base64"
        };
        return Err(pem_error(format!("PEM headers are not supported; {hint}")));
    }
    let mut base64 = Zeroizing::new(String::with_capacity(body.len()));
    for (line_no, line) in body.lines().enumerate() {
        for c in line.chars().filter(|c| !c.is_ascii_whitespace()) {
            if c == '\\' {
                return Err(pem_error(
                    "the PEM body holds a backslash (a literal \\n among real line breaks?); \
                     replace each \\n with a line break",
                ));
            }
            if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')) {
                return Err(pem_error(format!(
                    "the PEM body holds a character that is not base64 on line {} after the BEGIN line; \
                     copy the key again as it was issued",
                    line_no
                )));
            }
            base64.push(c);
        }
    }
    if base64.is_empty() {
        return Err(pem_error(format!("the PEM has nothing between its BEGIN and END lines ({label})")));
    }
    let der = base64_decode(&base64).ok_or_else(|| {
        pem_error(format!(
            "the base64 between the PEM's {label} lines is not valid (cut short, extra characters or wrong padding); \
             copy the key again as it was issued"
        ))
    })?;
    Ok((kind, der))
}

impl Key {
    /// A key from a PEM document: `PUBLIC KEY` (SPKI: RSA, EC P-256/384/521, Ed25519),
    /// `RSA PUBLIC KEY`, `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY`, `EC PRIVATE KEY`, or an X.509
    /// `CERTIFICATE`, of which only the public key is used: the certificate's signature, chain,
    /// validity dates and extensions are NOT checked.
    ///
    /// Documents over [`MAX_PEM_SIZE`] bytes, encrypted keys, other labels and malformed PEM or
    /// DER are `ERR_JWK_INVALID` (the size before any decoding); supported labels holding
    /// unsupported algorithms (X25519, Ed448, DSA, RSASSA-PSS keys, ...) are
    /// `ERR_JOSE_NOT_SUPPORTED`. If `alg` is given it must fit the key type and curve, else
    /// `ERR_JWK_INVALID`. The module documentation says which PEM variations are tolerated.
    pub fn from_pem(pem: &str, alg: Option<Alg>, kid: Option<String>) -> Result<Key> {
        let (label, der) = read_pem(pem)?;
        let material = match label {
            Label::PublicKey => spki(&der)?,
            Label::RsaPublicKey => rsa_public_pkcs1(&der)?,
            Label::PrivateKey => pkcs8(&der)?,
            Label::RsaPrivateKey => rsa_private_pkcs1(&der)?,
            Label::EcPrivateKey => ec_sec1_private(&der)?,
            Label::Certificate => x509::certificate_public_key(&der)?,
        };
        Key::new(material, alg, kid)
    }

    /// The public key of a PEM X.509 certificate (`-----BEGIN CERTIFICATE-----`), with `kid`;
    /// any other PEM is `ERR_JWK_INVALID`. As [`Key::from_pem`], nothing but the key is checked.
    pub fn from_certificate_pem(pem: &str, kid: Option<String>) -> Result<Key> {
        let (label, der) = read_pem(pem)?;
        if label != Label::Certificate {
            return Err(jwk_invalid("expected an X.509 certificate (-----BEGIN CERTIFICATE-----)"));
        }
        Key::new(x509::certificate_public_key(&der)?, None, kid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/x509/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn same_key(pem: &str, reference: &Key) {
        let key = Key::from_pem(pem, None, None).unwrap_or_else(|e| panic!("{pem:?}: {e}"));
        assert_eq!(key.to_public_jwk().unwrap(), reference.to_public_jwk().unwrap(), "{pem:?}");
    }

    fn refused(pem: &str, says: &str) {
        let e = Key::from_pem(pem, None, None).unwrap_err();
        assert_eq!(e.code(), ErrorCode::JwkInvalid, "{pem:?}: {e}");
        assert!(e.message().contains(says), "{pem:?}: {e}");
    }

    #[test]
    fn tolerated_variations_give_the_same_key() {
        for name in ["rsa.pub", "p256.pub", "ed25519.pub", "rsa.crt"] {
            let pem = fixture(name);
            let reference = Key::from_pem(&pem, None, None).unwrap();
            let lines: Vec<&str> = pem.lines().collect();
            let indented: String = lines.iter().map(|l| format!("    {l}\n")).collect();
            let tabbed: String = lines.iter().map(|l| format!("\t\t{l}  \t\n")).collect();
            let one_line_escaped = lines.join("\\n");
            let env_crlf = lines.join("\\r\\n");
            let spaced = lines.join(" ");
            let body: String = lines[1..lines.len() - 1].concat();
            let unwrapped = format!("{}\n{body}\n{}\n", lines[0], lines[lines.len() - 1]);
            let wrapped76: Vec<String> =
                body.as_bytes().chunks(76).map(|c| String::from_utf8(c.to_vec()).unwrap()).collect();
            let wrapped76 = format!("{}\n{}\n{}", lines[0], wrapped76.join("\n"), lines[lines.len() - 1]);
            for variant in [
                pem.clone(),
                pem.replace('\n', "\r\n"),
                pem.replace('\n', "\r"),
                indented,
                tabbed,
                format!("\n\n  {}  \n\n", pem.trim()),
                one_line_escaped.clone(),
                format!("{one_line_escaped}\\n"),
                env_crlf,
                spaced,
                unwrapped,
                wrapped76,
                format!("\u{feff}{pem}"),
                format!("subject=CN = test\nissuer=CN = test\n{pem}"),
                pem.replacen('\n', "\n\n", 2),
            ] {
                same_key(&variant, &reference);
            }
        }
    }

    #[test]
    fn refused_variations_say_what_is_wrong() {
        let pem = fixture("p256.pub");
        let lines: Vec<&str> = pem.lines().collect();
        let last = lines.len() - 1;
        refused(&format!("{pem}{}", fixture("rsa.pub")), "holds 2 PEM blocks");
        refused(&lines[..last].join("\n"), "has no -----END PUBLIC KEY----- line");
        refused(&pem.replace("END PUBLIC KEY", "END PRIVATE KEY"), "must read -----END PUBLIC KEY-----");
        refused(&format!("\"{}\"", pem.trim()), "characters stand before -----BEGIN");
        refused(&format!("\"{}\"", lines.join("\\n")), "characters stand before -----BEGIN");
        refused(&format!("{}\"", pem.trim()), "must end its line");
        refused(&format!("{pem}trailing notes\n"), "text follows the -----END PUBLIC KEY----- line");
        refused(&format!("{pem}{}\n", lines[1]), "text follows the -----END PUBLIC KEY----- line");
        refused(&pem.replacen("-----\n", "-----MII", 1), "must end its line");
        refused(&format!("{}\\n{}", lines[..2].join("\n"), lines[2..].join("\n")), "literal \\n");
        refused(&pem.replacen('\n', "\nComment: x\n", 1), "headers are not supported");
        refused(&pem.replacen("\nM", "\n\u{e9}M", 1), "not base64 on line 1");
        refused(&pem.replacen("\nM", "\nM=", 1), "not valid");
        refused(&pem.replacen("\nM", "\n", 1), "not valid");
        refused(&format!("{}\n{}\n", lines[0], lines[last]), "nothing between");
        refused("{\"kty\":\"EC\"}", "Key.fromJwk");
        refused("", "not a PEM document");
        refused(&"A".repeat(MAX_PEM_SIZE + 1), "more than the");
    }

    #[test]
    fn strict_base64() {
        assert_eq!(base64_decode("aGk=").as_deref().map(Vec::as_slice), Some(&b"hi"[..]));
        assert_eq!(base64_decode("aGk/").as_deref().map(Vec::as_slice), Some(&b"hi?"[..]));
        for bad in ["aGk", "aGk_", "aGl=", "a===", "aG=k", "aGk=aGk="] {
            assert!(base64_decode(bad).is_none(), "{bad}");
        }
    }
}
