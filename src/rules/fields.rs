//! Checks that apply to a kind of value wherever it appears: codes, phones, dates,
//! unfilled placeholders.

use serde_json::Value;

use super::codes;
use crate::diag::{Diagnostic, pointer_token, Text};

pub const PLACEHOLDER: &str = "待填写";

/// The comment `init` puts after a value it chose for the applicant (an enum's first choice, a
/// number's minimum): still a placeholder until the applicant confirms it by deleting the comment.
pub const PREFILLED: &str = "# 待确认";

const DATE_KEYS: &[&str] =
    &["date", "issued", "valid_until", "lease_start", "lease_end", "agreement_date", "established", "since"];

/// Visit every value with its JSON Pointer and the key that holds it.
pub fn walk<'a>(value: &'a Value, pointer: &mut String, key: &str, visit: &mut dyn FnMut(&str, &str, &'a Value)) {
    visit(pointer, key, value);
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointer.push('/');
                pointer.push_str(&pointer_token(k));
                walk(v, pointer, k, visit);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointer.push_str(&format!("/{i}"));
                walk(v, pointer, key, visit);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

pub fn check(json: &Value) -> Vec<Diagnostic> {
    let mut issues = Vec::new();
    walk(json, &mut String::new(), "", &mut |pointer, key, value| {
        let Some(s) = value.as_str() else { return };
        let mut unprintable: Vec<char> = s.chars().filter(|c| !crate::fonts::bundled_covers(*c)).collect();
        if !unprintable.is_empty() {
            unprintable.dedup();
            let list: Vec<String> = unprintable.iter().map(|c| format!("“{c}”(U+{:04X})", *c as u32)).collect();
            issues.push(
                Diagnostic::error("text.unprintable", pointer, Text::new(format!("内置字体中没有字符 {}，生成的材料会缺字", list.join("、")), format!("the bundled fonts lack the characters {}; the rendered documents would miss them", list.join(", "))))
                    .with_hint(Text::new("改用常用字或标准写法；确需使用时，用 dossier build --font-dir 提供包含该字的字体",
                        "use common characters or the standard form; if the character is needed, give a font that has it with dossier build --font-dir")),
            );
        }
        if s.starts_with(PLACEHOLDER) {
            issues.push(
                Diagnostic::warning("placeholder.unfilled", pointer, Text::new(format!("尚未填写{}", super::schema::title_for(pointer)), format!("{} is not filled in yet (still the “{PLACEHOLDER}” placeholder)", super::schema::field_path(pointer)))),
            );
            return;
        }
        match key {
            "credit_code" => {
                if let Some(problem) = codes::credit_code_problem(s) {
                    let en = codes::credit_code_problem_en(s).unwrap_or_default();
                    issues.push(Diagnostic::error("code.credit-code", pointer, Text::new(problem, en)));
                }
            }
            "id_number" => {
                if let Some(problem) = codes::id_number_problem(s) {
                    issues.push(
                        Diagnostic::error("code.id-number", pointer, Text::new(problem, codes::id_number_problem_en(s).unwrap_or_default()))
                            .with_hint(Text::new("请对照身份证原件核对，注意末位 X", "compare with the original ID card; mind a final X")),
                    );
                } else if let Some((zh, en)) = codes::id_address_warning(s) {
                    issues.push(Diagnostic::warning("code.id-address", pointer, Text::new(zh, en)));
                }
            }
            "phone" | "mobile" if !codes::phone_is_well_formed(s) => {
                issues.push(
                    Diagnostic::error("code.phone", pointer, Text::new(format!("电话号码格式不正确：{s}"), format!("malformed phone number: {s}")))
                        .with_hint(Text::new("手机号为 11 位数字（如 13812345678），固定电话写区号（如 0411-82345678）",
                            "mobile numbers have 11 digits (e.g. 13812345678); landlines need the area code (e.g. 0411-82345678)")),
                );
            }
            k if DATE_KEYS.contains(&k) && s != "长期" && codes::parse_date(s).is_none() => {
                issues.push(date_issue(s, pointer));
            }
            _ => {}
        }
    });
    issues
}

/// A date not written YYYY-MM-DD. A real date in another form (2013.3.1, 2013年3月1日, as rosters
/// may write them) is told its accepted form with the corrected value; only a YYYY-MM-DD that
/// names no day is "not a real date".
fn date_issue(s: &str, pointer: &str) -> Diagnostic {
    let only_date = s.trim().chars().all(|c| c.is_ascii_digit() || "-/.年月日".contains(c));
    let shaped = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    match super::roster::parse_date(s.trim()).filter(|_| only_date) {
        Some((y, m, d)) => {
            let fixed = format!("{y:04}-{m:02}-{d:02}");
            Diagnostic::error("date.format", pointer, Text::new(format!("日期“{s}”的写法不对：dossier.yaml 中的日期须写成 YYYY-MM-DD（年4位、月2位、日2位，用“-”连接）"), format!("the date “{s}” is written in the wrong form: dates in dossier.yaml are written YYYY-MM-DD")))
                .with_hint(Text::new(format!("改为 \"{fixed}\""), format!("write \"{fixed}\"")))
        }
        None if shaped => Diagnostic::error("date.invalid", pointer, Text::new(format!("日期“{s}”不是真实的公历日期"), format!("the date “{s}” is not a real calendar date")))
            .with_hint(Text::new("日期格式为 YYYY-MM-DD，如 2023-05-09", "dates are written YYYY-MM-DD, e.g. 2023-05-09")),
        None => Diagnostic::error("date.format", pointer, Text::new(format!("无法识别的日期“{s}”：dossier.yaml 中的日期须写成 YYYY-MM-DD"), format!("unrecognised date “{s}”: dates in dossier.yaml are written YYYY-MM-DD")))
            .with_hint(Text::new("如 \"2023-05-09\"", "e.g. \"2023-05-09\"")),
    }
}
