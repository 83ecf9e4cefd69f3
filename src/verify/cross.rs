//! Audits across the submissions of one batch, on the full IDs the bags carry: a trainee
//! subsidised through two submissions in one year (by each applicant's own subsidy rule), a
//! full-time teacher claimed by two institutions, one legal representative behind several
//! applicants, and rosters largely the same. The index is flat (IDs and row hashes, by
//! submission); IDs are masked wherever a finding shows them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::submission::{self, Facts, Id};
use crate::diag::{Finding, Severity};
use crate::report::Report;

type Results = [(Report, Option<Facts>)];

/// At most this many IDs are named as examples in one finding.
const EXAMPLES: usize = 3;
/// A roster row found in more submissions than this is not paired further (bounded work).
const MAX_ROW_SPREAD: usize = 64;

pub fn audit(results: &mut Results) {
    let mut found: Vec<(usize, Finding)> = Vec::new();
    subsidies(results, &mut found);
    shared_people(results, &mut found);
    shared_rows(results, &mut found);
    for (i, f) in found {
        results[i].0.findings.push(f);
    }
}

fn facts(results: &Results, i: usize) -> Option<&Facts> {
    results[i].1.as_ref()
}

/// “品牌”（a.zip）
fn label(results: &Results, i: usize) -> String {
    let file = super::file_name(&results[i].0);
    match facts(results, i) {
        Some(f) if !f.brand.is_empty() => format!("{}（{file}）", f.brand),
        _ => file,
    }
}

fn shown_id(id: &Id) -> String {
    crate::mask::id_number(std::str::from_utf8(id).unwrap_or(""))
}

/// The applicant's identity: its credit code, else its name.
fn applicant(f: &Facts) -> &str {
    if f.credit_code.is_empty() { &f.applicant } else { &f.credit_code }
}

fn others_text(results: &Results, others: &BTreeSet<usize>) -> (String, String) {
    let names: Vec<String> = others.iter().map(|&j| label(results, j)).collect();
    super::name_others(&names)
}

fn examples(ids: &BTreeSet<Id>) -> String {
    ids.iter().take(EXAMPLES).map(shown_id).collect::<Vec<_>>().join("、")
}

fn subsidies(results: &Results, found: &mut Vec<(usize, Finding)>) {
    // (ID, year) → (submission, occupation-and-level) for every subsidised training.
    let mut index: HashMap<(Id, i32), Vec<(usize, u64)>> = HashMap::new();
    for (i, (_, f)) in results.iter().enumerate() {
        for &(id, year, occ) in f.as_ref().map_or(&[][..], |f| f.subsidised.as_slice()) {
            index.entry((id, year)).or_default().push((i, occ));
        }
    }
    // (submission, year) → the other submissions, and the people over the limit.
    let mut clashes: BTreeMap<(usize, i32), (BTreeSet<usize>, BTreeSet<Id>)> = BTreeMap::new();
    for ((id, year), entries) in &index {
        let subs: BTreeSet<usize> = entries.iter().map(|e| e.0).collect();
        if subs.len() < 2 {
            continue;
        }
        for &i in &subs {
            let Some(rule) = facts(results, i).and_then(|f| f.subsidy_rule.as_ref()) else { continue };
            let mine: Vec<u64> = entries.iter().filter(|e| e.0 == i).map(|e| e.1).collect();
            let repeat = rule.no_repeat.is_some() && entries.iter().any(|e| e.0 != i && mine.contains(&e.1));
            if entries.len() > rule.max || repeat {
                let c = clashes.entry((i, *year)).or_default();
                c.0.extend(subs.iter().filter(|&&j| j != i));
                c.1.insert(*id);
            }
        }
    }
    for ((i, year), (others, people)) in clashes {
        let Some(rule) = facts(results, i).and_then(|f| f.subsidy_rule.as_ref()) else { continue };
        let (zh_others, en_others) = others_text(results, &others);
        let max = rule.max;
        let limit_zh = if rule.no_repeat.is_some() { format!("每人每年不超过 {max} 次且同一职业同一等级不可重复享受") } else { format!("每人每年 {max} 次") };
        let limit_en = if rule.no_repeat.is_some() {
            format!("at most {max} per person per year and never the same occupation and level twice")
        } else {
            format!("{max} per person per year")
        };
        let mut f = submission::finding(
            "batch.subsidised-twice",
            Severity::Error,
            &results[i].0.dossier,
            format!(
                "{} 名学员 {year} 年的职业培训补贴既计入本申报，又计入{zh_others}（如 {}），超过{limit_zh}（{}）",
                people.len(),
                examples(&people),
                rule.rule
            ),
            format!(
                "{} trainees' {year} training subsidies count both here and in {en_others} (e.g. {}): over {limit_en} ({})",
                people.len(),
                examples(&people),
                rule.rule
            ),
        );
        f.citation = Some(rule.citation.clone());
        found.push((i, f));
    }
}

