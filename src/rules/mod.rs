//! Every check on a loaded dossier: schema, field formats, evidence files, figures, policy.

pub mod audit;
pub mod codes;
pub mod evidence;
pub mod fields;
pub mod figures;
pub mod metrics;
pub mod places;
pub mod outcomes;
pub mod roster;
pub mod schema;
pub mod score;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::diag::{Diagnostic, Severity, Text};
use crate::load::Loaded;
use crate::model::Dossier;
use crate::policy::{Check, Compute, Over, Pack, Registry};

/// The policy a dossier was checked under, as reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyInfo {
    pub id: String,
    pub version: String,
    pub title: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand_type: Option<String>,
    pub years: Vec<i32>,
}

#[derive(Debug, Clone)]
pub struct Checked {
    pub policy: Option<PolicyInfo>,
    pub findings: Vec<Diagnostic>,
    pub model: Option<Dossier>,
    /// Every policy rule's verdict (empty when the dossier could not be typed).
    pub outcomes: Vec<outcomes::Outcome>,
    /// Every figure the rules used, by `measure.over`, with how it was derived.
    pub metrics: BTreeMap<String, metrics::Measured>,
    pub score: Option<score::Score>,
    /// The roster rows, parsed (verify indexes their IDs across a batch).
    pub records: Vec<roster::Record>,
    /// What each readable evidence file is, by the path dossier.yaml writes.
    pub evidence: std::collections::BTreeMap<String, crate::load::media::Media>,
}

impl Checked {
    pub fn blocking(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Error).count()
    }

    /// Values still the skeleton's 待填写: advisories while editing, but a submission must
    /// not print them, so `build` refuses them unless it makes a draft.
    pub fn placeholders(&self) -> usize {
        self.findings.iter().filter(|f| f.rule == "placeholder.unfilled").count()
    }
}

pub fn check(loaded: &Loaded, registry: &Registry) -> Checked {
    let mut issues: Vec<Diagnostic> = loaded.issues.clone();
    issues.extend(schema::validate(&loaded.json));
    issues.extend(fields::check(&loaded.json));
    issues.extend(places::check(&loaded.json));
    prefilled(loaded, &mut issues);
    // A date in the wrong form is one finding (date.format, naming the form and the fix), not
    // also the schema's format pattern.
    let misdated: Vec<String> = issues.iter().filter(|i| i.rule == "date.format").map(|i| i.at.pointer.clone()).collect();
    issues.retain(|i| i.rule != "schema.format" || !misdated.contains(&i.at.pointer));
    let (found, evidence) = evidence::check(&loaded.json, &loaded.source);
    issues.extend(found);
    let pack = policy_pack(&loaded.json, registry, &mut issues);
    let model = Dossier::from_json(&loaded.json);
    let (mut outcomes, mut figures, mut score) = (Vec::new(), BTreeMap::new(), None);
    let mut records = Vec::new();
    if let (Some(dossier), Some(pack)) = (&model, pack) {
        issues.extend(figures::check(dossier, pack));
        let rosters = roster::load(dossier, &loaded.source, &mut issues);
        let metrics = metrics::Metrics::new(dossier, pack.years_for(dossier.policy.application_year), &rosters).with_deadline(pack.deadline.as_ref());
        let evaluation = outcomes::evaluate(pack, dossier, &loaded.json, &metrics, &rosters);
        issues.extend(evaluation.issues);
        outcomes = evaluation.outcomes;
        if let Some(scoring) = &pack.scoring {
            let (s, score_issues) = score::score(scoring, pack, dossier, &metrics, evaluation.relaxation_holds);
            issues.extend(score_issues);
            score = Some(s);
        }
        figures = metrics.snapshot(&measures_used(pack));
        drop(metrics);
        records = rosters.records;
    } else if model.is_none() && pack.is_some() {
        issues.push(Diagnostic::warning(
            "policy.skipped",
            "",
            Text::new("材料中有类型错误（见上），无法读取数据，政策门槛与评分未检查；改正后请重新检查", "the dossier has type errors (see above), so its data could not be read; policy thresholds and score were not checked; check again after fixing them"),
        ));
    }
    let policy = pack.map(|p| PolicyInfo {
        id: p.id.clone(),
        version: p.version.clone(),
        title: Text::new(p.title.clone(), p.title_in(crate::lang::Lang::En)),
        tier: str_at(&loaded.json, "/policy/tier").map(str::to_owned),
        brand_type: str_at(&loaded.json, "/policy/brand_type").map(str::to_owned),
        years: loaded.json.pointer("/policy/application_year").and_then(Value::as_i64).map_or_else(Vec::new, |y| p.years_for(y as i32)),
    });
    fullwidth_hints(&loaded.json, &mut issues);
    Checked { policy, findings: place(loaded, issues), model, outcomes, metrics: figures, score, records, evidence }
}

