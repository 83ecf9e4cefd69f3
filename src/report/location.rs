//! File paths as CI tools want them: relative to the working directory, forward slashes, and
//! for SARIF a valid RFC 3986 URI reference.

use std::path::{Component, Path, PathBuf};

/// A finding's file as CI sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Relative to the working directory, forward slashes, no `.` or `..`.
    Relative(String),
    /// Outside the working directory: an absolute path, forward slashes.
    Absolute(String),
}

impl Place {
    /// The path as annotations show it.
    pub fn path(&self) -> &str {
        match self {
            Place::Relative(p) | Place::Absolute(p) => p,
        }
    }

    /// A URI reference: relative ones resolve against the working directory (`%SRCROOT%`).
    pub fn uri(&self) -> String {
        match self {
            Place::Relative(p) => percent_encode(p),
            Place::Absolute(p) => file_uri(p),
        }
    }
}

/// Resolve `file` (as a report shows it) against `cwd`.
pub fn place(file: &str, cwd: Option<&Path>) -> Place {
    let path = Path::new(file);
    let Some(cwd) = cwd else {
        let clean = normal(path);
        return if path.is_absolute() { Place::Absolute(slashes(&clean)) } else { Place::Relative(slashes(&clean)) };
    };
    let absolute = normal(&cwd.join(path));
    match absolute.strip_prefix(normal(cwd)) {
        Ok(rel) if !rel.as_os_str().is_empty() => Place::Relative(slashes(rel)),
        _ => Place::Absolute(slashes(&absolute)),
    }
}

/// `file:///…/` URI of a directory, for `originalUriBaseIds` (SARIF wants the trailing slash).
pub fn dir_uri(dir: &Path) -> String {
    let mut s = slashes(&normal(dir));
    if !s.ends_with('/') {
        s.push('/');
    }
    file_uri(&s)
}

fn file_uri(path: &str) -> String {
    let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
    format!("file://{}", percent_encode(&path))
}

/// Lexical clean-up: drop `.`, fold `..` into its parent (as CI tools read paths).
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn slashes(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Percent-encode every byte outside RFC 3986 `unreserved`, keeping `/` as the separator.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_cleaned_and_encoded() {
        let cwd = Path::new("/work/repo");
        let p = place("./fixtures/a b/../大连/dossier.yaml", Some(cwd));
        assert_eq!(p, Place::Relative("fixtures/大连/dossier.yaml".to_owned()));
        assert_eq!(p.uri(), "fixtures/%E5%A4%A7%E8%BF%9E/dossier.yaml");
        assert_eq!(place("/work/repo/x/dossier.yaml", Some(cwd)), Place::Relative("x/dossier.yaml".to_owned()));
        let outside = place("/tmp/d 1/dossier.yaml", Some(cwd));
        assert_eq!(outside.uri(), "file:///tmp/d%201/dossier.yaml");
        assert_eq!(place("../other/dossier.yaml", Some(cwd)), Place::Absolute("/work/other/dossier.yaml".to_owned()));
        assert_eq!(dir_uri(Path::new("/work/repo")), "file:///work/repo/");
        assert_eq!(percent_encode("a%b,c:d#e?f"), "a%25b%2Cc%3Ad%23e%3Ff");
    }
}
