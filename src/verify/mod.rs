//! `dossier verify`, the bureau's side: received submissions opened safely in memory,
//! validated as BagIt bags, re-checked and re-rendered, each given a verdict.

pub mod archive;
pub mod cross;
pub mod bag;
pub mod bound;
pub mod html;
pub mod magic;
pub mod roster_export;
pub mod streams;
pub mod submission;
pub mod substance;
pub mod summary;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::policy::Registry;
use crate::report::Report;

/// What a `verify` command line names: the submissions, and what is not one.
#[derive(Debug, Default)]
pub struct Collected {
    /// Zips (plain or age-encrypted), and other archives (.rar, .7z) to be returned for repacking.
    pub submissions: Vec<PathBuf>,
    /// Files and folders that are not submissions: (path, what it is in Chinese, in English).
    pub loose: Vec<(PathBuf, String, String)>,
    /// Dossier folders (with dossier.yaml) named directly: `check`'s input, not `verify`'s.
    pub dossier_dirs: Vec<PathBuf>,
}

/// Zips named on the command line, and every zip (plain or age-encrypted, `.zip.age`) under
/// a directory, in a stable order; archives of other formats are recognised by their magic
/// bytes; everything else received is listed as not a submission (a folder once).
pub fn collect(paths: &[PathBuf]) -> Collected {
    let mut out = Collected::default();
    for p in paths {
        if p.is_dir() {
            if p.join("dossier.yaml").is_file() {
                out.dossier_dirs.push(p.clone());
                continue;
            }
            let mut found: Vec<PathBuf> = Vec::new();
            let mut loose_folders: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
            let mut loose_files: Vec<PathBuf> = Vec::new();
            for e in walkdir::WalkDir::new(p).follow_links(false).into_iter().filter_map(Result::ok) {
                if !e.file_type().is_file() || e.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                if is_submission(e.path()) || other_archive(e.path()) {
                    found.push(e.into_path());
                    continue;
                }
                // A stray file below a folder of the inbox is that folder's; the folder is listed.
                match e.path().strip_prefix(p).ok().and_then(|rel| rel.components().next()).filter(|_| e.depth() > 1) {
                    Some(first) => {
                        loose_folders.insert(p.join(first));
                    }
                    None => loose_files.push(e.into_path()),
                }
            }
            found.sort();
            out.submissions.extend(found);
            loose_files.sort();
            for f in loose_files {
                let (zh, en) = loose_file(&f);
                out.loose.push((f, zh, en));
            }
            for d in loose_folders {
                let (zh, en) = if d.join("dossier.yaml").is_file() {
                    (
                        "申报材料目录（dossier.yaml）：请用 dossier check 检查，或 dossier build 打包后提交".to_owned(),
                        "a dossier folder (dossier.yaml): check it with dossier check, or pack it with dossier build".to_owned(),
                    )
                } else {
                    ("文件夹：请打包为 zip 后提交".to_owned(), "a folder: pack it as a zip to submit it".to_owned())
                };
                out.loose.push((d, zh, en));
            }
        } else if !p.exists() || is_submission(p) || other_archive(p) {
            // A missing path is reported as unreadable, in its place among the submissions.
            out.submissions.push(p.clone());
        } else {
            let (zh, en) = loose_file(p);
            out.loose.push((p.clone(), zh, en));
        }
    }
    out
}

/// The first bytes of a file (enough for its magic and an Office file's first part names).
fn head(path: &Path) -> Vec<u8> {
    let mut buf = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = std::io::Read::read_to_end(&mut std::io::Read::take(f, 64 * 1024), &mut buf);
    }
    buf
}

/// A .rar or .7z (by magic bytes, whatever its name): received, and returned for repacking.
fn other_archive(path: &Path) -> bool {
    magic::other_archive(magic::kind(&head(path)).0)
}

