//! Encrypted submissions in the age format (age-encryption.org/v1: X25519 recipients,
//! ChaCha20-Poly1305 payload) through the `age` crate, so a bureau can also open its files
//! with the reference `age` tool. The bureau's identity never leaves its machine; applicants
//! encrypt to the recipient string it publishes. Decryption is in memory only.

use std::io::{Read, Write};
use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;

use age::secrecy::ExposeSecret;
use age::x25519::{Identity, Recipient};

use crate::diag::Text;

/// The first bytes of every binary age file.
const MAGIC: &[u8] = b"age-encryption.org/";
/// An ASCII-armored age file.
const ARMOR: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

pub fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC) || bytes.trim_ascii_start().starts_with(ARMOR)
}

/// A new identity: the file's text (age-keygen's layout) and its public recipient.
pub fn generate() -> (String, String) {
    let identity = Identity::generate();
    let recipient = identity.to_public().to_string();
    let text = format!(
        "# dossier keygen：人社部门审核用私钥，仅本机保存，切勿外传或随通知发布\n# public key: {recipient}\n{}\n",
        identity.to_string().expose_secret()
    );
    (text, recipient)
}

/// `dossier keygen OUT`: the identity written mode 0600, never over an existing file (a key
/// overwritten is every submission made for it lost).
pub fn keygen(out: &Path) -> Result<String, String> {
    if out.exists() || out.is_symlink() {
        return Err(format!("{} 已存在；为免覆盖已有私钥，请换一个文件名", out.display()));
    }
    let (text, recipient) = generate();
    crate::privacy::write_private(out, text.as_bytes())?;
    Ok(recipient)
}

/// Lines of an identity or recipients file that carry a key: comments and blanks skipped.
fn key_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

/// Recipients from `--recipient` values and `--recipients-file` files (one per line, `#`
/// comments), each checked.
pub fn recipients(values: &[String], files: &[std::path::PathBuf]) -> Result<Vec<Recipient>, String> {
    let mut out = Vec::new();
    for v in values {
        out.push(Recipient::from_str(v.trim()).map_err(|e| format!("收件人“{v}”不是有效的 age X25519 公钥（age1…）：{e}"))?);
    }
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("无法读取收件人文件 {}：{}", f.display(), crate::lang::io_error_zh(&e)))?;
        for (line, l) in key_lines(&text) {
            out.push(
                Recipient::from_str(l)
                    .map_err(|e| format!("{}:{line}：不是有效的 age X25519 公钥（age1…）：{e}", f.display()))?,
            );
        }
    }
    Ok(out)
}

/// The X25519 identities of an identity file (as `dossier keygen` or `age-keygen` write it).
pub fn read_identities(path: &Path) -> Result<Vec<Identity>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("无法读取私钥文件 {}：{}", path.display(), crate::lang::io_error_zh(&e)))?;
    let mut out = Vec::new();
    for (line, l) in key_lines(&text) {
        out.push(Identity::from_str(l).map_err(|_| {
            format!("{}:{line}：不是 age X25519 私钥（AGE-SECRET-KEY-1…）", path.display())
        })?);
    }
    if out.is_empty() {
        return Err(format!("{} 中没有私钥", path.display()));
    }
    Ok(out)
}

pub fn encrypt(plain: &[u8], recipients: &[Recipient]) -> Result<Vec<u8>, String> {
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|e| format!("无法加密：{e}"))?;
    let mut out = Vec::with_capacity(plain.len() + 1024);
    let mut writer = encryptor.wrap_output(&mut out).map_err(|e| format!("无法加密：{e}"))?;
    writer.write_all(plain).map_err(|e| format!("无法加密：{e}"))?;
    writer.finish().map_err(|e| format!("无法加密：{e}"))?;
    Ok(out)
}

#[derive(Debug)]
pub enum OpenError {
    /// Encrypted, and this machine was given no identity.
    NoIdentity,
    /// Encrypted for someone else: none of the identities opens it.
    NotForUs,
    /// Damaged, truncated or altered: the header or a payload chunk fails authentication.
    Damaged(String),
}

