//! Evaluate a policy pack's rules on a dossier: thresholds, materials, titles, naming.

use serde::Serialize;
use serde_json::Value;

use super::metrics::{Measured, Metrics, YearValue, field_of};
use super::roster::Rosters;
use crate::diag::{Diagnostic, Text};
use crate::lang::Lang;
use crate::load::divisions::{self, Level};
use crate::model::Dossier;
use crate::policy::{Check, Naming, Over, Pack, Presence, Rule, RuleSeverity, Threshold};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    /// Failed, but the key-support relaxation turns it into an advisory.
    Relaxed,
    /// The dossier lacks the data to decide.
    Unknown,
    Notice,
    /// Nothing to check (a roster audit without a roster).
    NotApplicable,
}

impl Status {
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Pass => "达到",
            Status::Fail => "未达到",
            Status::Relaxed => "未达到（重点扶持放宽）",
            Status::Unknown => "无法判断",
            Status::Notice => "提示",
            Status::NotApplicable => "不适用",
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        if lang == crate::lang::Lang::Zh {
            return self.label_zh();
        }
        match self {
            Status::Pass => "met",
            Status::Fail => "not met",
            Status::Relaxed => "not met (relaxed for key support)",
            Status::Unknown => "cannot tell",
            Status::Notice => "notice",
            Status::NotApplicable => "not applicable",
        }
    }
}

/// One rule's verdict, as the threshold table and JSON show it.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub rule: String,
    pub title: Text,
    pub severity: RuleSeverity,
    pub kind: &'static str,
    pub status: Status,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub required: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub actual: Text,
}

pub struct Evaluation {
    pub outcomes: Vec<Outcome>,
    pub issues: Vec<Diagnostic>,
    pub relaxation_holds: bool,
}

/// A Chinese requirement phrase: "超过 1000人", "达到 400人以上".
pub fn requirement(wording: &str, value: f64, unit: &str) -> String {
    let v = format_number(value);
    match wording.split_once("……") {
        Some((head, tail)) => format!("{head} {v}{unit}{tail}"),
        // Postpositions follow the number: 90%以上.
        None if ["以上", "以下", "及以上", "以内"].contains(&wording) => format!("{v}{unit}{wording}"),
        None => format!("{wording} {v}{unit}"),
    }
}

/// An English requirement phrase: "more than 1000 people", "at least 90%".
pub fn requirement_en(op: crate::policy::Op, value: f64, unit: &str) -> String {
    let v = format_number(value);
    let word = match op {
        crate::policy::Op::Gt => "more than",
        crate::policy::Op::Ge => "at least",
        crate::policy::Op::Lt => "less than",
        crate::policy::Op::Le => "at most",
    };
    format!("{word} {v}{}", unit_en(unit))
}

/// A unit in English, with its leading space where a word follows the number.
pub fn unit_en(unit: &str) -> &'static str {
    match unit {
        "%" => "%",
        "人" => " people",
        "家" => " partners",
        "次" => " times",
        "项" => " items",
        "级" => " (level)",
        "字" => " characters",
        _ => "",
    }
}

pub fn format_measured_en(m: &Measured) -> String {
    let unit = unit_en(m.unit);
    let one = |v: Option<f64>| v.map_or("not given".to_owned(), |v| format!("{}{unit}", format_number(v)));
    if m.each_year && m.per_year.len() > 1 {
        m.per_year.iter().map(|y| format!("{}: {}", y.year, one(y.value))).collect::<Vec<_>>().join(", ")
    } else {
        one(m.value)
    }
}

pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.2}") }
}

pub fn format_measured(m: &Measured) -> String {
    let one = |v: Option<f64>| v.map_or("未填".to_owned(), |v| format!("{}{}", format_number(v), m.unit));
    if m.each_year && m.per_year.len() > 1 {
        m.per_year.iter().map(|y| format!("{} 年 {}", y.year, one(y.value))).collect::<Vec<_>>().join("，")
    } else {
        one(m.value)
    }
}

fn applies(rule: &Rule, dossier: &Dossier) -> bool {
    let a = &rule.applies;
    let matches = |list: &[String], v: Option<&str>| list.is_empty() || v.is_some_and(|v| list.iter().any(|x| x == v));
    let city = dossier.applicant.places.city.map(|c| c.code);
    matches(&a.tiers, dossier.policy.tier.as_deref())
        && matches(&a.brand_types, dossier.policy.brand_type.as_deref())
        && matches(&a.other_branch, dossier.policy.other_branch.as_deref())
        // Cities by code: 大连, “大连市 ” and 大连市 are one city.
        && (a.city_codes.is_empty() || city.is_some_and(|c| a.city_codes.contains(&c)))
        && !city.is_some_and(|c| a.cities_except_codes.contains(&c))
        && matches(&a.applicant_kinds, Some(&dossier.applicant.kind))
}

