//! Roster audits from the subsidy documents: how often a person may be subsidised, for what,
//! and how much. Each audit is a pack rule; this module only knows how to count.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::roster::{Record, Rosters};
use crate::diag::{Diagnostic, Text};
use crate::load::roster::Column;
use crate::model::Dossier;
use crate::policy::{Rule, RosterAudit};

pub struct AuditResult {
    pub passed: bool,
    pub actual: Text,
    pub issues: Vec<Diagnostic>,
}

fn person(r: &Record) -> String {
    r.id_number.clone()
}

fn issue(rule: &Rule, rosters: &Rosters, rec: &Record, column: Column, message: String, en: String) -> Diagnostic {
    let message = Text::new(message, en);
    let base = match rule.severity {
        crate::policy::RuleSeverity::Blocking => Diagnostic::error(rule.id.clone(), "/training/rosters", message),
        crate::policy::RuleSeverity::Advisory => Diagnostic::warning(rule.id.clone(), "/training/rosters", message),
    };
    base.in_cell(rosters.cell(rec, Some(column))).with_citation(Some(rule.citation.clone()))
}

fn level_rank(level: &str) -> u8 {
    match level {
        "level_5" => 1,
        "level_4" => 2,
        "level_3" => 3,
        "level_2" => 4,
        "level_1" => 5,
        _ => 0,
    }
}

const LEVEL_NAMES: &[(&str, &str)] = &[
    ("level_5", "初级（五级）"),
    ("level_4", "中级（四级）"),
    ("level_3", "高级（三级）"),
    ("level_2", "技师（二级）"),
    ("level_1", "高级技师（一级）"),
    ("special_ability", "专项职业能力"),
    ("training_certificate", "培训合格"),
];

/// Quoted, for English messages that show Chinese names from the data or the pack.
fn q(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    items.into_iter().map(|s| format!("“{}”", s.as_ref())).collect::<Vec<_>>().join(", ")
}

fn level_name_en(level: &str) -> &str {
    match level {
        "level_5" => "initial (level 5)",
        "level_4" => "intermediate (level 4)",
        "level_3" => "advanced (level 3)",
        "level_2" => "technician (level 2)",
        "level_1" => "senior technician (level 1)",
        "special_ability" => "special vocational ability",
        "training_certificate" => "training certificate",
        other => other,
    }
}

fn level_name(level: &str) -> &str {
    LEVEL_NAMES.iter().find(|(k, _)| *k == level).map_or(level, |(_, v)| v)
}

