//! One received submission: opened safely, validated as a bag, its dossier checked from
//! memory with the policy it names, its PDF compared with a fresh rendering, and a verdict —
//! 受理, 受理但有提示 or 退回. Hand-made zips are read against their policy's material list
//! (`materials.yaml`) by file name, and say so.

use std::collections::BTreeMap;
use std::path::Path;

use super::archive::{Archive, Limits};
use super::bag;
use crate::diag::{Diagnostic, Severity};
use crate::policy::Registry;
use crate::report::Report;

pub use crate::report::{ACCEPTED, ADVISORIES, RETURNED, REVIEW};

/// Findings that leave the content unvouched for: a person must look.
const REVIEW_RULES: &[&str] = &["zip.not-a-bag", "bag.rendering-version", "verify.time-budget"];

pub(crate) fn finding(rule: &str, severity: Severity, file: &str, zh: String, en: String) -> Diagnostic {
    Diagnostic { severity, ..Diagnostic::error(rule, "", crate::diag::Text::new(zh, en)).placed(file.to_owned(), 1, 1, None) }
}

pub(crate) fn empty_report(shown: &str) -> Report {
    Report::of_findings(shown.to_owned(), Vec::new())
}

pub(crate) fn finish(mut report: Report) -> Report {
    let errors = report.findings.iter().filter(|f| f.severity == Severity::Error).count();
    report.summary.errors = errors;
    report.summary.warnings = report.findings.len() - errors;
    report.ok = errors == 0;
    report.verdict = Some(
        if errors > 0 {
            RETURNED
        } else if report.findings.iter().any(|f| REVIEW_RULES.contains(&f.rule.as_str())) {
            REVIEW
        } else if report.findings.is_empty() {
            ACCEPTED
        } else {
            ADVISORIES
        }
        .to_owned(),
    );
    report
}

/// What batch rules compare across submissions. Flat: fixed-size IDs and row hashes, never
/// the documents (a province's batch holds some 100,000 trainees).
#[derive(Debug, Clone)]
pub struct Facts {
    pub policy: String,
    pub applicant: String,
    pub credit_code: String,
    /// The city's GB/T 2260 code (its name when unknown): what batch rules group by.
    pub city: String,
    /// Its standard name, for messages.
    pub city_name: String,
    pub brand: String,
    pub brand_type: Option<String>,
    pub occupations: Vec<String>,
    /// Subsidised trainings: (ID, natural year, hash of occupation and level).
    pub subsidised: Vec<(Id, i32, u64)>,
    /// Hashes of whole roster rows (ID, occupation, level, dates).
    pub rows: Vec<u64>,
    pub teachers: Vec<Id>,
    pub legal_representative: Option<Id>,
    /// The subsidy rule of this submission's pack that applies to it.
    pub subsidy_rule: Option<SubsidyRule>,
    pub bureau: crate::report::BureauFacts,
}

/// An 18-character ID number, unboxed.
pub type Id = [u8; 18];

pub fn id_of(s: &str) -> Option<Id> {
    s.as_bytes().try_into().ok()
}

/// How often one person may be subsidised per year, as the applicant's pack says.
#[derive(Debug, Clone)]
pub struct SubsidyRule {
    pub rule: String,
    pub max: usize,
    /// Never the same occupation and level twice (葫人社发〔2019〕37号).
    pub no_repeat: Option<String>,
    pub citation: crate::diag::Citation,
}