/// A value typed with a Chinese input method (全角 digits, letters, brackets, the ideographic
/// space) fails its format for a reason the user cannot see: name the character.
fn fullwidth_hints(json: &Value, issues: &mut [Diagnostic]) {
    for issue in issues.iter_mut() {
        let Some(value) = json.pointer(&issue.at.pointer).and_then(Value::as_str) else { continue };
        let Some((at, c, half)) = value.chars().enumerate().map(|(at, c)| (at, c, crate::mask::half_width(c))).find(|(_, c, half)| c != half) else { continue };
        // A digit is never named: it may be one an ID's mask hides.
        let (zh, en) = if half.is_ascii_digit() {
            (format!("从第 {} 个字符起含全角数字，请全部改为半角数字", at + 1), format!("full-width digits from character {} on; type them as half-width digits", at + 1))
        } else {
            (format!("第 {} 个字符“{c}”是全角字符，请改为半角“{half}”", at + 1), format!("character {} “{c}” is full-width; type the half-width “{half}”", at + 1))
        };
        issue.hint = Some(match issue.hint.take() {
            Some(h) => Text::new(format!("{zh}；{}", h.zh), if h.en.is_empty() { en } else { format!("{en}; {}", h.en) }),
            None => Text::new(zh, en),
        });
    }
}

/// Every (measure, aggregation) the pack's thresholds and score items read.
fn measures_used(pack: &Pack) -> Vec<(String, Over)> {
    let mut used: Vec<(String, Over)> = Vec::new();
    let mut add = |m: &str, o: Over| {
        if !used.iter().any(|(n, x)| n == m && *x == o) {
            used.push((m.to_owned(), o));
        }
    };
    for rule in &pack.rules {
        if let Check::Threshold { threshold } = &rule.check {
            add(&threshold.measure, threshold.over);
        }
    }
    if let Some(r) = &pack.relaxation {
        add(&r.condition.measure, r.condition.over);
    }
    for item in pack.scoring.iter().flat_map(|s| &s.items) {
        match &item.compute {
            Some(Compute::Bands(b)) => add(&b.measure, b.over),
            Some(Compute::TierThreshold(t)) => add(&t.measure, t.over),
            Some(Compute::AtLeast(a)) => add(&a.measure, Over::Total),
            Some(Compute::CertificateBands(c)) => {
                for kind in c.kinds.keys() {
                    add(&format!("pass_rate:{kind}"), Over::Total);
                }
            }
            _ => {}
        }
    }
    for b in pack.scoring.iter().flat_map(|s| &s.bonus) {
        add(&b.measure, Over::Total);
    }
    used
}

fn str_at<'a>(json: &'a Value, pointer: &str) -> Option<&'a str> {
    json.pointer(pointer).and_then(Value::as_str)
}