pub fn run(audit: &RosterAudit, rule: &Rule, rosters: &Rosters, dossier: &Dossier, years: &[i32]) -> AuditResult {
    let subsidised: Vec<&Record> = rosters.records.iter().filter(|r| r.subsidised == Some(true) && !r.id_number.is_empty()).collect();
    let mut issues = Vec::new();
    let actual;
    match audit {
        RosterAudit::Consistency => {
            let found = super::roster::mismatches(dossier, rosters, years);
            actual = Text::new(if found.is_empty() { "一致".to_owned() } else { format!("{} 处不一致", found.len()) }, if found.is_empty() { "consistent".to_owned() } else { format!("{} mismatches", found.len()) });
            for (pointer, message, message_en) in found {
                let message = Text::new(message, message_en);
                let base = match rule.severity {
                    crate::policy::RuleSeverity::Blocking => Diagnostic::error(rule.id.clone(), pointer, message),
                    crate::policy::RuleSeverity::Advisory => Diagnostic::warning(rule.id.clone(), pointer, message),
                };
                issues.push(
                    base
                        .with_hint(Text::new("申报数据须与培训人员名单一致；不一致有“情况不实”的风险",
                            "declared figures must agree with the trainee roster; a mismatch risks being judged untruthful"))
                        .with_citation(Some(rule.citation.clone())),
                );
            }
        }
        RosterAudit::SubsidyPerYear { max } => {
            let mut by: HashMap<(String, i32), Vec<&Record>> = HashMap::new();
            for r in &subsidised {
                if let Some(y) = r.year() {
                    by.entry((person(r), y)).or_default().push(r);
                }
            }
            let mut over: Vec<_> = by.into_iter().filter(|(_, v)| v.len() > *max).collect();
            over.sort_by_key(|(_, v)| (v[0].table, v[0].row));
            actual = Text::new(format!("{} 人超过", over.len()), format!("{} people over", over.len()));
            for ((id, year), recs) in over {
                let rows: Vec<String> = recs.iter().map(|r| r.row.to_string()).collect();
                issues.push(issue(
                    rule,
                    rosters,
                    recs[*max],
                    Column::Subsidised,
                    format!("{} {year} 年享受补贴 {} 次（第 {} 行），每人每年最多 {max} 次", id, recs.len(), rows.join("、")),
                    format!("{} was subsidised {} times in {year} (rows {}); at most {max} per person per year", id, recs.len(), rows.join(", ")),
                ));
            }
        }
        RosterAudit::SubsidyOccupations { initial_max, upgrade_max } => {
            let mut by: BTreeMap<String, Vec<&Record>> = BTreeMap::new();
            for r in &subsidised {
                by.entry(person(r)).or_default().push(r);
            }
            let mut count = 0;
            for (id, recs) in by {
                let initial: BTreeSet<&str> = recs.iter().filter(|r| r.level == "level_5").map(|r| r.occupation.as_str()).collect();
                let upgrades: Vec<&&Record> = recs.iter().filter(|r| level_rank(r.level) > 1).collect();
                if initial.len() > *initial_max {
                    count += 1;
                    let last = recs.iter().rfind(|r| r.level == "level_5").expect("initial records exist");
                    issues.push(issue(rule, rosters, last, Column::Occupation, format!(
                        "{} 享受了 {} 个职业（工种）的初级技能培训补贴（{}），最多 {initial_max} 个",
                        id, initial.len(), initial.iter().copied().collect::<Vec<_>>().join("、")
                    ), format!(
                        "{} received initial-level training subsidies for {} occupations (trades) ({}); at most {initial_max}",
                        id, initial.len(), q(initial.iter())
                    )));
                }
                if upgrades.len() > *upgrade_max {
                    count += 1;
                    issues.push(issue(rule, rosters, upgrades[*upgrade_max], Column::Level, format!(
                        "{} 享受了 {} 次资格晋级培训补贴，最多 {upgrade_max} 次", id, upgrades.len()
                    ), format!(
                        "{} received {} upgrade training subsidies; at most {upgrade_max}", id, upgrades.len()
                    )));
                }
                for up in &upgrades {
                    if !initial.is_empty() && !initial.contains(up.occupation.as_str()) {
                        count += 1;
                        issues.push(issue(rule, rosters, up, Column::Occupation, format!(
                            "{} 的晋级培训“{}”不在其享受初级补贴的职业（工种）之内", id, up.occupation
                        ), format!(
                            "{}'s upgrade training “{}” is not among the occupations (trades) of their initial-level subsidies", id, up.occupation
                        )));
                    }
                }
            }
            actual = Text::new(format!("{count} 处超出"), format!("{count} over the limit"));
        }
        RosterAudit::SubsidyGroups { groups, priority } => {
            let mut bad = 0;
            let names = groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join("、");
            for r in &subsidised {
                if !groups.iter().any(|g| g.keywords.iter().any(|k| r.group.contains(k.as_str()))) {
                    bad += 1;
                    let (what, what_en) = match (r.group.is_empty(), priority) {
                        (true, _) => ("未填写人员类别".to_owned(), "the person category is not filled in".to_owned()),
                        (false, false) => (format!("人员类别“{}”不在补贴对象范围内", r.group), format!("the person category “{}” is not eligible", r.group)),
                        (false, true) => (format!("人员类别“{}”不在所列对象之内", r.group), format!("the person category “{}” is not among the listed groups", r.group)),
                    };
                    let (message, message_en) = if *priority {
                        (
                            format!("{} 享受补贴，但{what}（所列：{names}）；所列为重点对象而非限定，请核实其补贴依据", r.id_number),
                            format!(
                                "{} is subsidised, but {what_en} (listed: {}); the list names priorities, not a limit: check the basis of the subsidy",
                                r.id_number,
                                q(groups.iter().map(|g| g.name.as_str()))
                            ),
                        )
                    } else {
                        (
                            format!("{} 享受补贴，但{what}（补贴对象限于：{names}）", r.id_number),
                            format!(
                                "{} is subsidised, but {what_en} (subsidies are limited to: {})",
                                r.id_number,
                                q(groups.iter().map(|g| g.name.as_str()))
                            ),
                        )
                    };
                    issues.push(issue(rule, rosters, r, Column::Group, message, message_en));
                }
            }
            actual = Text::new(format!("{bad} 人不符"), format!("{bad} people not eligible"));
        }
        RosterAudit::MinHours { keywords, min } => {
            let mut bad = 0;
            for r in rosters.records.iter().filter(|r| keywords.iter().any(|k| r.training_type.contains(k.as_str()) || r.occupation.contains(k.as_str()))) {
                if r.hours.is_none_or(|h| h < *min) {
                    bad += 1;
                    let got = r.hours.map_or("未填写".to_owned(), |h| format!("{h} 课时"));
                    let got_en = r.hours.map_or("not given".to_owned(), |h| format!("{h} class hours"));
                    issues.push(issue(
                        rule,
                        rosters,
                        r,
                        Column::Hours,
                        format!("{}培训课时 {got}，不低于 {min} 课时", r.training_type),
                        format!("“{}” training: {got_en}, must be at least {min} class hours", r.training_type),
                    ));
                }
            }
            actual = Text::new(format!("{bad} 人不足"), format!("{bad} people short"));
        }
        RosterAudit::OnceForGroup { keywords } => {
            let mut by: BTreeMap<String, Vec<&Record>> = BTreeMap::new();
            for r in subsidised.iter().filter(|r| keywords.iter().any(|k| r.group.contains(k.as_str()))) {
                by.entry(person(r)).or_default().push(r);
            }
            let over: Vec<_> = by.into_iter().filter(|(_, v)| v.len() > 1).collect();
            actual = Text::new(format!("{} 人超过", over.len()), format!("{} people over", over.len()));
            for (id, recs) in over {
                issues.push(issue(rule, rosters, recs[1], Column::Subsidised, format!(
                    "{} 在校期间享受补贴 {} 次，只能享受一次", id, recs.len()
                ), format!(
                    "{} was subsidised {} times while at school; only once is allowed", id, recs.len()
                )));
            }
        }
        RosterAudit::NoRepeatOccupationLevel => {
            let mut seen: HashMap<(String, &str, &str), &Record> = HashMap::new();
            let mut bad = 0;
            for r in &subsidised {
                let key = (person(r), r.occupation.as_str(), r.level);
                if let Some(first) = seen.get(&key) {
                    bad += 1;
                    issues.push(issue(rule, rosters, r, Column::Level, format!(
                        "{} 的“{} {}”已在第 {} 行享受过补贴，同一职业同一等级不可重复享受",
                        r.id_number, r.occupation, level_name(r.level), first.row
                    ), format!(
                        "{}'s “{}” at {} was already subsidised in row {}; the same occupation and level cannot be subsidised twice",
                        r.id_number, r.occupation, level_name_en(r.level), first.row
                    )));
                } else {
                    seen.insert(key, r);
                }
            }
            actual = Text::new(format!("{bad} 处重复"), format!("{bad} repeats"));
        }
        RosterAudit::SubsidyAmounts { levels, apprenticeship_keywords, apprenticeship, levels_apply_to, elsewhere } => {
            let mut bad = 0;
            // Rows outside the schedule's clause: counted, then one advisory at the first.
            let mut outside: Vec<&Record> = Vec::new();
            for r in subsidised.iter().filter(|r| r.amount.is_some()) {
                let apprentice = apprenticeship_keywords.iter().any(|k| r.training_type.contains(k.as_str()));
                let scheduled = levels_apply_to.as_ref().is_none_or(|m| {
                    m.groups.iter().any(|k| r.group.contains(k.as_str())) || m.training_types.iter().any(|k| r.training_type.contains(k.as_str()))
                });
                if !apprentice && !scheduled {
                    outside.push(r);
                    continue;
                }
                let table = if apprentice { apprenticeship } else { levels };
                let Some(expected) = table.get(r.level) else { continue };
                let got = r.amount.unwrap_or(0.0);
                if (got - expected).abs() > 0.005 {
                    bad += 1;
                    let kind = if apprentice { "企业新型学徒制" } else { "职业技能" };
                    let kind_en = if apprentice { "new-type enterprise apprenticeship" } else { "vocational skills" };
                    issues.push(issue(rule, rosters, r, Column::SubsidyAmount, format!(
                        "{kind}{}补贴标准为 {expected} 元，名单填写 {got} 元", level_name(r.level)
                    ), format!(
                        "the {kind_en} subsidy for {} is {expected} yuan; the roster says {got} yuan", level_name_en(r.level)
                    )));
                }
            }
            actual = Text::new(format!("{bad} 处不符"), format!("{bad} mismatches"));
            if let (Some(first), Some(clause)) = (outside.first(), elsewhere) {
                let advisory = Diagnostic::warning(
                    rule.id.clone(),
                    "/training/rosters",
                    Text::new(format!(
                        "{} 行补贴不在{}等级标准的适用范围内（第 {} 行起）；依{}“{}”，名单无法核对其金额，请按当地目录核对",
                        outside.len(),
                        rule.citation.clause,
                        first.row,
                        clause.clause,
                        clause.quote
                    ), format!(
                    "{} subsidised rows are outside the level schedule of “{}” (from row {}); under “{}” their items and amounts follow the city's catalogue, which the roster cannot show: check the amounts against the local catalogue",
                    outside.len(),
                    rule.citation.clause,
                    first.row,
                    clause.clause
                )),
                )
                .in_cell(rosters.cell(first, Some(Column::SubsidyAmount)))
                .with_citation(Some(clause.clone()));
                // Advisory only: the audit itself passed.
                return AuditResult { passed: issues.is_empty(), actual, issues: issues.into_iter().chain([advisory]).collect() };
            }
        }
    }
    AuditResult { passed: issues.is_empty(), actual, issues }
}
