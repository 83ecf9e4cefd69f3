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