fn policy_pack<'r>(json: &Value, registry: &'r Registry, issues: &mut Vec<Diagnostic>) -> Option<&'r Pack> {
    let id = str_at(json, "/policy/id")?;
    let Some(pack) = registry.get(id) else {
        issues.push(
            Diagnostic::error("policy.unknown", "/policy/id", Text::new(format!("未知的政策编号“{id}”"), format!("unknown policy id “{id}”")))
                .with_hint(Text::new(format!("可用的政策：{}；或用 --policy-file 提供政策包", registry.ids().join("、")),
                    format!("available policies: {}; or give a policy pack with --policy-file", registry.ids().join(", ")))),
        );
        return None;
    };
    let pack_en = pack.title_in(crate::lang::Lang::En);
    for (field, choices, label, label_en) in
        [
        ("tier", &pack.tiers, "申报层级", "tier"),
        ("brand_type", &pack.brand_types, "品牌类型", "brand type"),
        ("scope", &pack.scopes, "品牌范围", "scope"),
    ]
    {
        let pointer = format!("/policy/{field}");
        match str_at(json, &pointer) {
            // A 待填写 placeholder is reported once, as a placeholder.
            Some(v) if v.starts_with(fields::PLACEHOLDER) => {}
            Some(v) if !choices.iter().any(|c| c.id == v) => {
                let names: Vec<String> = choices.iter().map(|c| format!("{}={}", c.id, c.name)).collect();
                let allowed = if names.is_empty() { "无".to_owned() } else { names.join("、") };
                let names_en: Vec<String> =
                    choices.iter().map(|c| format!("{}={}", c.id, c.name_in(crate::lang::Lang::En))).collect();
                let allowed_en = if names_en.is_empty() { "none".to_owned() } else { names_en.join(", ") };
                issues.push(
                    Diagnostic::error("policy.tier", pointer, Text::new(format!("{}不设{label}“{v}”（可选：{allowed}）", pack.title), format!("{pack_en} has no {label_en} “{v}” (choices: {allowed_en})"))),
                );
            }
            None if !choices.is_empty() => issues.push(
                Diagnostic::error("policy.tier", "/policy", Text::new(format!("按{}申报须填写{label}（policy.{field}）", pack.title), format!("an application under {pack_en} must give its {label_en} (policy.{field})"))),
            ),
            _ => {}
        }
    }
    Some(pack)
}

/// Turn pointers into positions, and order findings as they appear in the file.
fn place(loaded: &Loaded, issues: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let file = loaded.file.display().to_string();
    let mut findings: Vec<Diagnostic> = issues
        .into_iter()
        .map(|mut issue| {
            let pos = issue.at.pos.or_else(|| {
                // Unknown fields point at their key; everything else at the value.
                (issue.rule == "schema.unknown-field").then(|| loaded.index.key(&issue.at.pointer)).flatten()
            });
            let pos = pos.unwrap_or_else(|| loaded.index.locate(&issue.at.pointer));
            let (file, line, column, cell) = match issue.at.roster_cell.take() {
                Some(c) => (c.file, c.row, c.column, Some(c.cell)),
                None => (file.clone(), pos.line, pos.column, None),
            };
            issue.placed(file, line, column, cell)
        })
        .collect();
    // dossier.yaml first, then each roster, each in reading order; a finding about the others
    // ("see above") after all of them.
    let refers_back = |f: &Diagnostic| REFERS_BACK.contains(&f.rule.as_str());
    findings.sort_by(|a, b| {
        (refers_back(a), a.at.cell.is_some(), &a.at.file, a.at.line, a.at.column, &a.rule, &a.message.zh)
            .cmp(&(refers_back(b), b.at.cell.is_some(), &b.at.file, b.at.line, b.at.column, &b.rule, &b.message.zh))
    });
    findings.dedup_by(|a, b| a.rule == b.rule && a.at.pointer == b.at.pointer && a.message.zh == b.message.zh);
    cap_per_rule(fold_repeats(findings))
}

/// Values `init` chose for the applicant, still marked `# 待确认`: placeholders like 待填写
/// (an advisory in check, a refusal in build), at the value.
fn prefilled(loaded: &Loaded, issues: &mut Vec<Diagnostic>) {
    for (i, line) in loaded.text.lines().enumerate() {
        let Some(at) = line.find(fields::PREFILLED) else { continue };
        let before = line[..at].trim();
        if before.is_empty() || before.starts_with('#') || !line[at + fields::PREFILLED.len()..].trim().is_empty() {
            continue;
        }
        let Some((pointer, pos)) = loaded.index.pointer_on_line(i + 1) else { continue };
        let value = loaded.json.pointer(pointer).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).unwrap_or_default();
        issues.push(
            Diagnostic::warning("placeholder.unfilled", pointer, Text::new(format!("{}仍是骨架预填的“{value}”，尚未确认", schema::title_for(pointer)), format!("{} is still the skeleton's pre-filled “{value}”, not yet confirmed", schema::field_path(pointer))))
                .with_hint(Text::new(format!("确认或改为实际取值后，删除行尾的“{}”", fields::PREFILLED),
                    format!("confirm it or enter the real value, then delete the “{}” at the end of the line", fields::PREFILLED)))
                .at_pos(pos),
        );
    }
}