/// Full-time teachers claimed by two institutions; one legal representative behind several.
fn shared_people(results: &Results, found: &mut Vec<(usize, Finding)>) {
    let mut teachers: HashMap<Id, Vec<usize>> = HashMap::new();
    let mut legal: HashMap<Id, Vec<usize>> = HashMap::new();
    for (i, (_, f)) in results.iter().enumerate() {
        let Some(f) = f else { continue };
        for t in f.teachers.iter().collect::<BTreeSet<_>>() {
            teachers.entry(*t).or_default().push(i);
        }
        if let Some(l) = f.legal_representative {
            legal.entry(l).or_default().push(i);
        }
    }
    let by_others = |index: HashMap<Id, Vec<usize>>| {
        let mut out: BTreeMap<usize, (BTreeSet<usize>, BTreeSet<Id>)> = BTreeMap::new();
        for (id, subs) in index {
            for &i in &subs {
                let me = facts(results, i).map(applicant).unwrap_or("");
                let others: BTreeSet<usize> =
                    subs.iter().copied().filter(|&j| j != i && facts(results, j).map(applicant).unwrap_or("") != me).collect();
                if !others.is_empty() {
                    let e = out.entry(i).or_default();
                    e.0.extend(others);
                    e.1.insert(id);
                }
            }
        }
        out
    };
    for (i, (others, ids)) in by_others(teachers) {
        let (zh, en) = others_text(results, &others);
        found.push((
            i,
            submission::finding(
                "batch.teacher-twice",
                Severity::Warning,
                &results[i].0.dossier,
                format!("{} 名专职教师（如 {}）同时列为{zh}的专职教师：同一人不能是两家机构的专职教师，请核实", ids.len(), examples(&ids)),
                format!("{} full-time teachers (e.g. {}) are also claimed as full-time teachers by {en}: one person cannot teach full time at two institutions; verify", ids.len(), examples(&ids)),
            ),
        ));
    }
    for (i, (others, ids)) in by_others(legal) {
        let (zh, en) = others_text(results, &others);
        found.push((
            i,
            submission::finding(
                "batch.legal-representative",
                Severity::Warning,
                &results[i].0.dossier,
                format!("法定代表人（{}）同时是{zh}的法定代表人：同一人控制的多家申报单位，请留意", examples(&ids)),
                format!("the legal representative ({}) also represents {en}: several applicants under one person; take note", examples(&ids)),
            ),
        ));
    }
}

/// Two applicants whose rosters are for the most part the same rows.
fn shared_rows(results: &Results, found: &mut Vec<(usize, Finding)>) {
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut sizes: Vec<usize> = vec![0; results.len()];
    for (i, (_, f)) in results.iter().enumerate() {
        let Some(f) = f else { continue };
        let rows: BTreeSet<u64> = f.rows.iter().copied().collect();
        sizes[i] = rows.len();
        for r in rows {
            index.entry(r).or_default().push(i);
        }
    }
    let mut pairs: HashMap<(usize, usize), usize> = HashMap::new();
    for subs in index.values().filter(|s| s.len() > 1 && s.len() <= MAX_ROW_SPREAD) {
        for (a, &i) in subs.iter().enumerate() {
            for &j in &subs[a + 1..] {
                *pairs.entry((i, j)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((usize, usize), usize)> = pairs.into_iter().collect();
    pairs.sort();
    for ((i, j), shared) in pairs {
        let (Some(fi), Some(fj)) = (facts(results, i), facts(results, j)) else { continue };
        if applicant(fi) == applicant(fj) {
            continue;
        }
        let smaller = sizes[i].min(sizes[j]);
        // Half or more of the smaller roster, and not a handful.
        if shared < 5 || shared * 2 < smaller {
            continue;
        }
        let share = shared * 100 / smaller.max(1);
        for (me, other) in [(i, j), (j, i)] {
            let name = label(results, other);
            found.push((
                me,
                submission::finding(
                    "batch.shared-roster",
                    Severity::Warning,
                    &results[me].0.dossier,
                    format!("培训人员名单与“{name}”有 {shared} 行完全相同（占较小名单的 {share}%）：两家申报单位的学员大部分相同，请核实"),
                    format!("{shared} roster rows are identical to those of “{name}” ({share}% of the smaller roster): two applicants mostly share their trainees; verify"),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(applicant: &str, teachers: &[&str], legal: &str, rows: std::ops::Range<u64>) -> Facts {
        Facts {
            policy: "dalian-2023".into(),
            applicant: applicant.into(),
            credit_code: String::new(),
            city: "210200".into(),
            city_name: "大连市".into(),
            brand: format!("{applicant}品牌"),
            brand_type: None,
            occupations: Vec::new(),
            subsidised: Vec::new(),
            rows: rows.collect(),
            teachers: teachers.iter().filter_map(|t| submission::id_of(t)).collect(),
            legal_representative: submission::id_of(legal),
            subsidy_rule: None,
            bureau: Default::default(),
        }
    }

    fn rules(r: &Report) -> Vec<&str> {
        r.findings.iter().map(|f| f.rule.as_str()).collect()
    }

    #[test]
    fn teachers_legal_representatives_and_rosters_across_applicants() {
        let t = "210204197204081648";
        let l = "210204196908122642";
        let mut results = vec![
            (Report::of_findings("a.zip".into(), Vec::new()), Some(facts("甲", &[t], l, 0..20))),
            (Report::of_findings("b.zip".into(), Vec::new()), Some(facts("乙", &[t], l, 5..30))),
            (Report::of_findings("c.zip".into(), Vec::new()), Some(facts("丙", &[], "110101199003070011", 100..110))),
        ];
        audit(&mut results);
        for r in &results[..2] {
            assert!(rules(&r.0).contains(&"batch.teacher-twice"), "{:?}", rules(&r.0));
            assert!(rules(&r.0).contains(&"batch.legal-representative"));
            assert!(rules(&r.0).contains(&"batch.shared-roster"), "15 of 20 rows shared");
            assert!(r.0.findings.iter().all(|f| !f.message.contains(t) && !f.message.contains(l)), "IDs masked");
        }
        assert!(results[2].0.findings.is_empty());
    }
}
