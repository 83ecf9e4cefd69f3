//! Audits across the submissions of one batch, on the full IDs the bags carry: a trainee
//! subsidised through two submissions in one year (by each applicant's own subsidy rule), a
//! full-time teacher claimed by two institutions, one legal representative behind several
//! applicants, and rosters largely the same. The index is flat (IDs and row hashes, by
//! submission); IDs are masked wherever a finding shows them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::submission::{self, Facts, Id};
use crate::diag::{Diagnostic, Severity};
use crate::report::Report;

type Results = [(Report, Option<Facts>)];
/// Per submission (and year): the others it is found with, and the people it is found through.
type Found<K> = BTreeMap<K, (BTreeSet<usize>, BTreeSet<Id>)>;

/// At most this many IDs are named as examples in one finding.
const EXAMPLES: usize = 3;
/// A roster row found in more submissions than this is not paired further (bounded work:
/// rows with the same submissions are paired once, so this bounds each distinct set).
const MAX_ROW_SPREAD: usize = 256;

pub fn audit(results: &mut Results) {
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    // The subsidised trainings move into the index: a batch's are held once, not twice.
    let index = subsidy_index(results);
    subsidies(results, index, &mut found);
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
    let names: Vec<String> = others.iter().take(super::NAMED).map(|&j| label(results, j)).collect();
    super::name_first_of(&names, others.len())
}

fn examples(ids: &BTreeSet<Id>) -> String {
    ids.iter().take(EXAMPLES).map(shown_id).collect::<Vec<_>>().join("、")
}

/// (ID, year) → (submission, occupation-and-level) for every subsidised training.
type SubsidyIndex = HashMap<(Id, i32), Vec<(usize, u64)>>;

fn subsidy_index(results: &mut Results) -> SubsidyIndex {
    let mut index: SubsidyIndex = HashMap::new();
    for (i, (_, f)) in results.iter_mut().enumerate() {
        for (id, year, occ) in f.as_mut().map(|f| std::mem::take(&mut f.subsidised)).unwrap_or_default() {
            index.entry((id, year)).or_default().push((i, occ));
        }
    }
    index
}

/// How many people, and the first few by ID to name: a batch sharing one roster would
/// otherwise hold every ID once per submission.
#[derive(Default)]
struct People {
    count: usize,
    first: BTreeSet<Id>,
}

impl People {
    /// `id` must be new to this set (each is seen once per submission and year).
    fn add(&mut self, id: Id) {
        self.count += 1;
        self.first.insert(id);
        if self.first.len() > EXAMPLES {
            self.first.pop_last();
        }
    }
}

fn subsidies(results: &Results, index: SubsidyIndex, found: &mut Vec<(usize, Diagnostic)>) {
    // (submission, year) → the sets of submissions it clashes through, and the people over
    // the limit. Sets are interned: a roster copied into k submissions costs k per person and
    // k² once, not k² per person.
    let mut sets = Interned::default();
    let mut clashes: BTreeMap<(usize, i32), (BTreeSet<usize>, People)> = BTreeMap::new();
    for ((id, year), entries) in &index {
        let mut by_sub: BTreeMap<usize, Vec<u64>> = BTreeMap::new();
        let mut per_occupation: HashMap<u64, usize> = HashMap::new();
        for &(i, occ) in entries {
            by_sub.entry(i).or_default().push(occ);
            *per_occupation.entry(occ).or_default() += 1;
        }
        if by_sub.len() < 2 {
            continue;
        }
        let set = sets.intern(by_sub.keys().copied().collect());
        for (&i, mine) in &by_sub {
            let Some(rule) = facts(results, i).and_then(|f| f.subsidy_rule.as_ref()) else { continue };
            // The same occupation and level subsidised through another submission too.
            let repeat = rule.no_repeat.is_some() && mine.iter().any(|o| per_occupation[o] > mine.iter().filter(|m| *m == o).count());
            if entries.len() > rule.max || repeat {
                let c = clashes.entry((i, *year)).or_default();
                c.0.insert(set);
                c.1.add(*id);
            }
        }
    }
    let clashes: BTreeMap<(usize, i32), (BTreeSet<usize>, People)> =
        clashes.into_iter().map(|((i, year), (through, people))| ((i, year), (sets.union_without(&through, |j| j == i), people))).collect();
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
                people.count,
                examples(&people.first),
                rule.rule
            ),
            format!(
                "{} trainees' {year} training subsidies count both here and in {en_others} (e.g. {}): over {limit_en} ({})",
                people.count,
                examples(&people.first),
                rule.rule
            ),
        );
        f.citation = Some(rule.citation.clone());
        found.push((i, f));
    }
}

