//! `check --changed`: from the files a commit touches to the dossier folders to check, each
//! once. A roster edit or a deleted evidence file must re-check its folder, not only an edit of
//! dossier.yaml (pre-commit passes no deleted files, so staged deletions come from git).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What a list of changed paths comes to.
#[derive(Debug, Default, PartialEq)]
pub struct Changed {
    /// Dossier folders, each once, in path order.
    pub folders: Vec<PathBuf>,
    /// Changed paths that lie in no dossier folder (not checked; counted in the output).
    pub outside: Vec<PathBuf>,
}

/// The dossier folder a path belongs to: the nearest folder at or above it holding a
/// dossier.yaml. The path itself may no longer exist (a deleted file).
pub fn folder_of(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { Some(path) } else { path.parent() };
    let mut dir = start.map(Path::to_path_buf);
    while let Some(d) = dir {
        let here = if d.as_os_str().is_empty() { PathBuf::from(".") } else { d.clone() };
        if here.join("dossier.yaml").is_file() {
            return Some(clean(&here));
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    None
}

/// `./a/b` and `a/b` are one folder.
fn clean(p: &Path) -> PathBuf {
    let s: PathBuf = p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    if s.as_os_str().is_empty() { PathBuf::from(".") } else { s }
}

/// Group changed paths by dossier folder.
pub fn folders(paths: &[PathBuf]) -> Changed {
    let mut folders = BTreeSet::new();
    let mut outside = Vec::new();
    for p in paths {
        match folder_of(p) {
            Some(f) => {
                folders.insert(f);
            }
            None => outside.push(p.clone()),
        }
    }
    Changed { folders: folders.into_iter().collect(), outside }
}

/// Files deleted in the index (staged deletions), relative to the current directory; empty
/// outside a git repository or when git is missing: the given paths still count.
pub fn staged_deletions() -> Vec<PathBuf> {
    let out = std::process::Command::new("git")
        .args(["diff", "--cached", "--name-only", "--diff-filter=D", "--no-renames", "--relative", "-z"])
        .stderr(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => {
            o.stdout.split(|b| *b == 0).filter(|s| !s.is_empty()).map(|s| PathBuf::from(String::from_utf8_lossy(s).into_owned())).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_map_to_their_dossier_folder_once() {
        let tmp = std::env::temp_dir().join(format!("dossier-changed-{}", std::process::id()));
        let a = tmp.join("apps/a");
        std::fs::create_dir_all(a.join("佐证材料")).unwrap();
        std::fs::write(a.join("dossier.yaml"), "x: 1\n").unwrap();
        std::fs::write(a.join("roster.csv"), "").unwrap();
        let got = folders(&[
            a.join("roster.csv"),
            a.join("佐证材料/gone.jpg"), // deleted: its folder still counts
            a.join("dossier.yaml"),
            tmp.join("README.md"),
        ]);
        assert_eq!(got.folders, vec![a.clone()]);
        assert_eq!(got.outside, vec![tmp.join("README.md")]);
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