fn hash_of(parts: &[&str]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

fn facts_of(checked: &crate::rules::Checked, json: &serde_json::Value, registry: &Registry) -> Option<Facts> {
    use crate::policy::{Check, RosterAudit};
    use crate::rules::outcomes::Status;
    let m = checked.model.as_ref()?;
    let applies = |id: &str| checked.outcomes.iter().any(|o| o.rule == id && o.status != Status::NotApplicable);
    let pack = registry.get(&m.policy.id);
    let rules = pack.map_or(&[][..], |p| p.rules.as_slice());
    let no_repeat = rules
        .iter()
        .find(|r| matches!(&r.check, Check::Roster { roster: RosterAudit::NoRepeatOccupationLevel }) && applies(&r.id))
        .map(|r| r.id.clone());
    let subsidy_rule = rules.iter().find_map(|r| match &r.check {
        Check::Roster { roster: RosterAudit::SubsidyPerYear { max } } if applies(&r.id) => {
            Some(SubsidyRule { rule: r.id.clone(), max: *max, no_repeat: no_repeat.clone(), citation: r.citation.clone() })
        }
        _ => None,
    });
    let text = |pointer: &str| json.pointer(pointer).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    let name_of = |code: &Option<String>| code.as_deref().map_or(String::new(), |c| pack.and_then(|p| p.tier_name(c)).unwrap_or(c).to_owned());
    let contact = json.pointer("/applicant/contacts/0");
    let bureau = crate::report::BureauFacts {
        credit_code: text("/applicant/credit_code"),
        contact: contact.and_then(|c| c.get("name")).and_then(|v| v.as_str()).unwrap_or("").to_owned(),
        phone: ["mobile", "phone"]
            .iter()
            .find_map(|k| contact.and_then(|c| c.get(*k)).and_then(|v| v.as_str()).filter(|v| !v.is_empty()))
            .unwrap_or("")
            .to_owned(),
        tier: name_of(&checked.policy.as_ref().and_then(|p| p.tier.clone())),
        brand_type: name_of(&m.policy.brand_type),
    };
    let date = |d: Option<(i32, u32, u32)>| d.map_or(String::new(), |(y, mo, da)| format!("{y}-{mo}-{da}"));
    let id_at = |v: &serde_json::Value| v.get("id_number").and_then(|i| i.as_str()).and_then(id_of);
    Some(Facts {
        policy: m.policy.id.clone(),
        applicant: m.applicant.name.clone(),
        credit_code: bureau.credit_code.clone(),
        // By GB/T 2260 code: 大连 and 大连市 are one city.
        city: m.applicant.places.city.map_or_else(|| m.applicant.city.trim().to_owned(), |c| c.code.to_owned()),
        city_name: m.applicant.places.city_name(&m.applicant.city).to_owned(),
        brand: m.brand.name.clone(),
        brand_type: m.policy.brand_type.clone(),
        occupations: m.brand.occupations.iter().map(|o| o.name.clone()).collect(),
        subsidised: checked
            .records
            .iter()
            .filter(|r| r.subsidised == Some(true))
            .filter_map(|r| Some((id_of(&r.id_number)?, r.year()?, hash_of(&[&r.occupation, r.level]))))
            .collect(),
        rows: checked
            .records
            .iter()
            .filter(|r| !r.id_number.is_empty())
            .map(|r| hash_of(&[&r.id_number, &r.occupation, r.level, &date(r.start), &date(r.end)]))
            .collect(),
        teachers: json.pointer("/staff/full_time_teachers").and_then(|v| v.as_array()).into_iter().flatten().filter_map(id_at).collect(),
        legal_representative: json.pointer("/applicant/legal_representative").and_then(id_at),
        subsidy_rule,
        bureau,
    })
}

/// How much of a submission to verify.
#[derive(Debug, Clone, Copy)]
pub struct Depth {
    /// Re-render the PDF and DOCX and compare them with the ones sent (most of the cost).
    pub render: bool,
    /// Time one submission may take; what is left when it runs out is not done, and the
    /// submission goes to manual review (never 受理 unchecked, never 退回 for the machine's
    /// speed). Limits on every input bound the time already; this is the safety net.
    pub budget: std::time::Duration,
}

/// The default time budget per submission (`verify --time-budget`).
pub const TIME_BUDGET_SECONDS: u64 = 60;

impl Default for Depth {
    fn default() -> Self {
        Depth { render: true, budget: std::time::Duration::from_secs(TIME_BUDGET_SECONDS) }
    }
}

/// The finding for a submission whose time ran out before `step`.
fn out_of_time(shown: &str, budget: std::time::Duration, step_zh: &str, step_en: &str) -> Diagnostic {
    let secs = budget.as_secs_f64();
    finding(
        "verify.time-budget",
        Severity::Warning,
        shown,
        format!("审核用时超过每份 {secs} 秒的上限，未{step_zh}：需人工审核（可用 --time-budget 放宽）"),
        format!("verification took longer than the {secs} s budget per submission, so it did not {step_en}: needs manual review (--time-budget sets the budget)"),
    )
}

pub fn verify(path: &Path, registry: &Registry) -> Report {
    verify_with_facts(path, registry, Depth::default()).0
}

/// The length and CRC-32 of the bytes received: equal for every copy of a file, and cheap
/// (a tenth of a SHA-256); files that share one are compared byte for byte before any is
/// called a copy, so no crafted collision hides a submission.
pub type Fingerprint = (u64, u32);

/// The report, what batch rules compare, and the fingerprint of the bytes received.
pub fn verify_with_facts(path: &Path, registry: &Registry, depth: Depth) -> (Report, Option<Facts>, Option<Fingerprint>) {
    let mut facts = None;
    let mut digest = None;
    let report = verify_inner(path, registry, depth, &mut facts, &mut digest);
    (report, facts, digest)
}

fn verify_inner(path: &Path, registry: &Registry, depth: Depth, facts: &mut Option<Facts>, digest: &mut Option<Fingerprint>) -> Report {
    let started = std::time::Instant::now();
    let over = || started.elapsed() > depth.budget;
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let mut r = empty_report(&shown);
            r.findings.push(finding("zip.unreadable", Severity::Error, &shown, format!("无法读取：{e}"), format!("cannot read: {e}")));
            return finish(r);
        }
    };
    *digest = Some((bytes.len() as u64, crc32fast::hash(&bytes)));
    // A .rar or .7z (by its bytes, whatever its name) cannot be opened safely here: repack.
    // By its first bytes: kind() searches an Office zip for its part names, and this is a
    // whole submission (a tenth of a --no-render run was that search).
    let (code, kind) = super::magic::kind(&bytes[..bytes.len().min(64 * 1024)]);
    if super::magic::other_archive(code) {
        let mut r = empty_report(&shown);
        r.findings.push(finding(
            "zip.other-archive",
            Severity::Error,
            &shown,
            format!("这是 {kind}，不是 zip：请重新打包为 zip 后提交"),
            format!("this is a {code} archive, not a zip: please repack it as a zip and resubmit"),
        ));
        return finish(r);
    }
    // Encrypted submissions are opened in memory with the bureau's identity; nothing plain is
    // written.
    let bytes = match crate::crypt::open_submission(bytes, Limits::default().max_total_bytes) {
        Ok(b) => b,
        Err(e) => {
            let mut r = empty_report(&shown);
            r.findings.push(finding(e.rule(), Severity::Error, &shown, e.text().zh, e.text().en));
            return finish(r);
        }
    };
    let mut archive = match Archive::open(bytes, Limits::default()) {
        Ok(a) => a,
        Err(refusals) => {
            let mut r = empty_report(&shown);
            for refusal in refusals {
                r.findings.push(finding(refusal.rule(), Severity::Error, &shown, refusal.text().zh, refusal.text().en));
            }
            return finish(r);
        }
    };
    let names: Vec<String> = archive.entries.iter().map(|e| e.name.clone()).collect();
    let top = names.first().and_then(|n| n.split('/').next()).unwrap_or("").to_owned();
    // Each entry inflated once: nested office files, the bag's hashes and the check all read it.
    let (contents, unreadable) = archive.read_all();
    let nested = super::archive::vet_nested(&contents);
    if !nested.is_empty() {
        let mut r = empty_report(&shown);
        for refusal in nested {
            r.findings.push(finding(refusal.rule(), Severity::Error, &shown, refusal.text().zh, refusal.text().en));
        }
        return finish(r);
    }
    // Anything that looks like a bag is one, and is validated as one: deleting bagit.txt
    // must not turn a broken bag into a hand-made zip that skips the checks.
    let looks_like_bag = names.iter().any(|n| {
        let Some(rest) = n.split_once('/').map(|(_, r)| r) else { return false };
        rest == "bagit.txt" || rest == "bag-info.txt" || rest.starts_with("data/") || (rest.starts_with("manifest-") && rest.ends_with(".txt"))
    });
    if !looks_like_bag {
        let mut r = hand_made(&shown, &names, contents, registry);
        // The applicant as the top folder names it (hand-made zips carry no data to read).
        if names.iter().all(|n| n.contains('/')) && !top.is_empty() {
            r.subject = Some(top.clone());
        }
        return finish(r);
    }
    let mut bag_report = bag::validate(&contents, &archive.entries);
    bag_report.problems.extend(unreadable);
    let prefix = format!("{top}/data/");
    let mut files: BTreeMap<String, Vec<u8>> =
        contents.into_iter().filter_map(|(name, bytes)| name.strip_prefix(&prefix).map(|rel| (rel.to_owned(), bytes))).collect();
    super::bound::restore(&mut files, &mut bag_report.problems);
    let shown_data = format!("{shown}:{top}/data");
    if over() {
        let mut r = empty_report(&shown);
        r.findings.push(out_of_time(&shown, depth.budget, "检查材料", "check the dossier"));
        bag_problems_first(&mut r, &bag_report, &shown);
        return finish(r);
    }
    let mut report = match crate::load::from_memory(files, |json| bag_aliases(json, registry), &shown_data) {
        Ok(loaded) => {
            let checked = crate::rules::check(&loaded, registry);
            *facts = facts_of(&checked, &loaded.json, registry).map(|mut f| {
                // A bag that fails validation vouches for no one: it joins no cross-submission audit.
                if !bag_report.problems.is_empty() {
                    (f.subsidised, f.rows, f.teachers, f.legal_representative) = (Vec::new(), Vec::new(), Vec::new(), None);
                }
                f
            });
            let mut report = Report::from_checked(shown.clone(), &checked);
            if depth.render && over() {
                report.findings.push(out_of_time(&shown, depth.budget, "重新生成比对 PDF 与 DOCX", "re-render and compare the PDF and DOCX"));
            } else if depth.render {
                compare_renderings(&loaded, &checked, registry, &shown, &bag_report, &mut report);
            } else {
                report.findings.push(finding(
                    "bag.rendering-unchecked",
                    Severity::Warning,
                    &shown,
                    "未重新生成比对 PDF 与 DOCX（--no-render）：请另行确认它们与 dossier.yaml 一致".to_owned(),
                    "the PDF and DOCX were not re-rendered and compared (--no-render): confirm separately that they match dossier.yaml".to_owned(),
                ));
            }
            report
        }
        Err(e) => Report::from_load_error(shown.clone(), &e),
    };
    report.ran = true;
    bag_problems_first(&mut report, &bag_report, &shown);
    if let (Some(id), Some(version)) = (bag_report.info("Dossier-Policy"), bag_report.info("Dossier-Policy-Version"))
        && let Some(pack) = registry.get(id)
        && pack.version != version
    {
        report.findings.push(finding(
            "bag.pack-version",
            Severity::Warning,
            &shown,
            format!("材料按政策包 {id} 版本 {version} 制作，本机政策包为版本 {}；已按本机版本检查", pack.version),
            format!("made with policy pack {id} version {version}; checked with this machine's version {}", pack.version),
        ));
    }
    finish(report)
}