impl OpenError {
    pub fn rule(&self) -> &'static str {
        match self {
            OpenError::NoIdentity => "crypt.no-identity",
            OpenError::NotForUs => "crypt.wrong-identity",
            OpenError::Damaged(_) => "crypt.damaged",
        }
    }

    /// What the error says, in both languages.
    pub fn text(&self) -> Text {
        match self {
            OpenError::NoIdentity => Text::new(
                "提交包已加密（age 格式，发给指定收件人）：请用 --identity 指定本单位的私钥文件后再审核",
                "the submission is encrypted (age format, for a given recipient): pass this bureau's identity file with --identity",
            ),
            OpenError::NotForUs => Text::new(
                "提交包不是加密给本单位的：所给私钥均无法解密（请确认申报单位使用了本单位公布的公钥）",
                "the submission is not encrypted for this bureau: none of the identities given opens it (check the applicant used the published recipient)",
            ),
            OpenError::Damaged(e) => Text::new(
                format!("加密的提交包已损坏、被截断或被改动，无法解密：{e}"),
                format!("the encrypted submission is damaged, truncated or altered and cannot be decrypted: {e}"),
            ),
        }
    }

    /// Could not run (exit 2) rather than a returned submission.
    pub fn cannot_run(&self) -> bool {
        !matches!(self, OpenError::Damaged(_))
    }
}

/// Plaintext of an age file, in memory, never more than `cap` bytes.
pub fn decrypt(bytes: &[u8], identities: &[Identity], cap: u64) -> Result<Vec<u8>, OpenError> {
    if identities.is_empty() {
        return Err(OpenError::NoIdentity);
    }
    let armored = bytes.trim_ascii_start().starts_with(ARMOR);
    if armored {
        let reader = age::armor::ArmoredReader::new(bytes);
        decrypt_from(age::Decryptor::new(reader), identities, cap)
    } else {
        decrypt_from(age::Decryptor::new_buffered(bytes), identities, cap)
    }
}

fn decrypt_from<R: Read>(
    decryptor: Result<age::Decryptor<R>, age::DecryptError>,
    identities: &[Identity],
    cap: u64,
) -> Result<Vec<u8>, OpenError> {
    let decryptor = decryptor.map_err(|e| OpenError::Damaged(e.to_string()))?;
    let reader = decryptor.decrypt(identities.iter().map(|i| i as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => OpenError::NotForUs,
        other => OpenError::Damaged(other.to_string()),
    })?;
    let mut out = Vec::new();
    reader.take(cap + 1).read_to_end(&mut out).map_err(|e| OpenError::Damaged(e.to_string()))?;
    if out.len() as u64 > cap {
        return Err(OpenError::Damaged(format!("解密后超过 {cap} 字节上限")));
    }
    Ok(out)
}

/// The identities `verify` decrypts with, set once from `--identity`.
static IDENTITIES: OnceLock<Vec<Identity>> = OnceLock::new();

pub fn set_identities(identities: Vec<Identity>) {
    let _ = IDENTITIES.set(identities);
}

pub fn identities() -> &'static [Identity] {
    IDENTITIES.get().map_or(&[], Vec::as_slice)
}

/// A received submission's zip bytes: as they are when plain, decrypted in memory when
/// encrypted.
pub fn open_submission(bytes: Vec<u8>, cap: u64) -> Result<Vec<u8>, OpenError> {
    if !is_encrypted(&bytes) {
        return Ok(bytes);
    }
    decrypt(&bytes, identities(), cap)
}

/// Findings that mean a submission could not be opened here at all (exit 2, not 退回).
pub fn cannot_run(rule: &str) -> bool {
    rule == "crypt.no-identity" || rule == "crypt.wrong-identity"
}

