//! `dossier verify`, the bureau's side: received submissions opened safely in memory,
//! validated as BagIt bags, re-checked and re-rendered, each given a verdict.

pub mod archive;
pub mod bag;
pub mod html;
pub mod submission;
pub mod summary;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::policy::Registry;
use crate::report::Report;

/// Zips named on the command line, and every zip under a directory, in a stable order.
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().is_file()
                        && e.path()
                            .extension()
                            .is_some_and(|x| x.eq_ignore_ascii_case("zip"))
                })
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
/// `done` is called once per submission as it finishes (for a progress bar).
pub fn verify_all(
    zips: &[PathBuf],
    registry: &Registry,
    depth: submission::Depth,
    done: &(dyn Fn() + Sync),
) -> Vec<Report> {
    let mut results: Vec<(Report, Option<submission::Facts>)> = zips
        .par_iter()
        .map(|z| {
            let result = submission::verify_with_facts(Path::new(z), registry, depth);
            done();
            result
        })
        .collect();
    batch_rules(&mut results, registry);
    results
        .into_iter()
        .map(|(mut r, facts)| {
            r.subject = facts.map(|f| format!("{}（{}）", f.applicant, f.brand));
            submission::finish(r)
        })
        .collect()
}

fn batch_rules(results: &mut [(Report, Option<submission::Facts>)], registry: &Registry) {
    use crate::policy::{BatchCheck, Check, RuleSeverity};
    use std::collections::BTreeMap;
    for pack in registry.all() {
        for rule in &pack.rules {
            let Check::Batch { batch } = &rule.check else {
                continue;
            };
            // Submissions of this policy, by city.
            let mut cities: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, (_, facts)) in results.iter().enumerate() {
                if let Some(f) = facts.as_ref().filter(|f| f.policy == pack.id) {
                    cities.entry(f.city.clone()).or_default().push(i);
                }
            }
            for (city, members) in cities {
                let fact = |i: usize| results[i].1.clone().expect("grouped members have facts");
                let mut clashes: Vec<(usize, String, String)> = Vec::new();
                for (a, &i) in members.iter().enumerate() {
                    for &j in &members[a + 1..] {
                        let (fi, fj) = (fact(i), fact(j));
                        match batch.check {
                            BatchCheck::DistinctTypes
                                if fi.brand_type.is_some() && fi.brand_type == fj.brand_type =>
                            {
                                let t = fi.brand_type.clone().unwrap_or_default();
                                let zh = format!(
                                    "{city}的“{}”与“{}”同为 {t} 类型；同一城市推荐 2 个及以上的应为不同类型",
                                    fi.brand, fj.brand
                                );
                                let en = format!(
                                    "“{}” and “{}” of {city} are both of type {t}; two or more brands of one city must differ in type",
                                    fi.brand, fj.brand
                                );
                                clashes.push((i, zh.clone(), en.clone()));
                                clashes.push((j, zh, en));
                            }
                            BatchCheck::DistinctOccupations => {
                                for o in
                                    fi.occupations.iter().filter(|o| fj.occupations.contains(o))
                                {
                                    let zh = format!(
                                        "{city}的“{}”与“{}”都以“{o}”为培训职业，属同质化培训品牌，应予整合",
                                        fi.brand, fj.brand
                                    );
                                    let en = format!(
                                        "“{}” and “{}” of {city} both train “{o}”: homogeneous brands that should be merged",
                                        fi.brand, fj.brand
                                    );
                                    clashes.push((i, zh.clone(), en.clone()));
                                    clashes.push((j, zh, en));
                                }
                            }
                            _ => {}
                        }
                    }
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