fn kind_name(check: &Check) -> &'static str {
    match check {
        Check::Threshold { .. } => "threshold",
        Check::Location { .. } => "location",
        Check::Presence { .. } => "presence",
        Check::Title { .. } => "title",
        Check::Naming { .. } => "naming",
        Check::TextLength { .. } => "text_length",
        Check::Notice { .. } => "notice",
        Check::Roster { .. } => "roster",
        Check::Batch { .. } => "batch",
    }
}

fn issue_for(rule: &Rule, pointer: String, message: String, en: String) -> Diagnostic {
    let message = Text::new(message, en);
    let issue = match rule.severity {
        RuleSeverity::Blocking => Diagnostic::error(rule.id.clone(), pointer, message),
        RuleSeverity::Advisory => Diagnostic::warning(rule.id.clone(), pointer, message),
    };
    issue.with_citation(Some(rule.citation.clone()))
}

/// Where a failing threshold should point: the first failing (or missing) year's field.
fn threshold_pointer(json: &Value, t: &Threshold, m: &Measured) -> String {
    let failing = m.per_year.iter().find(|y| y.value.is_none_or(|v| !t.op.holds(v, t.value)));
    let Some(YearValue { index: Some(i), value, .. }) = failing else { return "/training/years".to_owned() };
    if t.over == Over::Total && value.is_some() {
        return "/training/years".to_owned();
    }
    let year = format!("/training/years/{i}");
    let field = field_of(&t.measure);
    // Employment without a window falls back to the three-month count.
    let fallback = if field == "employed_6m" { "employed_3m" } else { field };
    [field, fallback]
        .iter()
        .map(|f| format!("{year}/{f}"))
        .find(|p| json.pointer(p).is_some())
        .unwrap_or(year)
}

/// Whether the key-support relaxation holds, with an outcome and an issue when it was claimed.
fn relaxation(pack: &Pack, dossier: &Dossier, metrics: &Metrics) -> (bool, Option<Outcome>, Option<Diagnostic>) {
    let (Some(r), Some(claim)) = (&pack.relaxation, &dossier.training.key_support) else { return (false, None, None) };
    if !claim.claimed {
        return (false, None, None);
    }
    let m = metrics.measure(&r.condition.measure, r.condition.over);
    let figure_ok = m.value.is_some_and(|v| r.condition.op.holds(v, r.condition.value));
    let category_ok = !r.requires_category || !claim.categories.is_empty();
    let holds = figure_ok && category_ok;
    let required = requirement(&r.condition.wording, r.condition.value, &m.unit.replace('人', ""));
    let required_en = requirement_en(r.condition.op, r.condition.value, &m.unit.replace('人', ""));
    let outcome = Outcome {
        rule: r.id.clone(),
        title: Text::new(r.title.clone(), r.title_in(Lang::En)),
        severity: RuleSeverity::Advisory,
        kind: "relaxation",
        status: if holds { Status::Pass } else { Status::Fail },
        required: Text::new(required.clone(), required_en.clone()),
        actual: Text::new(format_measured(&m), format_measured_en(&m)),
    };
    let issue = (!holds).then(|| {
        let (why, why_en) = if !category_ok {
            (
                "未选择重点扶持类别（training.key_support.categories）".to_owned(),
                "no key-support category chosen (training.key_support.categories)".to_owned(),
            )
        } else {
            (
                // The derivation names the measure, whichever the pack's condition uses.
                format!("条件要求{required}，实际 {}（{}）", format_measured(&m), m.derivation),
                format!(
                    "the condition requires {required_en}, actual {} ({})",
                    format_measured_en(&m),
                    m.derivation.en
                ),
            )
        };
        Diagnostic::warning(r.id.clone(), "/training/key_support", Text::new(format!("申报了重点扶持，但条件不成立：{why}；规模条件不予放宽"), format!("key support is claimed, but its condition does not hold: {why_en}; the size requirements are not relaxed")))
            .with_citation(Some(r.citation.clone()))
    });
    (holds, Some(outcome), issue)
}

