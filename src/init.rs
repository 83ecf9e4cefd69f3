//! `dossier init`: a skeleton `dossier.yaml` generated from the schema itself, so every
//! field carries the schema's Chinese title and the clause that asks for it.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::load::roster::{Column, header_name};
use crate::policy::Pack;
use crate::rules::fields::{PLACEHOLDER, PREFILLED};
use crate::rules::schema::{DOSSIER_SCHEMA, schema_json};

pub const SCHEMA_COPY: &str = "dossier.schema.json";
pub const ROSTER_TEMPLATE: &str = "rosters/培训人员名单.xlsx";

/// The roster template's columns, in the order bureaus usually ask for them.
const ROSTER_COLUMNS: &[(Column, &str, f64)] = &[
    (Column::Seq, "1", 6.0),
    (Column::Name, "示例：张三（请删除本行）", 22.0),
    (Column::Gender, "男", 6.0),
    (Column::IdNumber, "11010519491231002X", 22.0),
    (Column::Group, "城镇登记失业人员", 18.0),
    (Column::Occupation, "焊工", 16.0),
    (Column::Level, "四级/中级工", 12.0),
    (Column::TrainingType, "就业技能培训", 14.0),
    (Column::Period, "2022-03-01至2022-04-15", 24.0),
    (Column::Hours, "120", 8.0),
    (Column::CertificateNumber, "S000021020004220001", 22.0),
    (Column::Subsidised, "是", 12.0),
    (Column::SubsidyAmount, "1500", 14.0),
    (Column::Mode, "订单式培训", 12.0),
    (Column::EmploymentDate, "2022-05-10", 12.0),
    (Column::Employer, "大连某某有限公司", 22.0),
    (Column::Phone, "13800000000", 14.0),
];

/// An XLSX roster with the recognised headers, text-formatted ID column, and one example row.
pub fn roster_template() -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("培训人员名单").map_err(|e| e.to_string())?;
    let header = Format::new().set_bold();
    // Text format keeps Excel from turning 18-digit ID numbers into floats.
    let text = Format::new().set_num_format("@");
    for (i, (column, example, width)) in ROSTER_COLUMNS.iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(0, col, header_name(*column), &header).map_err(|e| e.to_string())?;
        sheet.write_string_with_format(1, col, *example, &text).map_err(|e| e.to_string())?;
        sheet.set_column_width(col, *width).map_err(|e| e.to_string())?;
        sheet.set_column_format(col, &text).map_err(|e| e.to_string())?;
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    book.save_to_buffer().map_err(|e| format!("无法生成名单模板：{e}"))
}

pub struct Options<'a> {
    pub pack: &'a Pack,
    /// Tier (Dalian, Inner Mongolia) or brand type (Liaoning).
    pub tier: &'a str,
    pub application_year: i32,
}

/// Fields the skeleton leaves out: they belong to another policy or would only hold
/// numbers the applicant has not computed yet.
fn omitted(opts: &Options, pointer: &str) -> bool {
    let liaoning_like = !opts.pack.brand_types.is_empty();
    let key = pointer.rsplit('/').next().unwrap_or("");
    match key {
        "$schema" | "declared_rates" | "code" => true,
        "tier" if pointer == "/policy/tier" => liaoning_like,
        "brand_type" | "scope" | "recommendation" | "supporting_units" => !liaoning_like,
        "other_branch" => opts.tier != "other",
        "internal_trainees" | "internal_retained_2y" => opts.tier != "enterprise",
        "graduates" | "graduates_employed" => opts.tier != "college",
        _ => false,
    }
}

fn deref(node: &Value) -> &Value {
    match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(p) => deref(schema_json().pointer(p).unwrap_or(node)),
        None => node,
    }
}

fn is_ref_to(node: &Value, def: &str) -> bool {
    node.get("$ref").and_then(Value::as_str) == Some(&format!("#/$defs/{def}"))
}

/// A scalar that passes the schema, with the marker comment when it is a value we chose for the
/// applicant (an enum's first choice, a number's minimum): `check` asks for each to be confirmed.
fn scalar(opts: &Options, pointer: &str, node: &Value) -> String {
    let (value, prefilled) = scalar_value(opts, pointer, node);
    if prefilled { format!("{value}  {PREFILLED}") } else { value }
}

/// The value, and whether it is a stand-in the applicant has not chosen.
fn scalar_value(opts: &Options, pointer: &str, node: &Value) -> (String, bool) {
    let value = scalar_fixed(opts, pointer, node);
    if let Some(v) = value {
        return (v, false);
    }
    let def = deref(node);
    if let Some(first) = def.get("enum").and_then(Value::as_array).and_then(|a| a.first()).and_then(Value::as_str) {
        return (first.to_owned(), true);
    }
    if is_ref_to(node, "year") {
        return ((opts.application_year - 1).to_string(), true);
    }
    match def.get("type").and_then(Value::as_str) {
        Some("integer") | Some("number") => {
            let min = def.get("minimum").and_then(Value::as_i64).unwrap_or(0);
            let floor = def.get("exclusiveMinimum").and_then(Value::as_i64).map_or(min, |m| m + 1);
            (floor.to_string(), true)
        }
        Some("boolean") => ("false".to_owned(), false),
        _ => (PLACEHOLDER.to_owned(), false),
    }
}