fn loose_file(path: &Path) -> (String, String) {
    let (code, kind) = magic::kind(&head(path));
    (kind.to_owned(), format!("{code} file"))
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
    let verified: Vec<(Report, Option<submission::Facts>, Option<submission::Fingerprint>)> = zips
        .par_iter()
        .map(|z| {
            let (report, facts, digest) = submission::verify_with_facts(Path::new(z), registry, depth);
            (each(report), facts, digest)
        })
        .collect();
    let mut results = drop_duplicates(zips, verified);
    batch_rules(&mut results, registry);
    cross::audit(&mut results);
    results
        .into_iter()
        .map(|(mut r, facts)| {
            // A hand-made zip keeps the name its top folder gave it.
            if let Some(f) = facts {
                r.subject = Some(format!("{}（{}）", f.applicant, f.brand));
                r.bureau = Some(f.bureau);
            }
            submission::finish(r)
        })
        .collect()
}

/// The file name a report is shown by.
fn file_name(r: &Report) -> String {
    Path::new(&r.dossier).file_name().map_or_else(|| r.dossier.clone(), |n| n.to_string_lossy().into_owned())
}

/// Byte-identical submissions are one submission received twice: verified and ranked once,
/// under the first name that is not a copy's, with an advisory naming the copies. Files are
/// candidates by their fingerprint, and copies only when their bytes are equal.
fn drop_duplicates(
    zips: &[PathBuf],
    verified: Vec<(Report, Option<submission::Facts>, Option<submission::Fingerprint>)>,
) -> Vec<(Report, Option<submission::Facts>)> {
    use std::collections::HashMap;
    // Each fingerprint's distinct files so far.
    let mut seen: HashMap<submission::Fingerprint, Vec<Member>> = HashMap::new();
    let mut kept: Vec<(Report, Option<submission::Facts>)> = Vec::new();
    let mut copies: Vec<Vec<String>> = Vec::new();
    for (i, (report, facts, digest)) in verified.into_iter().enumerate() {
        if let Some(d) = digest {
            let group = seen.entry(d).or_default();
            // Files sharing a fingerprint are told apart by a SHA-256 each, computed once and
            // only then: n files under one crafted fingerprint cost n reads, not n²/2
            // comparisons. Equal digests are still compared byte for byte.
            let hashed = !group.is_empty();
            let mine = if hashed { sha256_of(&zips[i]) } else { None };
            let same = mine
                .and_then(|m| group.iter_mut().position(|g| *g.sha.get_or_insert_with(|| sha256_of(&zips[g.zip])) == Some(m)))
                .filter(|&j| same_bytes(&zips[group[j].zip], &zips[i]));
            if let Some(j) = same {
                let k = group[j].kept;
                // The file whose name is not a copy's (“a.zip”, not “a(1).zip”) stands for all.
                let copy = if looks_like_copy(&file_name(&kept[k].0)) && !looks_like_copy(&file_name(&report)) {
                    std::mem::replace(&mut kept[k], (report, facts)).0
                } else {
                    report
                };
                copies[k].push(file_name(&copy));
                continue;
            }
            group.push(Member { zip: i, kept: kept.len(), sha: hashed.then_some(mine) });
        }
        kept.push((report, facts));
        copies.push(Vec::new());
    }
    for ((report, _), names) in kept.iter_mut().zip(copies) {
        if names.is_empty() {
            continue;
        }
        let quoted: Vec<String> = names.iter().map(|n| format!("“{n}”")).collect();
        let me = file_name(report);
        let shown = report.dossier.clone();
        report.findings.push(submission::finding(
            "batch.duplicate",
            crate::diag::Severity::Warning,
            &shown,
            format!("“{me}”与{}字节完全相同（逐字节比对）：同一份提交收到 {} 次，只审核、排名一次", quoted.join("、"), names.len() + 1),
            format!("“{me}” is byte-identical to {} (compared byte for byte): one submission received {} times, verified and ranked once", quoted.join(", "), names.len() + 1),
        ));
    }
    kept
}

/// A distinct file received: its index among the zips and among those kept, and its SHA-256
/// once a fingerprint match needs it (None inside: it could not be read again).
struct Member {
    zip: usize,
    kept: usize,
    sha: Option<Option<[u8; 32]>>,
}

/// The SHA-256 of a file, read a block at a time.
fn sha256_of(path: &Path) -> Option<[u8; 32]> {
    use sha2::Digest;
    let mut f = std::fs::File::open(path).ok()?;
    let (mut hash, mut buf) = (sha2::Sha256::new(), vec![0u8; 64 * 1024]);
    loop {
        match read_full(&mut f, &mut buf).ok()? {
            0 => return Some(hash.finalize().into()),
            n => hash.update(&buf[..n]),
        }
    }
}