pub fn evaluate(pack: &Pack, dossier: &Dossier, json: &Value, metrics: &Metrics, rosters: &Rosters) -> Evaluation {
    let (relaxed, relax_outcome, relax_issue) = relaxation(pack, dossier, metrics);
    let mut outcomes = Vec::new();
    let mut issues: Vec<Diagnostic> = relax_issue.into_iter().collect();
    for rule in pack.rules.iter().filter(|r| applies(r, dossier)) {
        let mut outcome = Outcome {
            rule: rule.id.clone(),
            title: Text::new(rule.title.clone(), rule.title_in(Lang::En)),
            severity: rule.severity,
            kind: kind_name(&rule.check),
            status: Status::Pass,
            required: Text::default(),
            actual: Text::default(),
        };
        let title_en = rule.title_in(Lang::En).to_owned();
        match &rule.check {
            Check::Threshold { threshold: t } => {
                let m = metrics.measure(&t.measure, t.over);
                outcome.required = Text::new(requirement(&t.wording, t.value, m.unit), requirement_en(t.op, t.value, m.unit));
                outcome.actual = Text::new(format_measured(&m), format_measured_en(&m));
                let pointer = threshold_pointer(json, t, &m);
                match m.value {
                    None => {
                        outcome.status = Status::Unknown;
                        issues.push(issue_for(
                            rule,
                            pointer,
                            format!("{}：缺少数据，无法判断（{}）", rule.title, m.derivation),
                            format!("{title_en}: data missing, cannot tell ({})", m.derivation.en),
                        ));
                    }
                    Some(v) if t.op.holds(v, t.value) => {}
                    Some(_) => {
                        let message = format!(
                            "{}：要求{}，实际 {}（{}）",
                            rule.title, outcome.required, outcome.actual, m.derivation
                        );
                        let message_en = format!(
                            "{title_en}: required {}, actual {} ({})",
                            outcome.required.en, outcome.actual.en, m.derivation.en
                        );
                        if rule.relaxable && relaxed {
                            outcome.status = Status::Relaxed;
                            let r = pack.relaxation.as_ref().expect("relaxed implies a relaxation");
                            issues.push(
                                Diagnostic::warning(rule.id.clone(), pointer, Text::new(format!("{message}；符合{}，规模条件放宽，改为提示", r.citation.clause), format!(
                                        "{message_en}; the key-support relaxation ({}) holds, so this is only a warning",
                                        r.id
                                    )))
                                    .with_citation(Some(r.citation.clone())),
                            );
                        } else {
                            outcome.status = Status::Fail;
                            issues.push(issue_for(rule, pointer, message, message_en));
                        }
                    }
                }
            }
            Check::Location { location } => {
                let actual = json.pointer(&location.pointer).and_then(Value::as_str);
                // A place compares by GB/T 2260 code, so a short form of the right city passes.
                let place = crate::policy::place_level(&location.pointer).map(|level| {
                    let p = &dossier.applicant.places;
                    let found = match level {
                        Level::Province => p.province,
                        Level::City => p.city,
                        Level::County => p.district,
                    };
                    let province = pack.region.province.as_deref().and_then(|n| divisions::resolve(n, Level::Province, None).division());
                    let parent = if level == Level::Province { None } else { province };
                    found.is_some_and(|d| location.values.iter().any(|v| divisions::resolve(v, level, parent).division().is_some_and(|x| x.code == d.code)))
                });
                outcome.required = Text::new(location.values.join("或"), location.values.iter().map(|v| format!("“{v}”")).collect::<Vec<_>>().join(" or "));
                outcome.actual = Text::new(actual.unwrap_or("未填").to_owned(), actual.map_or("not given".to_owned(), |v| format!("“{v}”")));
                match actual {
                    Some(_) if place == Some(true) => {}
                    Some(v) if place.is_none() && location.values.iter().any(|x| x == v) => {}
                    other => {
                        outcome.status = if other.is_none() { Status::Unknown } else { Status::Fail };
                        let what = other.map_or("未填写".to_owned(), |v| format!("为“{v}”"));
                        let what_en = other.map_or("is not given".to_owned(), |v| format!("is “{v}”"));
                        issues.push(issue_for(
                            rule,
                            location.pointer.clone(),
                            format!("{}：所在地{what}，须为{}", rule.title, outcome.required),
                            format!("{title_en}: the location ({}) {what_en}, must be {}", location.pointer, outcome.required.en),
                        ));
                    }
                }
            }
            Check::Presence { presence } => {
                if let Some((pointer, why, why_en)) = presence_problem(presence, json) {
                    outcome.status = Status::Fail;
                    outcome.actual = Text::new(why.clone(), why_en.clone());
                    issues.push(issue_for(rule, pointer, format!("{}：{why}", rule.title), format!("{title_en}: {why_en}")));
                }
            }
            Check::Title { title_levels } => {
                let year = dossier.policy.application_year;
                let held = dossier
                    .brand
                    .existing_titles
                    .iter()
                    .any(|t| title_levels.contains(&t.level) && t.year <= year);
                // The tier names of the pack (区级), not its codes (district).
                let choice = |l: &String| pack.tiers.iter().find(|c| &c.id == l);
                let zh: Vec<&str> = title_levels.iter().map(|l| choice(l).map_or(l.as_str(), |c| c.name.as_str())).collect();
                let en: Vec<&str> = title_levels.iter().map(|l| choice(l).map_or(l.as_str(), |c| c.name_in(crate::lang::Lang::En))).collect();
                outcome.required = Text::new(format!("已获{}称号", zh.join("或")), format!("holds a title of {}", en.join(" or ")));
                if !held {
                    outcome.status = Status::Fail;
                    outcome.actual = Text::new("未登记".to_owned(), "none recorded".to_owned());
                    issues.push(issue_for(
                        rule,
                        if dossier.brand.existing_titles.is_empty() { "/brand".to_owned() } else { "/brand/existing_titles".to_owned() },
                        format!("{}：brand.existing_titles 中没有 {year} 年及以前获得的相应级别称号", rule.title),
                        format!("{title_en}: brand.existing_titles has no title of that level obtained in {year} or earlier"),
                    ));
                }
            }
            Check::Naming { naming } => {
                if let Some((why, why_en)) = naming_problem(naming, dossier) {
                    outcome.status = Status::Fail;
                    outcome.actual = Text::new(dossier.brand.name.clone(), format!("“{}”", dossier.brand.name));
                    issues.push(issue_for(
                        rule,
                        "/brand/name".to_owned(),
                        format!("品牌名称“{}”{why}（{}）", dossier.brand.name, rule.title),
                        format!("the brand name “{}” {why_en} ({title_en})", dossier.brand.name),
                    ));
                }
            }
            Check::TextLength { text_length } => {
                let text = json.pointer(&text_length.pointer).and_then(Value::as_str).unwrap_or("");
                let n = text.chars().filter(|c| !c.is_whitespace()).count();
                outcome.required = Text::new(format!("不超过 {} 字", text_length.max), format!("at most {} characters", text_length.max));
                outcome.actual = Text::new(format!("{n} 字"), format!("{n} characters"));
                if n > text_length.max {
                    outcome.status = Status::Fail;
                    issues.push(issue_for(
                        rule,
                        text_length.pointer.clone(),
                        format!("{}：共 {n} 字，超过 {} 字（多 {} 字）", rule.title, text_length.max, n - text_length.max),
                        format!(
                            "{title_en}: {n} characters, more than {} ({} too many)",
                            text_length.max,
                            n - text_length.max
                        ),
                    ));
                }
            }
            Check::Notice { notice, notice_en } => {
                outcome.status = Status::Notice;
                issues.push(issue_for(rule, "/policy".to_owned(), notice.clone(), notice_en.clone().unwrap_or_else(|| title_en.clone())));
            }
            // Needs the other submissions of the city: `dossier verify` evaluates it.
            Check::Batch { .. } => outcome.status = Status::NotApplicable,
            Check::Roster { roster } => {
                if rosters.is_empty() {
                    outcome.status = Status::NotApplicable;
                    outcome.actual = Text::new("无名单".to_owned(), "no roster".to_owned());
                } else {
                    let result = super::audit::run(roster, rule, rosters, dossier, &metrics.years);
                    outcome.actual = result.actual;
                    if !result.passed {
                        outcome.status = Status::Fail;
                    }
                    issues.extend(result.issues);
                }
            }
        }
        outcomes.push(outcome);
    }
    outcomes.extend(relax_outcome);
    Evaluation { outcomes, issues, relaxation_holds: relaxed }
}

