//! Where a dossier's files live: a folder on disk, or the payload of a received zip held in
//! memory (the bureau never extracts submissions). Checks ask the source, not the disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub enum Source {
    Dir(PathBuf),
    /// Files by their path relative to the dossier (forward slashes); `aliases` maps the paths
    /// dossier.yaml names to where a submission keeps them (evidence renamed by number).
    Memory { files: BTreeMap<String, Vec<u8>>, aliases: BTreeMap<String, String> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    Present,
    Missing,
    NotAFile,
    /// A symlink leading out of the folder.
    Outside,
}

impl Source {
    /// The name a path is really stored under (its extension tells how to read it).
    pub fn resolve<'a>(&'a self, rel: &'a str) -> &'a str {
        match self {
            Source::Memory { aliases, .. } => aliases.get(rel).map_or(rel, String::as_str),
            Source::Dir(_) => rel,
        }
    }

    /// State of a path already known to be relative and free of `..`.
    pub fn state(&self, rel: &str) -> FileState {
        let rel = self.resolve(rel);
        match self {
            Source::Memory { files, .. } => {
                if files.contains_key(rel) {
                    FileState::Present
                } else if files.keys().any(|k| k.starts_with(&format!("{}/", rel.trim_end_matches('/')))) {
                    FileState::NotAFile
                } else {
                    FileState::Missing
                }
            }
            Source::Dir(dir) => {
                let full = dir.join(rel);
                let Ok(meta) = std::fs::metadata(&full) else { return FileState::Missing };
                let inside = match (full.canonicalize(), dir.canonicalize()) {
                    (Ok(f), Ok(d)) => f.starts_with(d),
                    _ => false,
                };
                if !inside {
                    FileState::Outside
                } else if !meta.is_file() {
                    FileState::NotAFile
                } else {
                    FileState::Present
                }
            }
        }
    }

    pub fn read(&self, rel: &str, limit: u64) -> Result<Vec<u8>, String> {
        let rel = self.resolve(rel);
        match self {
            Source::Memory { files, .. } => files.get(rel).cloned().ok_or_else(|| format!("找不到“{rel}”")),
            Source::Dir(dir) => {
                use std::io::Read;
                let mut bytes = Vec::new();
                std::fs::File::open(dir.join(rel))
                    .and_then(|f| f.take(limit).read_to_end(&mut bytes))
                    .map_err(|e| format!("无法读取“{rel}”：{}", crate::lang::io_error_zh(&e)))?;
                Ok(bytes)
            }
        }
    }

    /// How a finding names the file: the path on disk, or the path inside the submission.
    pub fn shown(&self, rel: &str) -> String {
        match self {
            Source::Dir(dir) => dir.join(rel).display().to_string(),
            Source::Memory { .. } => self.resolve(rel).to_owned(),
        }
    }

    pub fn dir(&self) -> Option<&Path> {
        match self {
            Source::Dir(d) => Some(d),
            Source::Memory { .. } => None,
        }
    }
}
