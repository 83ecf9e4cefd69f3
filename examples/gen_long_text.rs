//! Writes the Dalian city fixture with `report.unit_overview` as one paragraph of N characters
//! (no line breaks), for the layout benchmark: layout time must grow linearly with N.
//! `cargo run --release --example gen_long_text -- OUT_DIR N`

use std::path::{Path, PathBuf};

#[path = "support/mod.rs"]
mod support;
use support::copy_dir;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(args.get(1).map_or("target/bench-long", String::as_str));
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dalian-2023-city");
    let _ = std::fs::remove_dir_all(&out);
    copy_dir(&fixture, &out);
    let loaded = dossier::load::load(&fixture).expect("fixture loads");
    let mut json = loaded.json;
    // Real prose: Han text with full-width punctuation and a few Latin/digit runs, so every
    // break rule (kinsoku, no break inside numbers) is exercised.
    let unit = "学校现有专职教师14人，2023年培训焊工620人次（合格率94.5%），就业服务覆盖甘井子区。";
    let text: String = unit.chars().cycle().take(n).collect();
    json["report"]["unit_overview"] = serde_json::Value::String(text);
    // JSON is YAML: the loader reads it as is.
    std::fs::write(out.join("dossier.yaml"), serde_json::to_string_pretty(&json).expect("json")).expect("write");
    println!("{n} 字的单段文字 → {}", out.display());
}