/// The Chinese label of an enum value, read from the schema description ("id=标签；…").
pub fn enum_label(pointer: &str, value: &str) -> String {
    super::schema::schema_for(pointer)
        .and_then(|s| label_in(s, value))
        .map_or_else(|| value.to_owned(), |label| format!("{label}（{value}）"))
}

/// The label the schema `node` (or its items) gives the code `value`: `1=一级` in its
/// description gives 一级 for 1.
pub fn label_in<'a>(node: &'a Value, value: &str) -> Option<&'a str> {
    let desc = node.get("description").or_else(|| node.get("items").and_then(|i| i.get("description"))).and_then(Value::as_str)?;
    desc.split(['：', '；', '。']).find_map(|part| part.strip_prefix(value)?.strip_prefix('='))
}

fn presence_problem(p: &Presence, json: &Value) -> Option<(String, String, String)> {
    let value = json.pointer(&p.pointer);
    let empty = match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.len() < p.min_items.max(1),
        _ => false,
    };
    if empty {
        let label = super::schema::title_for(&p.pointer);
        return Some((p.pointer.clone(), format!("未填写{label}"), format!("{} is not filled in", p.pointer)));
    }
    let items = value.and_then(Value::as_array)?;
    if let Some(c) = &p.categories {
        let have: Vec<&str> = items.iter().filter_map(|i| i.get(&c.field).and_then(Value::as_str)).collect();
        let missing: Vec<String> = c
            .values
            .iter()
            .filter(|v| !have.contains(&v.as_str()))
            .map(|v| enum_label(&format!("{}/0/{}", p.pointer, c.field), v))
            .collect();
        if !missing.is_empty() {
            let missing_en: Vec<&str> =
                c.values.iter().filter(|v| !have.contains(&v.as_str())).map(String::as_str).collect();
            return Some((
                p.pointer.clone(),
                format!("缺少以下类别：{}", missing.join("、")),
                format!("these categories are missing: {}", missing_en.join(", ")),
            ));
        }
    }
    if p.evidence {
        for (i, item) in items.iter().enumerate() {
            let cited = item.get("evidence").and_then(Value::as_array).is_some_and(|e| !e.is_empty());
            if !cited {
                return Some((
                    format!("{}/{i}", p.pointer),
                    format!("第 {} 项未引用佐证材料", i + 1),
                    format!("item {} cites no evidence", i + 1),
                ));
            }
        }
    }
    None
}

