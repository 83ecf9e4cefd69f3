//! Structured mutation of the YAML loader, the roster readers (CSV, XLSX) and the zip/bag
//! reader: whatever the bytes, they return, never panic. A short bounded run is part of the
//! suite; `fuzz/run.sh` runs the same targets for as long as asked (FUZZ_SECONDS).

use crate::common::{zip_entries, zip_of};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

static EXECUTIONS: AtomicU64 = AtomicU64::new(0);

/// Run `target` on values from `strategy` until the time budget is spent (FUZZ_SECONDS, or
/// `default_secs` in the suite); a panic fails the test with the shrunk input.
fn fuzz<S: Strategy>(name: &str, default_secs: u64, strategy: S, target: impl Fn(S::Value)) {
    let secs = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(default_secs);
    let until = Instant::now() + Duration::from_secs(secs);
    let mut round = 0u32;
    let before = EXECUTIONS.load(Ordering::Relaxed);
    while Instant::now() < until {
        // A fixed seed per round: reproducible, yet every round explores new inputs.
        let config = Config { cases: 64, failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(u64::from(round)), ..Config::default() };
        let mut runner = TestRunner::new(config);
        runner
            .run(&strategy, |v| {
                EXECUTIONS.fetch_add(1, Ordering::Relaxed);
                target(v);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        round += 1;
    }
    eprintln!("fuzz {name}: {} executions in {secs} s", EXECUTIONS.load(Ordering::Relaxed) - before);
}

/// Mutations of a seed: flip, insert, delete, duplicate, truncate.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Repeat(usize, usize, u8),
    Truncate(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Flip(a, b)),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..16)).prop_map(|(a, b)| Edit::Insert(a, b)),
        (any::<usize>(), 1usize..64).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), 1usize..32, 1u8..20).prop_map(|(a, n, k)| Edit::Repeat(a, n, k)),
        any::<usize>().prop_map(Edit::Truncate),
    ];
    proptest::collection::vec(edit, 1..8)
}

fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for e in edits {
        let len = b.len().max(1);
        match e {
            Edit::Flip(a, x) if !b.is_empty() => b[a % len] ^= x | 1,
            Edit::Insert(a, bytes) => {
                let at = a % (b.len() + 1);
                b.splice(at..at, bytes.iter().copied());
            }
            Edit::Delete(a, n) if !b.is_empty() => {
                let at = a % len;
                let end = (at + n).min(b.len());
                b.drain(at..end);
            }
            Edit::Repeat(a, n, k) if !b.is_empty() => {
                let at = a % len;
                let end = (at + n).min(b.len());
                let piece = b[at..end].to_vec();
                for _ in 0..*k {
                    b.splice(at..at, piece.iter().copied());
                }
            }
            Edit::Truncate(a) => b.truncate(a % (b.len() + 1)),
            _ => {}
        }
    }
    b
}

const YAML_SEED: &str = "dossier_version: 1\npolicy:\n  id: dalian-2023\n  tier: city\napplicant:\n  name: &n \"大连市金桥职业培训学校\"\n  city: 大连市\nbrand:\n  name: *n\n  occupations:\n    - {name: 焊工, level: [三级, 二级]}\ntraining:\n  rosters:\n    - file: rosters/名单.csv\n      sheet: 'Sheet1'\nlist: [1, 2.5, ~, true, 2023-01-01, \"\\u4e2d\", |\n  block\n]\n";

const CSV_SEED: &str = "序号,姓名,性别,身份证号,人员类别,培训职业（工种）,等级,开班日期,结业日期,课时,是否合格,联系电话,X\n1,张三,男,210202198501011234,失业人员,焊工,四级,2022-03-01,2022-04-30,120,是,13800000000,\n\"2\",\"李,四\",女,,,电工,,2022/3/1,,abc,否,,\n";

fn xlsx_seed() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["序号", "姓名", "身份证号", "培训职业", "课时"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_number(1, 0, 1.0).unwrap();
    sheet.write_string(1, 1, "张三").unwrap();
    sheet.write_string(1, 2, "210202198501011234").unwrap();
    sheet.write_string(1, 3, "焊工").unwrap();
    sheet.write_number(1, 4, 120.0).unwrap();
    book.save_to_buffer().unwrap()
}

