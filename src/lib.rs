//! dossier: write, check, render and verify vocational-skills-training-brand applications.
//!
//! Pipeline: `load` (YAML with positions) → `model` → `rules` (schema, policy packs) →
//! `report`. `init` writes a skeleton from the schema.

pub mod explain;
pub mod diag;
pub mod fonts;
pub mod build;
pub mod changed;
pub mod crypt;
pub mod document;
pub mod init;
pub mod lang;
pub mod layout;
pub mod load;
pub mod mask;
pub mod model;
pub mod package;
pub mod policy;
pub mod privacy;
pub mod report;
pub mod rules;
pub mod verify;
pub mod writer;

/// Lowercase hex, two digits a byte (digests in manifests, lists and reports), into one buffer.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    out
}

/// Write a file so readers never see it half-written: a sibling temp file, then rename.
pub fn atomic_write(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    write_atomically(path, bytes, false)
}

/// `atomic_write`, with `private` files readable by their owner only (0600 on Unix) from the
/// moment they exist: personal data is never briefly world-readable.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8], private: bool) -> Result<(), String> {
    use std::io::Write;
    write_atomically_with(path, private, |f| f.write_all(bytes).map_err(|e| crate::lang::io_error_zh(&e)))
}

/// `write_atomically` for output written piece by piece (a bound volume and its bag may be a
/// hundred megabytes each): `write` fills the temporary file, which is synced and renamed.
pub fn write_atomically_with(
    path: &std::path::Path,
    private: bool,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), String>,
) -> Result<(), String> {
    let mut pending = Pending::create(path, private)?;
    match write(&mut pending.file) {
        Ok(()) => pending.commit(),
        Err(why) => Err(pending.abandon(why)),
    }
}

/// A file being written atomically: its temporary sibling, renamed into place by
/// [`Pending::commit`] once synced (which may run on another thread while the next file is
/// written). Dropped uncommitted, the temporary file is removed.
pub struct Pending {
    pub file: std::fs::File,
    pub tmp: std::path::PathBuf,
    path: std::path::PathBuf,
    done: bool,
}

impl Pending {
    pub fn create(path: &std::path::Path, private: bool) -> Result<Pending, String> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let file = options.open(&tmp).map_err(|e| format!("无法写入 {}：{}", path.display(), crate::lang::io_error_zh(&e)))?;
        Ok(Pending { file, tmp, path: path.to_owned(), done: false })
    }

    /// The temporary file removed and `why` said of the final path.
    pub fn abandon(mut self, why: String) -> String {
        self.done = true;
        let _ = std::fs::remove_file(&self.tmp);
        format!("无法写入 {}：{why}", self.path.display())
    }

    pub fn commit(mut self) -> Result<(), String> {
        match self.file.sync_all().and_then(|()| std::fs::rename(&self.tmp, &self.path)) {
            Ok(()) => {
                self.done = true;
                Ok(())
            }
            Err(e) => Err(self.abandon(crate::lang::io_error_zh(&e))),
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn digests_are_written_as_lowercase_hex() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(super::hex(&[]), "");
    }
}