/// A bag's validation problems, each a blocking finding ahead of the others.
fn bag_problems_first(report: &mut Report, bag_report: &bag::BagReport, shown: &str) {
    for problem in &bag_report.problems {
        report.findings.insert(0, finding("bag.invalid", Severity::Error, shown, problem.clone(), format!("BagIt: {problem}")));
    }
}

/// The paths dossier.yaml names, mapped to where `build` put them in the bag (numbered by its
/// policy's outline, as `build` numbered them).
fn bag_aliases(json: &serde_json::Value, registry: &Registry) -> BTreeMap<String, String> {
    let mut aliases = BTreeMap::new();
    let pack = json.pointer("/policy/id").and_then(|v| v.as_str()).and_then(|id| registry.get(id));
    for e in crate::document::compose::number_evidence(json, pack.map_or(&[][..], |p| p.evidence_outline.as_slice())) {
        aliases.insert(e.file.replace('\\', "/"), e.place);
    }
    for r in json.pointer("/training/rosters").and_then(|v| v.as_array()).into_iter().flatten() {
        if let Some(file) = r.get("file").and_then(|f| f.as_str()) {
            aliases.insert(file.replace('\\', "/"), crate::build::roster_bag_path(file));
        }
    }
    aliases
}

/// Re-render the embedded dossier and compare with the PDF and DOCX it carries.
fn compare_renderings(
    loaded: &crate::load::Loaded,
    checked: &crate::rules::Checked,
    registry: &Registry,
    shown: &str,
    bag_report: &bag::BagReport,
    report: &mut Report,
) {
    let Some(pack) = checked.policy.as_ref().and_then(|p| registry.get(&p.id)) else { return };
    let crate::load::source::Source::Memory { files, .. } = &loaded.source else { return };
    let stem = crate::build::file_stem(checked.model.as_ref().map_or("申报材料", |m| m.brand.name.as_str()));
    let info = |label: &str| bag_report.info(label);
    // The renderings were stamped with the recorded time; bags from before the field, with
    // their Bagging-Date.
    let epoch = match info(crate::build::EPOCH_FIELD).and_then(|e| e.parse::<i64>().ok()) {
        Some(recorded) => recorded,
        None => info("Bagging-Date")
            .and_then(crate::rules::codes::parse_date)
            .map_or(0, |(y, m, d)| crate::rules::codes::days_from_civil(y, m, d) * 86_400),
    };
    let recorded_draft = info(crate::build::DRAFT_FIELD).map(|v| v == "true");
    // Bags from before the field: build only drafts what has blocking findings.
    let draft = recorded_draft.unwrap_or(checked.blocking() > 0);
    if recorded_draft == Some(true) {
        report.findings.push(finding(
            "bag.draft",
            Severity::Error,
            shown,
            "草稿不是正式申报：该提交包由 build --draft 生成，每页带“草稿”字样".to_owned(),
            "a draft is not a submission: this bag was made by build --draft and every page is stamped 草稿".to_owned(),
        ));
    }
    let ours = env!("CARGO_PKG_VERSION");
    let made_with = info(crate::build::TOOL_FIELD).or_else(|| info("Bag-Software-Agent").and_then(|a| a.strip_prefix("dossier ")));
    let other_version = made_with.filter(|v| *v != ours);
    let rendered = crate::build::render(loaded, checked, pack, &crate::build::RenderOptions { draft, unmasked: false, font_dir: None, epoch });
    let Ok((mut pdf, docx)) = rendered else { return };
    let mut differs: Vec<(String, Vec<String>)> = Vec::new();
    for ext in ["pdf", "docx"] {
        let name = format!("{stem}.{ext}");
        let Some(sent) = files.get(&name) else {
            report.findings.push(finding(
                "bag.rendering-missing",
                Severity::Warning,
                shown,
                format!("提交的材料中没有 {name}"),
                format!("the submission has no {name}"),
            ));
            continue;
        };
        if ext == "docx" {
            // By the text of their body, since docx-rs numbers some elements from a
            // process-wide counter.
            if docx_body(sent).is_none_or(|text| text != docx) {
                differs.push((name, Vec::new()));
            }
            continue;
        }
        // The PDF to the byte: the fresh one flated as build does, reusing the received
        // streams' bytes where they inflate to the same content (super::streams).
        let flated = super::streams::Flated::scan(sent);
        crate::writer::pdf::compress_streams(&mut pdf, &|id, content| flated.reuse(id, content));
        let known = bag_report.id_prefix.get(&name).map(|(at, state)| (sent.as_slice(), *at, state));
        let Ok(fresh) = crate::writer::pdf::to_bytes(std::mem::take(&mut pdf), known) else { return };
        if *sent != fresh {
            differs.push((name, pdf_diff(sent, &fresh)));
        }
    }
    for (name, lines) in differs {
        let located = if lines.is_empty() { String::new() } else { format!("：{}", lines.join("；")) };
        if let Some(theirs) = other_version {
            // Another release may lay out differently: said so, not called tampering.
            report.findings.push(finding(
                "bag.rendering-version",
                Severity::Warning,
                shown,
                format!("{name} 由 dossier {theirs} 生成，本机为 {ours}，重新生成的不一致（可能是版本差异，不一定是篡改），需人工审核{located}"),
                format!("{name} was made by dossier {theirs}, this is {ours}, and a fresh rendering differs (possibly the version, not necessarily tampering): needs manual review{located}"),
            ));
        } else {
            report.findings.push(finding(
                "bag.rendering-differs",
                Severity::Error,
                shown,
                format!("{name} 与由 dossier.yaml 重新生成的不一致（同一版本、同样选项），提交件在生成后被修改{located}"),
                format!("{name} differs from a fresh rendering of dossier.yaml with the same version and options: edited after building{located}"),
            ));
        }
    }
}

