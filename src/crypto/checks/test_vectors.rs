//! Key material shared by the tests of both builds: every SPKI in the Wycheproof files.

/// Every `publicKeyDer` of the Wycheproof files in tests/vectors/wycheproof (refuses to return
/// a handful: a missing vector directory must fail, not pass).
pub(super) fn wycheproof_spkis() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/wycheproof");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for group in doc["testGroups"].as_array().unwrap() {
            if let Some(der) = group["publicKeyDer"].as_str() {
                out.push(super::hex(der));
            }
        }
    }
    assert!(out.len() > 50, "Wycheproof key material missing: {}", out.len());
    out
}