/// Findings whose message refers to the findings before it.
const REFERS_BACK: &[&str] = &["policy.skipped"];

/// Rules whose cause is a whole roster column (Excel stored the IDs as numbers): one finding at
/// the first cell, the other rows counted in it.
const ONE_CAUSE_PER_COLUMN: &[&str] = &["roster.id-as-number"];

/// From this many findings in one column on, they are folded: two are two mistakes, a column
/// of them is the column's format.
const FOLD_FROM: usize = 3;

/// Rows listed in a folded finding; more are "…".
const FOLDED_ROWS_SHOWN: usize = 10;

fn fold_repeats(findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    let key = |f: &Diagnostic| (f.rule.clone(), f.at.file.clone(), f.at.column);
    let mut rows: HashMap<(String, String, usize), Vec<usize>> = HashMap::new();
    for f in findings.iter().filter(|f| f.at.cell.is_some() && ONE_CAUSE_PER_COLUMN.contains(&f.rule.as_str())) {
        rows.entry(key(f)).or_default().push(f.at.line);
    }
    rows.retain(|_, lines| lines.len() >= FOLD_FROM);
    let mut out = Vec::with_capacity(findings.len());
    for mut f in findings {
        let Some(lines) = (f.at.cell.is_some()).then(|| rows.get(&key(&f))).flatten() else {
            out.push(f);
            continue;
        };
        if lines[0] != f.at.line {
            continue;
        }
        let more = &lines[1..];
        let mut shown: Vec<String> = more.iter().take(FOLDED_ROWS_SHOWN).map(usize::to_string).collect();
        if more.len() > FOLDED_ROWS_SHOWN {
            shown.push("…".to_owned());
        }
        let en = if f.message.en.is_empty() { String::new() } else { format!("{} ({} more, rows {})", f.message.en, more.len(), shown.join(", ")) };
        f.message = Text::new(format!("{}（另有 {} 处，第 {} 行）", f.message.zh, more.len(), shown.join("、")), en);
        out.push(f);
    }
    out
}

/// Findings of one rule in one file beyond this are folded into a count: a roster of
/// 100,000 bad rows should say so, not print 100,000 lines.
pub const MAX_FINDINGS_PER_RULE: usize = 200;

fn cap_per_rule(findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for f in &findings {
        *seen.entry((f.rule.clone(), f.at.file.clone())).or_default() += 1;
    }
    if seen.values().all(|n| *n <= MAX_FINDINGS_PER_RULE) {
        return findings;
    }
    let mut kept: HashMap<(String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for f in findings {
        let key = (f.rule.clone(), f.at.file.clone());
        let n = kept.entry(key.clone()).or_default();
        *n += 1;
        if *n <= MAX_FINDINGS_PER_RULE {
            out.push(f);
        } else if *n == MAX_FINDINGS_PER_RULE + 1 {
            // The first folded finding stands for the rest, at its own place and severity.
            let more = seen[&key] - MAX_FINDINGS_PER_RULE;
            out.push(Diagnostic {
                message: Text::new(
                    format!("另有 {more} 处同类问题（{}）未逐一列出；自此处起", f.rule),
                    format!("{more} more findings of this kind ({}) not listed; from here on", f.rule),
                ),
                hint: Some(Text::new(
                    format!("每条规则在每个文件中最多列出 {MAX_FINDINGS_PER_RULE} 处"),
                    format!("at most {MAX_FINDINGS_PER_RULE} findings are listed per rule and file"),
                )),
                ..f
            });
        }
    }
    out
}
