//! Several dossiers checked in one call: text grouped per dossier, one JSON object, one exit code.
//! A single dossier prints exactly as before.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Report, TOOL, VERSION};

/// 2 if any dossier could not be read, else 1 if any has blocking findings, else 0.
pub fn exit_code(reports: &[Report]) -> i32 {
    reports.iter().map(Report::exit_code).max().unwrap_or(0)
}

/// `sources[i]` is the text `reports[i]`'s findings point into (for the caret lines).
pub fn to_text(reports: &[Report], sources: &[Option<String>]) -> String {
    let source = |i: usize| sources.get(i).and_then(Option::as_deref);
    if let [one] = reports {
        return one.to_text(source(0));
    }
    let mut out = String::new();
    let n = reports.len();
    let en = reports.first().is_some_and(|r| r.lang.is_en());
    for (i, report) in reports.iter().enumerate() {
        if en {
            let _ = writeln!(out, "== Dossier {}/{n}: {} ==\n", i + 1, report.dossier);
        } else {
            let _ = writeln!(out, "== 申报材料 {}/{n}：{} ==\n", i + 1, report.dossier);
        }
        out.push_str(&report.to_text(source(i)));
        out.push('\n');
    }
    let count = |f: &dyn Fn(&Report) -> bool| reports.iter().filter(|r| f(r)).count();
    // verify's submissions carry verdicts: the tally speaks the bureau's words.
    if reports.iter().any(|r| r.verdict.is_some()) {
        let v = |name: &str| count(&|r| r.verdict.as_deref() == Some(name));
        let (a, w, m, b) = (v(super::ACCEPTED), v(super::ADVISORIES), v(super::REVIEW), v(super::RETURNED));
        let unchecked = count(&|r| r.verdict.is_none());
        if en {
            let _ = writeln!(out, "{n} submissions: {a} accepted, {w} accepted with advisories, {m} need manual review, {b} returned, {unchecked} could not be checked");
        } else {
            let _ = writeln!(out, "共 {n} 份申报材料：受理 {a}，受理但有提示 {w}，需人工审核 {m}，退回 {b}，无法检查 {unchecked}");
        }
        return out;
    }
    let (passed, failed, unchecked) = (count(&|r| r.ran && r.ok), count(&|r| r.ran && !r.ok), count(&|r| !r.ran));
    if en {
        let _ = writeln!(out, "{n} dossiers: {passed} passed, {failed} failed, {unchecked} could not be checked");
    } else {
        let _ = writeln!(out, "共 {n} 份申报材料：通过 {passed}，未通过 {failed}，无法检查 {unchecked}");
    }
    out
}

#[derive(Serialize)]
struct Many<'a> {
    tool: &'static str,
    version: &'static str,
    ok: bool,
    dossiers: Vec<&'a Report>,
}

/// One report's object as before; several are wrapped in `{tool, version, ok, dossiers}`.
pub fn to_json(reports: &[Report]) -> String {
    let mut out = Vec::new();
    write_json(reports, &mut out).expect("writing to memory succeeds");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// The JSON of `to_json`, written as it is made (a large batch need not be held twice).
pub fn write_json(reports: &[Report], out: &mut impl std::io::Write) -> std::io::Result<()> {
    if let [one] = reports {
        return out.write_all(one.to_json().as_bytes());
    }
    let many = Many { tool: TOOL, version: VERSION, ok: reports.iter().all(|r| r.ok), dossiers: reports.iter().collect() };
    let lang = reports.first().map_or(crate::lang::Lang::Zh, |r| r.lang);
    crate::diag::in_lang(lang, || serde_json::to_writer_pretty(&mut *out, &many))?;
    out.write_all(b"\n")
}