/// At most this many differing lines are named per document.
const MAX_DIFF_LINES: usize = 5;

/// The pages and lines where two PDFs' texts differ, as `第 7 页：提交件“1607”，应为“1407”`;
/// empty when the text is the same (or unreadable), so only the bytes differ.
fn pdf_diff(sent: &[u8], fresh: &[u8]) -> Vec<String> {
    let pages = |bytes: &[u8]| -> Option<Vec<String>> {
        let doc = lopdf::Document::load_mem(bytes).ok()?;
        let n = doc.get_pages().len() as u32;
        Some((1..=n).map(|p| doc.extract_text(&[p]).unwrap_or_default()).collect())
    };
    let (Some(a), Some(b)) = (pages(sent), pages(fresh)) else { return Vec::new() };
    let mut out = Vec::new();
    if a.len() != b.len() {
        out.push(format!("提交件 {} 页，应为 {} 页", a.len(), b.len()));
    }
    for (i, (pa, pb)) in a.iter().zip(&b).enumerate() {
        for (x, y) in line_diff(pa, pb) {
            if out.len() >= MAX_DIFF_LINES {
                return out;
            }
            out.push(format!("第 {} 页：提交件“{x}”，应为“{y}”", i + 1));
        }
    }
    out
}

/// Lines that differ between two page texts, paired in order, each cut to the words that
/// differ (the common leading and trailing words dropped).
fn line_diff(a: &str, b: &str) -> Vec<(String, String)> {
    let la: Vec<&str> = a.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let lb: Vec<&str> = b.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    // Common head and tail of the page; what is left between them is the change.
    let head = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
    let tail = la[head..].iter().rev().zip(lb[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let ra = &la[head..la.len() - tail];
    let rb = &lb[head..lb.len() - tail];
    let n = ra.len().max(rb.len());
    (0..n)
        .map(|i| {
            let x = ra.get(i).copied().unwrap_or("");
            let y = rb.get(i).copied().unwrap_or("");
            words_diff(x, y)
        })
        .collect()
}

fn words_diff(x: &str, y: &str) -> (String, String) {
    let wx: Vec<&str> = x.split_whitespace().collect();
    let wy: Vec<&str> = y.split_whitespace().collect();
    let head = wx.iter().zip(&wy).take_while(|(p, q)| p == q).count();
    let tail = wx[head..].iter().rev().zip(wy[head..].iter().rev()).take_while(|(p, q)| p == q).count();
    (wx[head..wx.len() - tail].join(" "), wy[head..wy.len() - tail].join(" "))
}

/// The text runs of a DOCX's body part, in order.
fn docx_body(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    // Capped as every office part is (the sent DOCX was vetted).
    let part = zip.by_name("word/document.xml").ok()?;
    std::io::Read::read_to_string(&mut std::io::Read::take(part, crate::load::ooxml::MAX_PART_BYTES), &mut xml).ok()?;
    Some(body_text(&xml))
}

/// The text runs of word/document.xml, in order: <w:t ...>text</w:t>, as
/// `writer::docx::body_text` gives a fresh one's.
fn body_text(xml: &str) -> String {
    let mut text = String::new();
    // memchr's searcher: str::split's showed as 1 % of a full verification.
    let starts: Vec<usize> = memchr::memmem::find_iter(xml.as_bytes(), b"<w:t").map(|i| i + "<w:t".len()).collect();
    let ends = starts.iter().skip(1).map(|&s| s - "<w:t".len()).chain([xml.len()]);
    for piece in starts.iter().zip(ends).map(|(&s, e)| &xml[s..e]) {
        // <w:t> or <w:t xml:space=…>, not <w:tab/>, <w:tbl>, <w:tc>, <w:tr>.
        if !(piece.starts_with('>') || piece.starts_with(' ')) {
            continue;
        }
        if let Some((_, rest)) = piece.split_once('>') {
            text.push_str(memchr::memmem::find(rest.as_bytes(), b"</w:t>").map_or(rest, |end| &rest[..end]));
            text.push('\u{1}');
        }
    }
    text
}

/// Each file: its type by magic bytes, and the material whose keyword it shows (the longest
/// keyword wins, then the list's order).
fn inventory(names: &[String], contents: &BTreeMap<String, Vec<u8>>, pack: Option<&crate::policy::Pack>) -> Vec<crate::report::InventoryItem> {
    let inner = within_top(names);
    names
        .iter()
        .zip(&inner)
        .map(|(name, rel)| {
            let (code, kind) = contents.get(name).map_or(("unknown", "未读取"), |b| super::magic::kind(b));
            let mut best: Option<(&crate::policy::Material, usize)> = None;
            for m in pack.map_or(&[][..], |p| p.materials.as_slice()) {
                if let Some(len) = m.matches(rel)
                    && best.is_none_or(|(_, l)| len > l)
                {
                    best = Some((m, len));
                }
            }
            crate::report::InventoryItem {
                path: name.clone(),
                code: code.to_owned(),
                kind: kind.to_owned(),
                material_id: best.map(|(m, _)| m.id.clone()),
                material: best.map(|(m, _)| format!("{} {}", m.number, m.title)),
            }
        })
        .collect()
}

/// The paths below the top folder when every entry shares one.
fn within_top(names: &[String]) -> Vec<String> {
    let top = names.first().and_then(|n| n.split_once('/')).map(|(t, _)| format!("{t}/"));
    match top {
        Some(t) if names.iter().all(|n| n.starts_with(&t)) => names.iter().map(|n| n[t.len()..].to_owned()).collect(),
        _ => names.to_vec(),
    }
}

/// The pack whose material list a hand-made zip is read against: the one whose required
/// materials its paths show best, then the one whose region they name, then the first.
fn pack_for<'a>(registry: &'a Registry, names: &[String]) -> Option<&'a crate::policy::Pack> {
    let region = |p: &crate::policy::Pack| {
        let place = p.region.city.as_deref().or(p.region.province.as_deref()).unwrap_or("");
        let stem = place.trim_end_matches("自治区").trim_end_matches(['省', '市']);
        !stem.is_empty() && names.iter().any(|n| n.contains(stem))
    };
    let inner = within_top(names);
    let share = |p: &crate::policy::Pack| {
        let required: Vec<_> = p.materials.iter().filter(|m| m.required).collect();
        let found = required.iter().filter(|m| inner.iter().any(|n| m.matches(n).is_some())).count();
        // Compared as fractions without floats: found / required, scaled.
        found * 1000 / required.len().max(1)
    };
    let mut best: Option<(&crate::policy::Pack, (usize, bool))> = None;
    for pack in registry.all().iter().filter(|p| !p.materials.is_empty()) {
        let key = (share(pack), region(pack));
        if best.as_ref().is_none_or(|(_, k)| key > *k) {
            best = Some((pack, key));
        }
    }
    best.map(|(p, _)| p)
}