/// Sets of submissions, each stored once and named by its index.
#[derive(Default)]
struct Interned {
    ids: HashMap<Vec<usize>, usize>,
    sets: Vec<Vec<usize>>,
}

impl Interned {
    fn intern(&mut self, set: Vec<usize>) -> usize {
        if let Some(&i) = self.ids.get(&set) {
            return i;
        }
        self.sets.push(set.clone());
        self.ids.insert(set, self.sets.len() - 1);
        self.sets.len() - 1
    }

    /// The submissions of the given sets, without those `skip` names.
    fn union_without(&self, sets: &BTreeSet<usize>, skip: impl Fn(usize) -> bool) -> BTreeSet<usize> {
        sets.iter().flat_map(|&s| self.sets[s].iter().copied()).filter(|&j| !skip(j)).collect()
    }
}

/// Full-time teachers claimed by two institutions; one legal representative behind several.
fn shared_people(results: &Results, found: &mut Vec<(usize, Diagnostic)>) {
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
        let mut sets = Interned::default();
        let mut through: Found<usize> = BTreeMap::new();
        for (id, subs) in index {
            let subs: Vec<usize> = subs.into_iter().collect::<BTreeSet<_>>().into_iter().collect();
            // Others only when the set holds another applicant than one's own.
            let first = facts(results, subs[0]).map(applicant).unwrap_or("");
            if subs.iter().all(|&j| facts(results, j).map(applicant).unwrap_or("") == first) {
                continue;
            }
            let set = sets.intern(subs.clone());
            for i in subs {
                let e = through.entry(i).or_default();
                e.0.insert(set);
                e.1.insert(id);
            }
        }
        through
            .into_iter()
            .map(|(i, (through, ids))| {
                let me = facts(results, i).map(applicant).unwrap_or("");
                (i, (sets.union_without(&through, |j| facts(results, j).map(applicant).unwrap_or("") == me), ids))
            })
            .collect::<Found<usize>>()
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
fn shared_rows(results: &Results, found: &mut Vec<(usize, Diagnostic)>) {
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
    // Rows found in the same submissions are counted together: a roster copied into k
    // submissions is k² pairs once, not once per row.
    let mut by_set: HashMap<Vec<usize>, usize> = HashMap::new();
    for subs in index.into_values().filter(|s| s.len() > 1 && s.len() <= MAX_ROW_SPREAD) {
        *by_set.entry(subs).or_default() += 1;
    }
    let mut pairs: HashMap<(usize, usize), usize> = HashMap::new();
    for (subs, rows) in by_set {
        for (a, &i) in subs.iter().enumerate() {
            for &j in &subs[a + 1..] {
                *pairs.entry((i, j)).or_default() += rows;
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

    #[test]
    fn one_roster_in_many_submissions_is_found_in_each_naming_every_other() {
        // 120 applicants claim the same 300 subsidised trainees in 2022 (once a year allowed).
        let rule = submission::SubsidyRule {
            rule: "dalian-2011.subsidy-per-year".into(),
            max: 1,
            no_repeat: None,
            citation: crate::diag::Citation { seed: "002".into(), clause: "三".into(), quote: "培训补贴每人每年只能享受1次。".into(), document: None },
        };
        let ids: Vec<Id> = (0..300u32).map(|n| submission::id_of(&format!("2102041990{:04}{:04}", n / 100 + 101, n % 10000)).unwrap()).collect();
        let mut results: Vec<(Report, Option<Facts>)> = (0..120)
            .map(|k| {
                let mut f = facts(&format!("机构{k}"), &[], "", 0..300);
                f.subsidised = ids.iter().map(|id| (*id, 2022, 7)).collect();
                f.subsidy_rule = Some(rule.clone());
                (Report::of_findings(format!("{k}.zip"), Vec::new()), Some(f))
            })
            .collect();
        audit(&mut results);
        for (r, _) in &results {
            let f: Vec<&Diagnostic> = r.findings.iter().filter(|f| f.rule == "batch.subsidised-twice").collect();
            assert_eq!(f.len(), 1, "one finding per submission and year");
            assert!(f[0].message.starts_with("300 名学员 2022 年"), "{}", f[0].message);
            assert!(f[0].message.contains("等 119 个品牌"), "every other submission counted: {}", f[0].message);
            // The same 300 roster rows: paired with every other applicant.
            assert_eq!(r.findings.iter().filter(|f| f.rule == "batch.shared-roster").count(), 119);
        }
    }
}
