//! Output language: messages default to Chinese; `--lang en` gives English.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The text for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn is_en(self) -> bool {
        self == Lang::En
    }
}

/// An I/O error in Chinese: the OS text ("No such file or directory (os error 2)") is English
/// whatever the locale.
pub fn io_error_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或目录不存在".to_owned(),
        K::PermissionDenied => "没有访问权限".to_owned(),
        K::AlreadyExists => "已存在".to_owned(),
        K::IsADirectory => "是目录而不是文件".to_owned(),
        K::NotADirectory => "不是目录".to_owned(),
        K::InvalidData => "内容无效".to_owned(),
        K::UnexpectedEof => "文件不完整".to_owned(),
        K::StorageFull => "磁盘空间不足".to_owned(),
        _ => format!("读写失败（{e}）"),
    }
}

/// A zip reader's error in Chinese ("invalid Zip archive: Could not find EOCD" means the file is
/// not a zip or was cut short); the English original helps nobody reading Chinese.
pub fn zip_error_zh(e: &str) -> &'static str {
    let e = e.to_ascii_lowercase();
    if e.contains("eocd") || e.contains("central directory") || e.contains("end of") {
        "找不到 zip 的目录结尾，文件不是 zip 格式，或在下载、复制时被截断"
    } else if e.contains("unsupported") {
        "使用了不支持的压缩方式或 zip 功能"
    } else if e.contains("password") || e.contains("encrypt") {
        "已加密"
    } else if e.contains("io error") || e.contains("os error") {
        "读取失败"
    } else {
        "内容已损坏"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn library_errors_come_back_chinese() {
        assert_eq!(super::zip_error_zh("invalid Zip archive: Could not find EOCD"), "找不到 zip 的目录结尾，文件不是 zip 格式，或在下载、复制时被截断");
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(super::io_error_zh(&e), "文件或目录不存在");
    }
}
