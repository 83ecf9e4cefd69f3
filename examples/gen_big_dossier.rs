//! Writes a dossier N times the size of the Dalian city fixture (default 10) for the build
//! benchmark: every list and every report text repeated N times, figures unchanged.
//! `cargo run --release --example gen_big_dossier -- OUT_DIR [N]`

#[path = "support/mod.rs"]
mod support;

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
    let (out, n) = support::args("target/bench-big", 10);
    let mut json = support::fixture_copy("dalian-2023-city", &out);
    grow(&mut json, n, "");
    support::write_dossier(&out, &json);
    println!("{n}× dossier → {}", out.display());
}
