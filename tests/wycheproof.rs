//! Wycheproof vectors natively: every file in tests/vectors/wycheproof, read from disk. The
//! rules and the pinned tallies are in tests/common/wycheproof.rs (shared with tests/wasm.rs).

#[path = "common/wycheproof.rs"]
mod wycheproof;

use std::path::Path;

#[test]
fn wycheproof_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/wycheproof");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    let expected_names = wycheproof::expected_files();
    assert_eq!(files, expected_names, "the set of Wycheproof files changed; update EXPECTED");

    wycheproof::run_all(|file| {
        std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("cannot read {file}: {e}"))
    });
}
