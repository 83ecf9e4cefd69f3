//! The folder tree shows the pipeline: each stage of `src/` may use only the stages above it.
//! Reads every `crate::…` path in `src/` and fails on an upward import (and so on any cycle).

use crate::common::*;

/// The stages in pipeline order; a module may use its own stage and those listed before it.
const STAGES: &[&[&str]] = &[
    // Shared leaves: diagnostics, language, masking, the bundled faces, hex digests, atomic writes.
    &["diag", "lang", "mask", "fonts", "hex", "atomic_write", "write_atomically", "write_atomically_with", "Pending"],
    // source: YAML with positions, rosters, the typed model.
    &["load", "model"],
    // Who sees personal data in full (render, bag and verify all ask it).
    &["privacy"],
    &["policy"],
    // check
    &["rules"],
    // render
    &["document", "layout", "writer"],
    // bag
    &["package"],
    &["report"],
    // commands
    &["build", "verify", "init", "explain", "crypt", "changed"],
];

fn stage_of(module: &str) -> Option<usize> {
    STAGES.iter().position(|s| s.contains(&module))
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_stage_imports_only_the_stages_above_it() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    let mut unknown = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        // main.rs and lib.rs sit on top of everything.
        if rel == "main.rs" || rel == "lib.rs" {
            continue;
        }
        let own = rel.split(['/', '.']).next().unwrap().to_owned();
        let Some(mine) = stage_of(&own) else {
            unknown.push(rel.clone());
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + 7..];
                // `use crate::{a, b::c}` names several modules at once.
                let names: Vec<String> = match rest.strip_prefix('{') {
                    Some(group) => group.split([',', '}']).map(|n| n.trim().split("::").next().unwrap().to_owned()).filter(|n| !n.is_empty()).collect(),
                    None => vec![rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()],
                };
                for used in names {
                match stage_of(&used) {
                    Some(theirs) if theirs > mine => upward.push(format!("src/{rel}:{}: {own} uses {used}", n + 1)),
                    Some(_) => {}
                    None => unknown.push(format!("src/{rel}:{}: crate::{used}", n + 1)),
                }
                }
            }
        }
    }
    assert!(unknown.is_empty(), "modules outside the stage table:\n{}", unknown.join("\n"));
    assert!(upward.is_empty(), "imports against the pipeline:\n{}", upward.join("\n"));
}