/// A zip not made by this tool: which of its policy's materials its paths show, and a plain
/// statement that its content was not checked.
fn hand_made(shown: &str, names: &[String], contents: BTreeMap<String, Vec<u8>>, registry: &Registry) -> Report {
    let mut r = empty_report(shown);
    let pack = pack_for(registry, names);
    r.inventory = inventory(names, &contents, pack);
    let (list_zh, list_en) = match pack {
        Some(p) => (format!("对照《{}》的材料目录", p.title), format!("against the material list of “{}”", p.title_en.as_deref().unwrap_or(&p.title))),
        None => ("（没有政策包给出材料目录）".to_owned(), "(no policy pack gives a material list)".to_owned()),
    };
    r.findings.push(finding(
        "zip.not-a-bag",
        Severity::Warning,
        shown,
        format!("不是 dossier 生成的提交包，内容无法担保：按文件名{list_zh}核对材料是否齐全，并读取其中的名单与申报表数据核对门槛；评分与其余内容未核对，材料齐全时需人工审核"),
        format!("not a submission made by dossier, so its content cannot be vouched for: materials are matched by file name {list_en}, and its roster and application form are read and their figures checked against the thresholds; the score and everything else are not checked, and when all materials are present it needs manual review"),
    ));
    let Some(pack) = pack else { return r };
    // Materials are matched below the top folder, which names the applicant, not a material.
    let full = names;
    let names = within_top(names);
    r.policy = Some(crate::rules::PolicyInfo {
        id: pack.id.clone(),
        version: pack.version.clone(),
        title: crate::diag::Text::new(pack.title.clone(), pack.title_en.clone().unwrap_or_default()),
        tier: None,
        brand_type: None,
        years: Vec::new(),
    });
    for material in pack.materials.iter().filter(|m| m.required) {
        if !names.iter().any(|n| material.matches(n).is_some()) {
            let mut f = finding(
                "zip.material-missing",
                Severity::Error,
                shown,
                format!("未见“{}”（{}，按文件名）", material.title, material.number),
                format!("no “{}” (item “{}”) found by file name", material.title_in(crate::lang::Lang::En), material.number),
            );
            f.citation = Some(material.citation.clone());
            r.findings.push(f);
        }
    }
    // Read in substance: the roster and the forms' figures, the bytes moved, not copied.
    let rel: BTreeMap<&String, &String> = full.iter().zip(names.iter()).collect();
    let files: BTreeMap<String, Vec<u8>> = contents.into_iter().filter_map(|(name, b)| rel.get(&name).map(|r| ((*r).clone(), b))).collect();
    let substance = super::substance::read(shown, files, pack);
    r.findings.extend(substance.findings);
    r.figures = substance.figures;
    r
}

#[cfg(test)]
mod tests {
    /// Text runs only (not <w:tab/>, <w:tbl>, <w:tc>, <w:tr>), each to its end tag, with or
    /// without attributes, a run cut short at the end of the part kept as it is.
    #[test]
    fn body_text_reads_each_text_run_in_order() {
        let xml = r#"<w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>培训人数</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> 1407 </w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t></w:t><w:t>a&gt;b</w:t><w:t>cut"#;
        assert_eq!(super::body_text(xml), "培训人数\u{1} 1407 \u{1}\u{1}a&gt;b\u{1}cut\u{1}");
        assert_eq!(super::body_text("<w:tab/>"), "");
        assert_eq!(super::body_text(""), "");
    }
}
