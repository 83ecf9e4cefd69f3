//! Writes a dossier N times the size of the Dalian city fixture (default 10) for the build
//! benchmark: every list and every report text repeated N times, figures unchanged.
//! `cargo run --release --example gen_big_dossier -- OUT_DIR [N]`

use std::path::{Path, PathBuf};

#[path = "support/mod.rs"]
mod support;
use support::copy_dir;

use serde_json::Value;


fn grow(v: &mut Value, n: usize, key: &str) {
    match v {
        Value::Array(items) if !matches!(key, "years" | "evidence" | "rosters" | "levels" | "self_assessment" | "occupations") => {
            let copy = items.clone();
            for _ in 1..n {
                items.extend(copy.iter().cloned());
            }
            for item in items.iter_mut() {
                grow(item, 1, "");
            }
        }
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if let (Value::String(s), true) = (&mut *child, ["unit_overview", "featured_training", "employment_promotion", "positioning", "features_innovation", "development_plan"].contains(&k.as_str())) {
                    *s = vec![s.clone(); n].join("\n");
                } else {
                    grow(child, n, k);
                }
            }
        }
        _ => {}
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(args.get(1).map_or("target/bench-big", String::as_str));
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dalian-2023-city");
    let _ = std::fs::remove_dir_all(&out);
    copy_dir(&fixture, &out);
    let loaded = dossier::load::load(&fixture).expect("fixture loads");
    let mut json = loaded.json;
    grow(&mut json, n, "");
    // JSON is YAML: the loader reads it as is.
    std::fs::write(out.join("dossier.yaml"), serde_json::to_string_pretty(&json).expect("json")).expect("write");
    println!("{n}× dossier → {}", out.display());
}