fn bag_seed() -> Vec<u8> {
    use dossier::package::{BagInfo, Entry, zip_bag};
    let payload = vec![
        Entry::new("dossier.yaml", YAML_SEED.as_bytes().to_vec()),
        Entry::new("培训人员名单/名单.csv", CSV_SEED.as_bytes().to_vec()),
        Entry::new("申报表.docx", xlsx_seed()),
    ];
    zip_bag("bag", payload, &BagInfo { fields: vec![("Source-Organization".to_owned(), "x".to_owned())], epoch: 0 }).unwrap()
}

fn yaml_target(bytes: Vec<u8>) {
    if let Ok(text) = String::from_utf8(bytes) {
        let _ = dossier::load::parse_json(&text);
    }
}

fn zip_target(bytes: Vec<u8>) {
    use dossier::verify::archive::{Archive, Limits, vet_nested};
    if let Ok(mut a) = Archive::open(bytes, Limits::default()) {
        let (contents, _) = a.read_all();
        let _ = vet_nested(&contents);
        let _ = dossier::verify::bag::validate(&contents, &a.entries);
    }
}

fn secs() -> u64 {
    2
}

#[test]
fn fuzz_yaml_loader() {
    fuzz("yaml", secs(), edits(), |e| yaml_target(apply(YAML_SEED.as_bytes(), &e)));
    fuzz("yaml-text", secs(), "\\PC{0,200}", |s: String| yaml_target(s.into_bytes()));
}

#[test]
fn fuzz_csv_roster() {
    fuzz("csv", secs(), edits(), |e| {
        let _ = dossier::load::roster::read_bytes(apply(CSV_SEED.as_bytes(), &e), "csv", None);
    });
}

#[test]
fn fuzz_xlsx_roster() {
    let seed = xlsx_seed();
    let seed_parts = zip_entries(&seed);
    fuzz("xlsx-bytes", secs(), edits(), |e| {
        let _ = dossier::load::roster::read_bytes(apply(&seed, &e), "xlsx", None);
    });
    fuzz("xlsx-parts", secs(), (0..seed_parts.len(), edits()), |(i, e)| {
        let mut p = seed_parts.clone();
        p[i].1 = apply(&p[i].1, &e);
        let _ = dossier::load::roster::read_bytes(zip_of(&p), "xlsx", None);
    });
}

#[test]
fn fuzz_zip_and_bag_reader() {
    let seed = bag_seed();
    let seed_parts = zip_entries(&seed);
    fuzz("zip-bytes", secs(), edits(), |e| zip_target(apply(&seed, &e)));
    fuzz("bag-parts", secs(), (0..seed_parts.len(), edits()), |(i, e)| {
        let mut p = seed_parts.clone();
        p[i].1 = apply(&p[i].1, &e);
        zip_target(zip_of(&p));
    });
}

/// Found by `fuzz/run.sh`: cell references calamine's arithmetic overflows on (a dimension
/// that ends before it starts, a column of twenty letters) are a damaged file, never a panic.
#[test]
fn xlsx_references_that_overflow_the_reader_are_a_damaged_file() {
    let seed = zip_entries(&xlsx_seed());
    let sheet = seed.iter().position(|(n, _)| n == "xl/worksheets/sheet1.xml").expect("sheet part");
    let xml = String::from_utf8(seed[sheet].1.clone()).unwrap();
    assert!(xml.contains(r#"<dimension ref="A1:E2"/>"#) && xml.contains(r#"r="A1""#), "seed layout changed: {xml}");
    for broken in [xml.replace(r#"ref="A1:E2""#, r#"ref="E2:A1""#), xml.replace(r#"r="A1""#, r#"r="AAAAAAAAAAAAAAAAAAAA1""#)] {
        let mut p = seed.clone();
        p[sheet].1 = broken.into_bytes();
        let read = dossier::load::roster::read_bytes(zip_of(&p), "xlsx", None);
        let err = read.expect_err("a broken reference is refused");
        assert!(err.message.contains("无法读取") || err.message.contains("超过"), "{}", err.message);
    }
}
