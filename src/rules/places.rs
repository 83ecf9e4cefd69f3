//! The applicant's province, city and district as GB/T 2260 divisions: a short form or stray
//! spaces are accepted with the standard name named; an unknown name is refused with the
//! names it could be.

use serde_json::Value;

use crate::diag::{Diagnostic, Text};
use crate::load::divisions::{self, Division, Level, Place};

/// More names than this are not listed (a city with no province given).
const MAX_LISTED: usize = 40;

fn code_note(d: &Division) -> (String, String) {
    if d.code.bytes().all(|b| b.is_ascii_digit()) {
        (format!("GB/T 2260 代码 {}", d.code), format!("GB/T 2260 code {}", d.code))
    } else {
        ("GB/T 2260 未设代码".to_owned(), "no GB/T 2260 code".to_owned())
    }
}

pub fn check(json: &Value) -> Vec<Diagnostic> {
    let mut issues = Vec::new();
    let text = |p: &str| json.pointer(p).and_then(Value::as_str).filter(|s| !s.starts_with(super::fields::PLACEHOLDER));
    let province = text("/applicant/province").map(|p| (p, divisions::resolve(p, Level::Province, None)));
    let province_div = province.and_then(|(_, p)| p.division());
    let city = text("/applicant/city").map(|c| (c, divisions::resolve(c, Level::City, province_div)));
    let city_div = city.and_then(|(_, c)| c.division());
    let district = text("/applicant/district").map(|d| (d, divisions::resolve(d, Level::County, city_div)));
    for (pointer, level, found, parent) in [
        ("/applicant/province", Level::Province, province, None),
        ("/applicant/city", Level::City, city, province_div),
        ("/applicant/district", Level::County, district, city_div),
    ] {
        let Some((given, place)) = found else { continue };
        match place {
            Place::Standard(_) => {}
            Place::Variant(d) => {
                let (code, code_en) = code_note(d);
                issues.push(
                    Diagnostic::warning("place.nonstandard", pointer, Text::new(format!("“{given}”按标准名称“{}”（{code}）处理", d.name), format!("“{given}” is taken as the standard name “{}” ({code_en})", d.name)))
                        .with_hint(Text::new(format!("请改为标准名称“{}”", d.name), format!("write the standard name “{}”", d.name))),
                );
            }
            Place::Unknown => issues.push(unknown(pointer, level, given, parent)),
        }
    }
    issues
}

fn unknown(pointer: &str, level: Level, given: &str, parent: Option<&Division>) -> Diagnostic {
    let (what, what_en) = match level {
        Level::Province => ("省级行政区", "province-level division"),
        Level::City => ("地级行政区（市、盟）", "prefecture-level division (city, league)"),
        Level::County => ("县级行政区（区、县、市、旗）", "county-level division (district, county, city, banner)"),
    };
    let (within, within_en) = parent.map_or((String::new(), String::new()), |p| (format!("{}的", p.name), format!(" of “{}”", p.name)));
    let names: Vec<&str> = divisions::candidates(level, parent).iter().map(|d| d.name).collect();
    let (list, list_en) = if names.len() <= MAX_LISTED {
        (format!("可选：{}", names.join("、")), format!("valid names: {}", names.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", ")))
    } else {
        ("请先填写所在省份（applicant.province），以便列出可选名称".to_owned(), "give the province (applicant.province) first, to list the valid names".to_owned())
    };
    let message = Text::new(
        format!("“{given}”不是{within}{what}的名称（GB/T 2260；{list}）"),
        format!("“{given}” is not a GB/T 2260 {what_en} name{within_en} ({list_en})"),
    );
    // A district may be a development zone (先导区、高新区) GB/T 2260 does not list: advisory.
    if level == Level::County {
        Diagnostic::warning("place.unknown-district", pointer, message)
    } else {
        Diagnostic::error("place.unknown", pointer, message)
    }
}