/// `dossier decrypt`: the plaintext zip and its bag unpacked under `out`, nowhere else. The
/// zip is vetted as `verify` vets it before a single entry is written.
pub fn decrypt_to(file: &Path, identities: &[Identity], out: &Path) -> Result<String, String> {
    use crate::verify::archive::{Archive, Limits};
    let bytes = std::fs::read(file).map_err(|e| format!("无法读取 {}：{}", file.display(), crate::lang::io_error_zh(&e)))?;
    if !is_encrypted(&bytes) {
        return Err(format!("{} 不是 age 加密文件", file.display()));
    }
    let limits = Limits::default();
    let plain = decrypt(&bytes, identities, limits.max_total_bytes).map_err(|e| e.text().zh)?;
    let mut archive = Archive::open(plain.clone(), limits).map_err(|refusals| {
        let list: Vec<String> = refusals.iter().map(|r| r.text().zh).collect();
        format!("解密后的压缩包不安全或已损坏，未写出：{}", list.join("；"))
    })?;
    let (contents, unreadable) = archive.read_all();
    if let Some(e) = unreadable.first() {
        return Err(format!("解密后的压缩包已损坏，未写出：{e}"));
    }
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let zip_name = name.strip_suffix(".age").filter(|n| !n.is_empty()).map_or(format!("{name}.zip"), str::to_owned);
    let zip_path = out.join(&zip_name);
    // Every target first: nothing is overwritten, and nothing is half written on refusal.
    let targets: Vec<(std::path::PathBuf, &Vec<u8>)> = contents.iter().map(|(n, b)| (out.join(n), b)).collect();
    for t in std::iter::once(&zip_path).chain(targets.iter().map(|(p, _)| p)) {
        if t.exists() {
            return Err(format!("{} 已存在，未覆盖", t.display()));
        }
    }
    private_dirs(out)?;
    crate::privacy::write_private(&zip_path, &plain)?;
    for (path, bytes) in &targets {
        if let Some(dir) = path.parent() {
            private_dirs(dir)?;
        }
        crate::privacy::write_private(path, bytes)?;
    }
    let top: std::collections::BTreeSet<&str> = contents.keys().filter_map(|n| n.split('/').next()).collect();
    let bags: Vec<String> = top.iter().map(|t| out.join(t).display().to_string()).collect();
    Ok(format!(
        "已解密：{}，{}（含个人信息，文件权限 0600，用后请删除）\n",
        zip_path.display(),
        bags.join("、")
    ))
}

/// Folders holding decrypted personal data: owner only (0700 on Unix), like the files in them.
fn private_dirs(dir: &Path) -> Result<(), String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_wrong_key_and_damage() {
        let (text, recipient) = generate();
        let ids: Vec<Identity> = key_lines(&text).map(|(_, l)| Identity::from_str(l).unwrap()).collect();
        let r = recipients(&[recipient], &[]).unwrap();
        let sealed = encrypt(b"PK secret 210204196908122642", &r).unwrap();
        assert!(is_encrypted(&sealed));
        assert!(!sealed.windows(18).any(|w| w == b"210204196908122642"));
        assert_eq!(decrypt(&sealed, &ids, 1 << 20).unwrap(), b"PK secret 210204196908122642");
        let other = vec![Identity::generate()];
        assert!(matches!(decrypt(&sealed, &other, 1 << 20), Err(OpenError::NotForUs)));
        assert!(matches!(decrypt(&sealed, &[], 1 << 20), Err(OpenError::NoIdentity)));
        for cut in [10, 60, sealed.len() / 2, sealed.len() - 1] {
            assert!(matches!(decrypt(&sealed[..cut], &ids, 1 << 20), Err(OpenError::Damaged(_))), "cut {cut}");
        }
        let mut altered = sealed.clone();
        let last = altered.len() - 3;
        altered[last] ^= 1;
        assert!(matches!(decrypt(&altered, &ids, 1 << 20), Err(OpenError::Damaged(_))));
        assert!(matches!(decrypt(&sealed, &ids, 4), Err(OpenError::Damaged(_))));
    }
}