/// Occupation names without their generic suffix: 焊工 → 焊, 育婴员 → 育婴.
fn occupation_stem(name: &str) -> &str {
    for suffix in ["工", "员", "师", "匠", "手"] {
        if let Some(stem) = name.strip_suffix(suffix).filter(|s| s.chars().count() >= 2) {
            return stem;
        }
    }
    name
}

fn place_stem(name: &str) -> &str {
    for suffix in ["自治区", "市", "区", "县", "旗", "盟", "省"] {
        if let Some(stem) = name.strip_suffix(suffix).filter(|s| s.chars().count() >= 2) {
            return stem;
        }
    }
    name
}

fn naming_problem(n: &Naming, d: &Dossier) -> Option<(String, String)> {
    let brand = d.brand.name.as_str();
    let mut starts: Vec<String> = Vec::new();
    for source in &n.starts_with {
        match source.as_str() {
            "applicant_name" => starts.push(d.applicant.name.clone()),
            "applicant_short_name" => starts.extend(d.applicant.short_name.clone()),
            // The standard name and its stem, whatever form the dossier used.
            "city" => {
                let city = d.applicant.places.city_name(&d.applicant.city);
                starts.extend([city.to_owned(), place_stem(city).to_owned()]);
            }
            "district" => {
                if let Some(x) = &d.applicant.district {
                    let x = d.applicant.places.district.map_or(x.trim(), |c| c.name);
                    starts.extend([x.to_owned(), place_stem(x).to_owned()]);
                }
            }
            "supporting_unit" => starts.extend(d.brand.supporting_units.iter().map(|u| u.name.clone())),
            _ => {}
        }
    }
    starts.retain(|s| !s.is_empty());
    if !starts.is_empty() && !starts.iter().any(|s| brand.starts_with(s.as_str())) {
        let quoted: Vec<String> = starts.iter().map(|s| format!("“{s}”")).collect();
        return Some((format!("未以{}开头", quoted.join("或")), format!("does not start with {}", quoted.join(" or "))));
    }
    if !n.ends_with_any.is_empty() && !n.ends_with_any.iter().any(|e| brand.ends_with(e.as_str())) {
        let quoted: Vec<String> = n.ends_with_any.iter().map(|s| format!("“{s}”")).collect();
        return Some((
            format!("未以职种（{}）结尾", n.ends_with_any.join("、")),
            format!("does not end with a trade word ({})", quoted.join(", ")),
        ));
    }
    if n.contains_occupation && !d.brand.occupations.iter().any(|o| brand.contains(occupation_stem(&o.name))) {
        return Some(("未包含培训职业（工种）名称".to_owned(), "does not contain the name of a trained occupation (trade)".to_owned()));
    }
    None
}

