//! Length limits the forms set on free text.

use crate::finding::{Citation, Issue};
use crate::model::Dossier;

/// 附件1: 培训品牌建设情况介绍（2000字以内）.
pub const INTRODUCTION_LIMIT: usize = 2000;

/// Characters as a form counts them: everything but whitespace.
pub fn counted_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

pub fn check(dossier: &Dossier) -> Vec<Issue> {
    let n = counted_chars(&dossier.brand.introduction);
    if n <= INTRODUCTION_LIMIT {
        return Vec::new();
    }
    vec![
        Issue::error(
            "text.too-long",
            "/brand/introduction",
            format!("培训品牌建设情况介绍共 {n} 字，超过 {INTRODUCTION_LIMIT} 字的限制（多 {} 字）", n - INTRODUCTION_LIMIT),
        )
        .with_citation(Some(Citation {
            seed: "000_bb14ff56e33f7784.txt".into(),
            clause: "附件1".into(),
            quote: "培训品牌建设情况介绍（2000字以内）".into(),
        })),
    ]
}