/// A name as a download or a file manager gives a second copy: “a(1).zip”, “a （2）.zip”,
/// “a - 副本.zip”, “a - Copy.zip”, “a copy.zip”.
fn looks_like_copy(name: &str) -> bool {
    // “a(1).zip.age” is a copy as “a(1).zip” is: both extensions go.
    let ends_with = |e: &str| name.len() >= e.len() && name.get(name.len() - e.len()..).is_some_and(|t| t.eq_ignore_ascii_case(e));
    let cut = [".zip.age", ".zip", ".age"].into_iter().find(|e| ends_with(e)).map_or_else(|| name.rfind('.').unwrap_or(name.len()), |e| name.len() - e.len());
    let stem = name[..cut].trim_end();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let numbered = |open: char, close: char| {
        stem.strip_suffix(close).and_then(|s| s.rsplit_once(open)).is_some_and(|(_, n)| !n.is_empty() && n.chars().all(digit))
    };
    let lower = stem.to_lowercase();
    numbered('(', ')') || numbered('（', '）') || stem.ends_with("副本") || [" copy", "-copy", "_copy"].iter().any(|c| lower.ends_with(c))
}

/// Two files hold the same bytes (one that cannot be read again is not a copy). Compared a
/// block at a time: a pair of large zips is never held in memory.
fn same_bytes(a: &Path, b: &Path) -> bool {
    let (Ok(mut x), Ok(mut y)) = (std::fs::File::open(a), std::fs::File::open(b)) else { return false };
    let (mut bx, mut by) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let (Ok(n), Ok(m)) = (read_full(&mut x, &mut bx), read_full(&mut y, &mut by)) else { return false };
        if n != m || bx[..n] != by[..m] {
            return false;
        }
        if n == 0 {
            return true;
        }
    }
}

