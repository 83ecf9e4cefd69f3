//! The JSON Schema the binary enforces, and its errors as findings in Chinese.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, Validator};
use serde_json::Value;

use crate::diag::{Diagnostic, pointer_token, Text};

pub const DOSSIER_SCHEMA: &str = include_str!("../../schemas/dossier.schema.json");

pub fn schema_json() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(DOSSIER_SCHEMA).expect("bundled schema is JSON"))
}

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(schema_json())
            .expect("bundled schema compiles")
    })
}

/// Follow `$ref` chains inside the bundled schema.
fn deref(mut node: &Value) -> &Value {
    for _ in 0..8 {
        match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(ptr) => node = schema_json().pointer(ptr).unwrap_or(node),
            None => break,
        }
    }
    node
}

/// Fill in every absent optional object, list and text the schema describes as empty (`{}`,
/// `[]`, `""`), so a template can print a section the applicant left out as a blank form
/// instead of failing on it. Numbers and flags stay absent: no figure is invented.
pub fn fill_absent(json: &mut Value) {
    fill(json, schema_json(), 0);
}

fn fill(value: &mut Value, schema: &Value, depth: usize) {
    let schema = deref(schema);
    // The schema is a tree of a few levels; the cap only guards a recursive $ref.
    if depth > 16 {
        return;
    }
    match value {
        Value::Object(map) => {
            let Some(props) = schema.get("properties").and_then(Value::as_object) else { return };
            for (key, sub) in props {
                let sub_schema = deref(sub);
                if !map.contains_key(key) {
                    let empty = match sub_schema.get("type").and_then(Value::as_str) {
                        Some("object") => Value::Object(serde_json::Map::new()),
                        Some("array") => Value::Array(Vec::new()),
                        Some("string") => Value::String(String::new()),
                        _ => continue,
                    };
                    map.insert(key.clone(), empty);
                }
                if let Some(child) = map.get_mut(key) {
                    fill(child, sub_schema, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for item in items {
                    fill(item, item_schema, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The schema node that describes the instance at `pointer` (its own title, before `$ref`).
pub fn schema_for(pointer: &str) -> Option<&'static Value> {
    let mut node = schema_json();
    for token in pointer.split('/').skip(1) {
        node = child(node, &token.replace("~1", "/").replace("~0", "~"))?;
    }
    Some(node)
}

/// The schema of a member (an object's property, else an array's item) of the value `node`
/// describes: one step of [`schema_for`], for a walk that descends the document and its
/// schema together.
pub fn child(node: &'static Value, token: &str) -> Option<&'static Value> {
    let here = deref(node);
    match here.get("properties").and_then(|p| p.get(token)) {
        Some(child) => Some(child),
        None => here.get("items"),
    }
}

/// The document's schema, where a walk with [`child`] starts.
pub fn root() -> &'static Value {
    schema_json()
}

pub fn title_for(pointer: &str) -> String {
    let key = pointer.rsplit('/').next().unwrap_or("");
    match schema_for(pointer).and_then(|s| s.get("title")).and_then(Value::as_str) {
        Some(title) if !key.is_empty() && key.parse::<usize>().is_err() => format!("“{title}”（{key}）"),
        Some(title) => format!("“{title}”"),
        None => format!("“{key}”"),
    }
}

/// A pointer as a field path, for English messages: "/training/years/0/passed" →
/// "training.years[0].passed".
pub fn field_path(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if token.parse::<usize>().is_ok() {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    if out.is_empty() { "the document".to_owned() } else { out }
}

/// A value for English messages: text quoted “…” (it is the user's data), others as JSON.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("“{s}”"),
        other => other.to_string(),
    }
}

fn type_name_en(t: JsonType) -> &'static str {
    match t {
        JsonType::Array => "a list",
        JsonType::Boolean => "yes/no (true or false)",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "a mapping (key: value)",
        JsonType::String => "text",
    }
}

fn actual_type_en(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "yes/no",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

const QUOTE_HINT: &str = "号码请用引号括起来（如 \"210202198501011234\"），否则 YAML 会把它当作数字";
const QUOTE_HINT_EN: &str = "put numbers in quotes (e.g. \"210202198501011234\"), or YAML reads them as numbers";

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Array => "列表",
        JsonType::Boolean => "是/否（true 或 false）",
        JsonType::Integer => "整数",
        JsonType::Null => "空值",
        JsonType::Number => "数字",
        JsonType::Object => "映射（键: 值）",
        JsonType::String => "文本",
    }
}

fn actual_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "空值",
        Value::Bool(_) => "是/否",
        Value::Number(n) if n.is_i64() || n.is_u64() => "整数",
        Value::Number(_) => "数字",
        Value::String(_) => "文本",
        Value::Array(_) => "列表",
        Value::Object(_) => "映射",
    }
}

/// Keys whose values are digit strings that YAML would read as numbers unless quoted.
const QUOTE_ME: &[&str] = &["credit_code", "id_number", "phone", "mobile", "number", "certificate_number"];

fn known_keys(pointer: &str) -> Vec<String> {
    schema_for(pointer)
        .map(deref)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn closest<'a>(word: &str, candidates: &'a [String]) -> Option<&'a String> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    candidates.iter().map(|c| (distance(word, c), c)).filter(|(d, _)| *d <= 3).min().map(|(_, c)| c)
}

pub fn validate(json: &Value) -> Vec<Diagnostic> {
    let mut issues = Vec::new();
    for error in validator().iter_errors(json) {
        let pointer = error.instance_path().as_str().to_owned();
        let what = title_for(&pointer);
        let field = field_path(&pointer);
        let instance = error.instance();
        let issue = match error.kind() {
            ValidationErrorKind::Required { property } => {
                let prop = property.as_str().unwrap_or_default();
                let child = format!("{pointer}/{}", pointer_token(prop));
                Diagnostic::error("schema.required", pointer, Text::new(format!("缺少必填项{}", title_for(&child)), format!("required field {} is missing", field_path(&child))))
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = known_keys(&pointer);
                for key in unexpected {
                    let mut issue = Diagnostic::error(
                        "schema.unknown-field",
                        format!("{pointer}/{}", pointer_token(key)),
                        Text::new(format!("未知字段“{key}”：{what}中没有这一项"), format!("unknown field “{key}”: {field} has no such item")),
                    );
                    if let Some(best) = closest(key, &known) {
                        issue = issue.with_hint(Text::new(format!("是否应为“{best}”？"), format!("did you mean “{best}”?")));
                    }
                    issues.push(issue);
                }
                continue;
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => type_name(*t).to_owned(),
                    TypeKind::Multiple(ts) => ts.iter().map(type_name).collect::<Vec<_>>().join("或"),
                };
                let expected_en = match kind {
                    TypeKind::Single(t) => type_name_en(*t).to_owned(),
                    TypeKind::Multiple(ts) => ts.iter().map(type_name_en).collect::<Vec<_>>().join(" or "),
                };
                let issue = Diagnostic::error(
                    "schema.type",
                    pointer.clone(),
                    Text::new(format!("{what}应为{expected}，实际为{}", actual_type(instance)), format!("{field} should be {expected_en}, it is {}", actual_type_en(instance))),
                );
                let key = pointer.rsplit('/').next().unwrap_or("");
                if instance.is_number() && QUOTE_ME.contains(&key) {
                    issue.with_hint(Text::new(QUOTE_HINT, QUOTE_HINT_EN))
                } else {
                    issue
                }
            }
            ValidationErrorKind::Enum { options } => {
                let list: Vec<String> = options
                    .as_array()
                    .map(|a| a.iter().map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_owned)).collect())
                    .unwrap_or_default();
                let desc = schema_for(&pointer).and_then(|s| s.get("description")).and_then(Value::as_str);
                let issue = Diagnostic::error(
                    "schema.enum",
                    pointer,
                    Text::new(format!("{what}的取值 {instance} 不在可选范围内（{}）", list.join("、")), format!(
                    "the value {} of {field} is not one of the choices ({})",
                    shown(instance),
                    list.iter().map(|o| format!("“{o}”")).collect::<Vec<_>>().join(", ")
                )),
                );
                match desc {
                    Some(d) => issue.with_hint(Text::new(d, format!("allowed values: {}", list.join(", ")))),
                    None => issue,
                }
            }
            ValidationErrorKind::Constant { expected_value } => {
                Diagnostic::error("schema.const", pointer, Text::new(format!("{what}应为 {expected_value}，实际为 {instance}"), format!("{field} should be {}, it is {}", shown(expected_value), shown(instance))))
            }
            ValidationErrorKind::Pattern { .. } | ValidationErrorKind::AnyOf { .. }
                if instance.is_number() && QUOTE_ME.contains(&pointer.rsplit('/').next().unwrap_or("")) =>
            {
                Diagnostic::error("schema.type", pointer, Text::new(format!("{what}应为文本，实际为{}", actual_type(instance)), format!("{field} should be text, it is {}", actual_type_en(instance))))
                    .with_hint(Text::new(QUOTE_HINT, QUOTE_HINT_EN))
            }
            ValidationErrorKind::Pattern { .. } | ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::Format { .. } => {
                let desc = schema_for(&pointer).map(deref).and_then(|s| s.get("description")).and_then(Value::as_str);
                let issue = Diagnostic::error("schema.format", pointer, Text::new(format!("{what}的格式不符合要求：{instance}"), format!("{field} has the wrong format: {}", shown(instance))));
                match desc {
                    Some(d) => issue.with_hint(Text::new(d, format!("see the description of {field} in dossier schema"))),
                    None => issue,
                }
            }
            ValidationErrorKind::Minimum { limit } => {
                Diagnostic::error("schema.range", pointer, Text::new(format!("{what}不能小于 {limit}，实际为 {instance}"), format!("{field} must not be less than {limit}, it is {instance}")))
            }
            ValidationErrorKind::Maximum { limit } => {
                Diagnostic::error("schema.range", pointer, Text::new(format!("{what}不能大于 {limit}，实际为 {instance}"), format!("{field} must not be more than {limit}, it is {instance}")))
            }
            ValidationErrorKind::ExclusiveMinimum { limit } => {
                Diagnostic::error("schema.range", pointer, Text::new(format!("{what}必须大于 {limit}，实际为 {instance}"), format!("{field} must be more than {limit}, it is {instance}")))
            }
            ValidationErrorKind::ExclusiveMaximum { limit } => {
                Diagnostic::error("schema.range", pointer, Text::new(format!("{what}必须小于 {limit}，实际为 {instance}"), format!("{field} must be less than {limit}, it is {instance}")))
            }
            ValidationErrorKind::MinItems { limit } => {
                Diagnostic::error("schema.min-items", pointer, Text::new(format!("{what}至少需要 {limit} 项"), format!("{field} needs at least {limit} items")))
            }
            ValidationErrorKind::MinLength { .. } => {
                Diagnostic::error("schema.empty", pointer, Text::new(format!("{what}不能为空"), format!("{field} must not be empty")))
            }
            ValidationErrorKind::UniqueItems => {
                Diagnostic::error("schema.unique", pointer, Text::new(format!("{what}中有重复项"), format!("{field} has duplicate items")))
            }
            _ => Diagnostic::error("schema.other", pointer, Text::new(format!("{what}不符合格式要求：{error}"), format!("{field} does not match the format: {error}"))),
        };
        issues.push(issue);
    }
    issues
}
