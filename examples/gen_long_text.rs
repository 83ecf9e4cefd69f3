//! Writes the Dalian city fixture with `report.unit_overview` as one paragraph of N characters
//! (no line breaks), for the layout benchmark: layout time must grow linearly with N.
//! `cargo run --release --example gen_long_text -- OUT_DIR N`

#[path = "support/mod.rs"]
mod support;

fn main() {
    let (out, n) = support::args("target/bench-long", 100_000);
    let mut json = support::fixture_copy("dalian-2023-city", &out);
    // Real prose: Han text with full-width punctuation and a few Latin/digit runs, so every
    // break rule (kinsoku, no break inside numbers) is exercised.
    let unit = "学校现有专职教师14人，2023年培训焊工620人次（合格率94.5%），就业服务覆盖甘井子区。";
    let text: String = unit.chars().cycle().take(n).collect();
    json["report"]["unit_overview"] = serde_json::Value::String(text);
    support::write_dossier(&out, &json);
    println!("{n} 字的单段文字 → {}", out.display());
}