/// Fills `buf` unless the file ends first; the bytes read.
fn read_full(f: &mut impl std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match f.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// “甲”、“乙”、“丙”等 5 个品牌: the others in a clash, at most three by name.
fn name_others(others: &[String]) -> (String, String) {
    name_first_of(&others[..others.len().min(NAMED)], others.len())
}

/// Others named in a finding; the rest are counted.
const NAMED: usize = 3;

/// `name_others` from the first names alone and how many there are in all: a batch sharing
/// one roster would otherwise label every other submission, for every submission.
fn name_first_of(named: &[String], total: usize) -> (String, String) {
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
    if total > named.len() {
        (
            format!("{zh}等 {total} 个品牌"),
            format!("{en} and {} more", total - named.len()),
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
                        RuleSeverity::Blocking => crate::diag::Severity::Error,
                        RuleSeverity::Advisory => crate::diag::Severity::Warning,
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
    use crate::rules::outcomes::Status;
    let Some(o) = report.outcomes.iter_mut().find(|o| o.rule == rule) else { return };
    o.status = if clashes > 0 { Status::Fail } else { Status::Pass };
    o.actual = match clashes {
        0 => crate::diag::Text::new(format!("同城 {submissions} 份提交，无冲突"), format!("{submissions} submissions of the city, no clash")),
        n => crate::diag::Text::new(format!("同城 {submissions} 份提交，{n} 处冲突"), format!("{submissions} submissions of the city, {n} clashes")),
    };
}

/// Zips by name; a file named .zip that is a .rar is still returned for repacking by its bytes.
fn is_submission(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    name.ends_with(".zip") || name.ends_with(".zip.age")
}

#[cfg(test)]
mod tests {
    use super::{drop_duplicates, name_others};

    /// Many distinct files under one fingerprint, and a copy of one of them among them: each
    /// is kept once, and the copy is found.
    #[test]
    fn a_crowd_under_one_fingerprint_is_told_apart() {
        let dir = std::env::temp_dir().join(format!("dossier-crowd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut zips: Vec<std::path::PathBuf> = (0..6).map(|n| dir.join(format!("z{n}.zip"))).collect();
        for (n, z) in zips.iter().enumerate() {
            std::fs::write(z, format!("PK {n}")).unwrap();
        }
        zips.push(dir.join("z2 copy.zip"));
        std::fs::write(&zips[6], "PK 2").unwrap();
        let verified = zips.iter().map(|z| (super::submission::empty_report(&z.display().to_string()), None, Some((4, 9)))).collect();
        let kept = drop_duplicates(&zips, verified);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(kept.len(), 6);
        for (n, (report, _)) in kept.iter().enumerate() {
            let dup: Vec<&str> = report.findings.iter().filter(|f| f.rule == "batch.duplicate").map(|f| f.message.zh.as_str()).collect();
            assert_eq!(dup.len(), usize::from(n == 2), "z{n}: {dup:?}");
            assert!(dup.iter().all(|m| m.contains("“z2 copy.zip”")), "{dup:?}");
        }
    }

    #[test]
    fn the_original_name_stands_for_its_copies() {
        for name in ["a(1).zip", "a (2).zip", "a（3）.zip", "a（１）.zip", "a - 副本.zip", "a 副本.zip", "a - Copy.zip", "a copy.zip", "A_COPY.ZIP", "a(1).zip.age", "a - 副本.ZIP.AGE", "a(1)"] {
            assert!(super::looks_like_copy(name), "{name}");
        }
        for name in ["a.zip", "春晖家政育婴师.zip", "a(b).zip", "a().zip", "2023(1)x.zip", "photocopy.zip"] {
            assert!(!super::looks_like_copy(name), "{name}");
        }
        let dir = std::env::temp_dir().join(format!("dossier-orig-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Sorted, the copy comes first ('(' before '.'); the original still stands for it.
        let zips: Vec<std::path::PathBuf> = ["x(1).zip", "x - 副本.zip", "x.zip"].iter().map(|n| dir.join(n)).collect();
        for z in &zips {
            std::fs::write(z, b"PK same").unwrap();
        }
        let verified = zips.iter().map(|z| (super::submission::empty_report(&z.display().to_string()), None, Some((7, 1)))).collect();
        let kept = drop_duplicates(&zips, verified);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(kept.len(), 1);
        assert!(kept[0].0.dossier.ends_with("x.zip") && !kept[0].0.dossier.ends_with("(1).zip"), "{}", kept[0].0.dossier);
        let dup = &kept[0].0.findings.iter().find(|f| f.rule == "batch.duplicate").unwrap().message.zh;
        assert!(dup.starts_with("“x.zip”与") && dup.contains("“x(1).zip”") && dup.contains("“x - 副本.zip”") && dup.contains("收到 3 次"), "{dup}");
    }

    /// Files whose fingerprints match are copies only when their bytes do: a crafted CRC-32
    /// collision (here, one fingerprint given to all four) hides nothing, and two files that
    /// differ only after the first block, or only in length, are two submissions.
    #[test]
    fn a_fingerprint_match_is_a_copy_only_when_the_bytes_are_equal() {
        let dir = std::env::temp_dir().join(format!("dossier-dup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let zips: Vec<std::path::PathBuf> = ["a.zip", "b.zip", "a (1).zip", "c.zip"].iter().map(|n| dir.join(n)).collect();
        let big = |last: u8| {
            let mut v = vec![7u8; 200_000];
            v[199_999] = last;
            v
        };
        let mut longer = big(1);
        longer.push(0);
        for (z, bytes) in zips.iter().zip([big(1), big(2), big(1), longer]) {
            std::fs::write(z, bytes).unwrap();
        }
        let verified = zips.iter().map(|z| (super::submission::empty_report(&z.display().to_string()), None, Some((6, 0)))).collect();
        let kept = drop_duplicates(&zips, verified);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(kept.len(), 3, "the three distinct files are all kept");
        let dup: Vec<&str> = kept[0].0.findings.iter().filter(|f| f.rule == "batch.duplicate").map(|f| f.message.zh.as_str()).collect();
        assert_eq!(dup.len(), 1, "{dup:?}");
        assert!(dup[0].contains("“a (1).zip”") && !dup[0].contains("b.zip") && !dup[0].contains("c.zip"), "{}", dup[0]);
        assert!(kept[1..].iter().all(|k| k.0.findings.iter().all(|f| f.rule != "batch.duplicate")));
    }

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
