//! Helpers shared by the integration tests: run the real binary, read its JSON.

#![allow(dead_code)]

pub mod xml;

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

pub fn run(args: &[&str]) -> Run {
    run_in(&root(), args)
}

/// Run with a given working directory (paths in SARIF and annotations are relative to it).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = bin().current_dir(dir).args(args).output().expect("binary runs");
    Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

pub fn check_json(path: &Path) -> Run {
    run(&["check", "--format", "json", path.to_str().unwrap()])
}

/// (rule, line, column) of every finding.
pub fn findings(report: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dossier-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An invalid fixture's `expect.txt`: the exit code, then `RULE LINE:COLUMN` (or `RULE`) lines.
pub struct Expected {
    pub exit: i32,
    pub findings: Vec<(String, Option<(u64, u64)>)>,
}

pub fn read_expect(dir: &Path) -> Expected {
    let text = std::fs::read_to_string(dir.join("expect.txt")).unwrap();
    let mut lines = text.lines();
    let exit = lines.next().unwrap().strip_prefix("exit ").unwrap().parse().unwrap();
    let findings = lines
        .map(|l| {
            let mut parts = l.split_whitespace();
            let rule = parts.next().unwrap().to_owned();
            let pos = parts.next().map(|p| {
                let (a, b) = p.split_once(':').unwrap();
                (a.parse().unwrap(), b.parse().unwrap())
            });
            (rule, pos)
        })
        .collect();
    Expected { exit, findings }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A valid ID number for a person born on `birth` (YYYYMMDD).
pub fn valid_id(region: &str, birth: &str, seq: u32) -> String {
    let body = format!("{region}{birth}{seq:03}");
    let check = dossier::rules::codes::id_check_char(&body).expect("17 digits");
    format!("{body}{check}")
}

/// The text of each page of a PDF we rendered, read back with lopdf (no poppler needed): one
/// line per text run, in content order.
pub fn pdf_pages(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap_or_else(|e| panic!("{} does not parse as PDF: {e}", pdf.display()));
    let pages = doc.get_pages();
    (1..=pages.len() as u32).map(|n| doc.extract_text(&[n]).unwrap_or_else(|e| panic!("page {n}: {e}"))).collect()
}

/// Text with all whitespace removed, for matching across line breaks.
pub fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The output folder of `dossier build fixtures/<fixture>`, built once per test process: many
/// tests read the same PDF, DOCX and zip, and rendering is the suite's slowest step.
pub fn built_fixture(fixture: &str) -> PathBuf {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<OnceLock<PathBuf>>>>> = OnceLock::new();
    let cell = CACHE.get_or_init(Default::default).lock().unwrap().entry(fixture.to_owned()).or_default().clone();
    cell.get_or_init(|| {
        let out = tempdir(&format!("built-{fixture}"));
        let r = run(&["build", root().join("fixtures").join(fixture).to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{fixture}: {}{}", r.stdout, r.stderr);
        out
    })
    .clone()
}

/// The one file with extension `ext` in a build's output folder.
pub fn output(out: &Path, ext: &str) -> PathBuf {
    std::fs::read_dir(out).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == ext)).expect("file written")
}

/// A zip in memory holding `files` as (name, bytes), deflated at the default level.
pub fn zip_of<N: AsRef<str>, B: AsRef<[u8]>>(files: &[(N, B)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        zip.start_file(name.as_ref(), zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes.as_ref()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Every entry of a zip as (name, bytes), in archive order; names read lossily, so a mutated
/// name still comes out.
pub fn zip_entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut b).unwrap();
            (String::from_utf8_lossy(f.name_raw()).into_owned(), b)
        })
        .collect()
}

/// The bytes a hand-made zip's entry is given in tests: a real roster for a roster file (the
/// bureau reads it), a placeholder for anything else.
pub fn hand_made_bytes(name: &str) -> Vec<u8> {
    if name.ends_with("名单.xlsx") {
        std::fs::read(root().join("fixtures/dalian-2023-city/rosters/培训人员名单.xlsx")).unwrap()
    } else if name.ends_with("名单.csv") {
        std::fs::read(root().join("fixtures/dalian-2023-district/rosters/培训人员名单.csv")).unwrap()
    } else {
        b"x".to_vec()
    }
}

/// The text of a DOCX body (word/document.xml) with the tags removed and entities read.
pub fn docx_text(docx: &std::path::Path) -> String {
    let bytes = std::fs::read(docx).unwrap();
    let body = zip_entries(&bytes).into_iter().find(|(n, _)| n == "word/document.xml").expect("document.xml").1;
    let xml = String::from_utf8(body).unwrap();
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
}
