//! `dossier verify`, the bureau's side: received submissions opened safely in memory,
//! validated as BagIt bags, re-checked and re-rendered, each given a verdict.

pub mod archive;
pub mod bag;
pub mod bound;
pub mod html;
pub mod roster_export;
pub mod submission;
pub mod summary;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::policy::Registry;
use crate::report::Report;

/// Zips named on the command line, and every zip (plain or age-encrypted, `.zip.age`) under
/// a directory, in a stable order.
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && is_submission(e.path()))
                .map(|e| e.into_path())
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Every submission, checked in parallel (one in memory per worker), then the packs' batch
/// rules across the submissions of each city.
/// `each` takes every report as its submission finishes, on the worker (a progress bar;
/// masking and trimming while the batch is still running, so fewer bytes are kept).
pub fn verify_all(
    zips: &[PathBuf],
    registry: &Registry,
    depth: submission::Depth,
    each: &(dyn Fn(Report) -> Report + Sync),
) -> Vec<Report> {
    let mut results: Vec<(Report, Option<submission::Facts>)> = zips
        .par_iter()
        .map(|z| {
            let (report, facts) = submission::verify_with_facts(Path::new(z), registry, depth);
            (each(report), facts)
        })
        .collect();
    batch_rules(&mut results, registry);
    results
        .into_iter()
        .map(|(mut r, facts)| {
            // A hand-made zip keeps the name its top folder gave it.
            if let Some(f) = facts {
                r.subject = Some(format!("{}（{}）", f.applicant, f.brand));
            }
            submission::finish(r)
        })
        .collect()
}

/// “甲”、“乙”、“丙”等 5 个品牌: the others in a clash, at most three by name.
fn name_others(others: &[String]) -> (String, String) {
    let named: Vec<&String> = others.iter().take(3).collect();
    let zh = named
        .iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join("、");
    let en = named
        .iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join(", ");
    if others.len() > named.len() {
        (
            format!("{zh}等 {} 个品牌", others.len()),
            format!("{en} and {} more", others.len() - named.len()),
        )
    } else {
        (zh, en)
    }
}

fn batch_rules(results: &mut [(Report, Option<submission::Facts>)], registry: &Registry) {
    use crate::policy::{BatchCheck, Check, RuleSeverity};
    use std::collections::BTreeMap;
    for pack in registry.all() {
        for rule in &pack.rules {
            let Check::Batch { batch } = &rule.check else { continue };
            // Submissions of this policy, by city.
            let mut cities: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, (_, facts)) in results.iter().enumerate() {
                if let Some(f) = facts.as_ref().filter(|f| f.policy == pack.id) {
                    cities.entry(f.city.clone()).or_default().push(i);
                }
            }
            for (code, members) in cities {
                let city = members.first().and_then(|&i| results[i].1.as_ref()).map_or(code.clone(), |f| f.city_name.clone());
                // Submissions sharing a type (or an occupation), grouped: one finding per
                // submission and clash, naming the others, however large the batch.
                let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
                for &i in &members {
                    let Some(f) = results[i].1.as_ref() else { continue };
                    let shared: Vec<&String> = match batch.check {
                        BatchCheck::DistinctTypes => f.brand_type.iter().collect(),
                        BatchCheck::DistinctOccupations => f.occupations.iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect(),
                    };
                    for s in shared {
                        groups.entry(s.clone()).or_default().push(i);
                    }
                }
                let brand = |i: usize| results[i].1.as_ref().map_or(String::new(), |f| f.brand.clone());
                let mut clashes: Vec<(usize, String, String)> = Vec::new();
                for (shared, group) in groups.iter().filter(|(_, g)| g.len() > 1) {
                    for &i in group {
                        let others: Vec<String> = group.iter().filter(|&&j| j != i).map(|&j| brand(j)).collect();
                        let (others_zh, others_en) = name_others(&others);
                        let me = brand(i);
                        let (zh, en) = if batch.check == BatchCheck::DistinctTypes {
                            (
                                format!(
                                    "{city}的“{me}”与{others_zh}同为 {shared} 类型；同一城市推荐 2 个及以上的应为不同类型"
                                ),
                                format!(
                                    "“{me}” and {others_en} of {city} are all of type {shared}; two or more brands of one city must differ in type"
                                ),
                            )
                        } else {
                            (
                                format!(
                                    "{city}的“{me}”与{others_zh}都以“{shared}”为培训职业，属同质化培训品牌，应予整合"
                                ),
                                format!(
                                    "“{me}” and {others_en} of {city} all train “{shared}”: homogeneous brands that should be merged"
                                ),
                            )
                        };
                        clashes.push((i, zh, en));
                    }
                }
                // The rule ran on every submission of the city: pass unless it clashed.
                for &i in &members {
                    let clashed = clashes.iter().filter(|(j, _, _)| *j == i).count();
                    set_outcome(&mut results[i].0, &rule.id, clashed, members.len());
                }
                for (i, zh, en) in clashes {
                    let severity = match rule.severity {
                        RuleSeverity::Blocking => crate::finding::Severity::Error,
                        RuleSeverity::Advisory => crate::finding::Severity::Warning,
                    };
                    let shown = results[i].0.dossier.clone();
                    let mut f = submission::finding(&rule.id, severity, &shown, zh, en);
                    f.citation = Some(rule.citation.clone());
                    results[i].0.findings.push(f);
                }
            }
        }
    }
}

/// A batch rule's outcome once it ran: fail with its clashes, else pass.
fn set_outcome(report: &mut Report, rule: &str, clashes: usize, submissions: usize) {
    use crate::rules::policy::Status;
    let Some(o) = report.outcomes.iter_mut().find(|o| o.rule == rule) else { return };
    o.status = if clashes > 0 { Status::Fail } else { Status::Pass };
    o.actual = match clashes {
        0 => format!("同城 {submissions} 份提交，无冲突"),
        n => format!("同城 {submissions} 份提交，{n} 处冲突"),
    };
    o.actual_en = match clashes {
        0 => format!("{submissions} submissions of the city, no clash"),
        n => format!("{submissions} submissions of the city, {n} clashes"),
    };
}

fn is_submission(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    name.ends_with(".zip") || name.ends_with(".zip.age")
}

#[cfg(test)]
mod tests {
    use super::name_others;

    #[test]
    fn clashes_name_three_others_at_most() {
        let names: Vec<String> = ["甲", "乙", "丙", "丁", "戊"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(name_others(&names[..1]).0, "“甲”");
        assert_eq!(name_others(&names[..3]).0, "“甲”、“乙”、“丙”");
        assert_eq!(name_others(&names).0, "“甲”、“乙”、“丙”等 5 个品牌");
        assert_eq!(name_others(&names).1, "“甲”, “乙”, “丙” and 2 more");
    }
}