/// Values the skeleton knows: the policy, the look-back years, ids and constants.
fn scalar_fixed(opts: &Options, pointer: &str, node: &Value) -> Option<String> {
    let key = pointer.rsplit('/').next().unwrap_or("");
    let fixed = match (pointer, key) {
        ("/policy/id", _) => opts.pack.id.clone(),
        ("/policy/tier" | "/policy/brand_type", _) => opts.tier.to_owned(),
        ("/policy/application_year", _) => opts.application_year.to_string(),
        (_, "id") if pointer.starts_with("/evidence/") => "E01".to_owned(),
        (_, "item") => "\"1.1\"".to_owned(),
        ("/training/rosters/0/file", _) => ROSTER_TEMPLATE.to_owned(),
        ("/training/rosters/0/sheet", _) => "培训人员名单".to_owned(),
        _ => {
            let year_index = pointer.strip_prefix("/training/years/").and_then(|r| r.strip_suffix("/year"));
            if let Some(n) = year_index.and_then(|n| n.parse::<i32>().ok()) {
                return Some((opts.application_year - opts.pack.lookback.years + n).to_string());
            }
            return deref(node).get("const").map(Value::to_string);
        }
    };
    Some(fixed)
}

fn comment(out: &mut String, indent: usize, node: &Value) {
    let title = node.get("title").and_then(Value::as_str).unwrap_or("");
    let desc = node.get("description").and_then(Value::as_str).unwrap_or("");
    let _ = writeln!(out, "{}# {title}：{desc}", " ".repeat(indent));
}

fn object(out: &mut String, opts: &Options, pointer: &str, node: &Value, indent: usize, first_inline: bool) {
    let Some(props) = deref(node).get("properties").and_then(Value::as_object) else { return };
    let mut first = first_inline;
    for (key, child) in props {
        let ptr = format!("{pointer}/{key}");
        if omitted(opts, &ptr) {
            continue;
        }
        // The first key of a list item shares the "- " line; its comment goes above the dash.
        let pad = if first { String::new() } else { " ".repeat(indent) };
        if !first {
            comment(out, indent, child);
        }
        first = false;
        let def = deref(child);
        match def.get("type").and_then(Value::as_str) {
            Some("object") => {
                let _ = writeln!(out, "{pad}{key}:");
                object(out, opts, &ptr, child, indent + 2, false);
            }
            Some("array") => array(out, opts, &ptr, key, def, &pad, indent),
            _ => {
                let _ = writeln!(out, "{pad}{key}: {}", scalar(opts, &ptr, child));
            }
        }
    }
}

fn array(out: &mut String, opts: &Options, ptr: &str, key: &str, def: &Value, pad: &str, indent: usize) {
    let items = &def["items"];
    let item_def = deref(items);
    if item_def.get("type").and_then(Value::as_str) != Some("object") {
        let needed = def.get("minItems").and_then(Value::as_u64).unwrap_or(0) > 0;
        let (body, prefilled) = if needed { scalar_value(opts, &format!("{ptr}/0"), items) } else { (String::new(), false) };
        let mark = if prefilled { format!("  {PREFILLED}") } else { String::new() };
        let _ = writeln!(out, "{pad}{key}: [{body}]{mark}");
        return;
    }
    let _ = writeln!(out, "{pad}{key}:");
    let count = if ptr == "/training/years" { opts.pack.lookback.years as usize } else { 1 };
    for n in 0..count {
        let item_ptr = format!("{ptr}/{n}");
        let props = item_def.get("properties").and_then(Value::as_object);
        if let Some((_, first_node)) = props.and_then(|p| p.iter().next()) {
            comment(out, indent + 2, first_node);
        }
        let mut item = String::new();
        object(&mut item, opts, &item_ptr, items, indent + 4, true);
        let _ = write!(out, "{}- {item}", " ".repeat(indent + 2));
    }
}

pub fn skeleton(opts: &Options) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# yaml-language-server: $schema={SCHEMA_COPY}");
    let _ = writeln!(out, "# 职业技能培训品牌申报材料：{}（{}）", opts.pack.title, opts.pack.document);
    let _ = writeln!(out, "# 每个字段上方的注释说明应填写的内容及其政策依据；以“{PLACEHOLDER}”开头的内容尚未填写，dossier check 会逐项提示。");
    let _ = writeln!(out, "# 号码与日期请用引号括起来，如 \"2023-05-09\"、\"13812345678\"。");
    object(&mut out, opts, "", schema_json(), 0, false);
    out
}

/// Write the skeleton and a copy of the schema into `dir`; refuses to overwrite.
pub fn write(dir: &Path, opts: &Options) -> Result<(), String> {
    let yaml = dir.join(crate::load::DOSSIER_FILE);
    if yaml.exists() {
        return Err(format!("{} 已存在，未覆盖", yaml.display()));
    }
    for sub in ["evidence", "rosters"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| format!("无法创建目录 {}：{}", dir.display(), crate::lang::io_error_zh(&e)))?;
    }
    crate::atomic_write(&dir.join(SCHEMA_COPY), DOSSIER_SCHEMA.as_bytes())?;
    crate::atomic_write(&dir.join(ROSTER_TEMPLATE), &roster_template()?)?;
    crate::atomic_write(&yaml, skeleton(opts).as_bytes())
}
