//! `dossier verify`, the bureau's side: received submissions opened safely in memory,
//! validated as BagIt bags, re-checked and re-rendered, each given a verdict.

pub mod archive;
pub mod bag;
pub mod submission;

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
                .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("zip")))
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

/// Every submission, checked in parallel; one at a time in memory per worker.
pub fn verify_all(zips: &[PathBuf], registry: &Registry) -> Vec<Report> {
    zips.par_iter().map(|z| submission::verify(Path::new(z), registry)).collect()
}
