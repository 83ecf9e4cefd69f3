//! What the benchmark generators share.

// Each generator includes this module and uses only part of it.
#![allow(dead_code)]

use std::path::Path;

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for e in std::fs::read_dir(from).expect("read fixture") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// The generators' command line: `OUT_DIR [N]`, with their defaults.
pub fn args(default_out: &str, default_n: usize) -> (std::path::PathBuf, usize) {
    let args: Vec<String> = std::env::args().collect();
    let out = std::path::PathBuf::from(args.get(1).map_or(default_out, String::as_str));
    (out, args.get(2).and_then(|s| s.parse().ok()).unwrap_or(default_n))
}

/// A fresh copy of `fixtures/<fixture>` at `out`, and its dossier as JSON to edit.
pub fn fixture_copy(fixture: &str, out: &Path) -> serde_json::Value {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(fixture);
    let _ = std::fs::remove_dir_all(out);
    copy_dir(&fixture, out);
    dossier::load::load(&fixture).expect("fixture loads").json
}

/// Write the edited dossier back; JSON is YAML, so the loader reads it as it is.
pub fn write_dossier(out: &Path, json: &serde_json::Value) {
    std::fs::write(out.join("dossier.yaml"), serde_json::to_string_pretty(json).expect("json")).expect("write");
}
