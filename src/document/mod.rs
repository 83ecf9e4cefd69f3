//! The document model every writer renders: headings, paragraphs, tables with merged cells,
//! page breaks, signature lines, the cover and the contents. Templates produce it through a
//! small line markup, so no writer knows a policy and no template knows a writer.

pub mod compose;

#[derive(Debug, Clone, PartialEq)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    pub align: Align,
    /// `{pages:07-01}`: the cell prints the pages evidence item 07-01 is bound on, known only
    /// once the volume is laid out.
    pub pages_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Relative column widths.
    pub widths: Vec<f32>,
    /// Rows repeated at the top of every page the table continues on.
    pub header_rows: usize,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The cover: a title, and label/value lines (填报单位（盖章）…).
    Cover { title: Vec<String>, fields: Vec<(String, String)> },
    /// The numbered contents, filled with true page numbers at layout.
    Contents,
    /// A centred document title (22 pt).
    Title(String),
    /// Level 1 (一、), 2 (（一）), 3 (1.), 4 ((1)); level 1 and 2 enter the contents.
    Heading { level: u8, text: String },
    /// Body text with a two-character first-line indent.
    Paragraph(String),
    /// A line without indent, aligned as given (signatures, dates, notes).
    Line { text: String, align: Align },
    Table(Table),
    PageBreak,
    /// `::evidence 07-01`: the pages of an evidence item, bound where the template puts them.
    Evidence(Evidence),
}

/// An evidence item in the volume. Printable ones (PDF, images) take one page per page of the
/// file; electronic ones (video, other files) take none and are listed where they are kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evidence {
    pub no: String,
    pub title: String,
    /// Index into `Document::files`; None for an electronic item.
    pub file: Option<usize>,
    /// Each page's printed size, in points.
    pub pages: Vec<crate::load::media::PageSize>,
}

/// The bytes of a file bound into the volume and what its content is.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub bytes: std::sync::Arc<Vec<u8>>,
    pub media: crate::load::media::Media,
    /// A JPEG in a folder is not read here: it passes into the PDF as it is, streamed from
    /// this file when the volume is written (`bytes` is then empty).
    pub path: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
    /// Files the evidence blocks print.
    pub files: Vec<Bound>,
}

impl Document {
    /// Headings that enter the contents and the PDF outline.
    pub fn outline(&self) -> impl Iterator<Item = (u8, &str)> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Heading { level, text } if *level <= 2 => Some((*level, text.as_str())),
            _ => None,
        })
    }

    /// Every character the document will print, for the font coverage check.
    pub fn text(&self) -> String {
        let mut s = self.title.clone();
        for b in &self.blocks {
            match b {
                Block::Cover { title, fields } => {
                    title.iter().for_each(|t| s.push_str(t));
                    fields.iter().for_each(|(a, b)| {
                        s.push_str(a);
                        s.push_str(b);
                    });
                }
                Block::Title(t) | Block::Paragraph(t) | Block::Heading { text: t, .. } | Block::Line { text: t, .. } => s.push_str(t),
                Block::Table(t) => t.rows.iter().flatten().for_each(|c| s.push_str(&c.text)),
                Block::Evidence(e) => {
                    s.push_str("佐证材料（）/0123456789电子件");
                    s.push_str(&e.no);
                    s.push_str(&e.title);
                }
                Block::Contents | Block::PageBreak => {}
            }
        }
        s
    }
}

/// Parse the markup templates render:
///
/// ```text
/// ::cover 标题第一行|标题第二行
/// ::field 填报单位（盖章）|大连某某学校
/// ::contents
/// ::title 申请报告
/// ::h1 一、申请报告            (::h2 ::h3 ::h4 likewise)
/// ::p 段落文字……               (text may continue on following lines)
/// ::line right 法定代表人（签名）：
/// ::table 2,5,1 header=1
/// |{c2}合并两列|右侧|
/// |{r2}合并两行|a|b|
/// ::pagebreak
/// ::evidence 07-01             (the pages of evidence item 07-01)
/// ```
/// Cell prefixes: `{cN}` colspan, `{rN}` rowspan, `{left}`/`{center}`/`{right}` alignment,
/// `{pages:07-01}` the pages evidence item 07-01 is bound on; `{br}` inside a cell's text
/// starts a new line.
pub fn parse_markup(text: &str) -> Result<Document, String> {
    let mut doc = Document { title: String::new(), blocks: Vec::new(), files: Vec::new() };
    let mut lines = text.lines().enumerate().peekable();
    // The cover's title lines and its label/value rows, until the cover ends.
    #[allow(clippy::type_complexity, reason = "a local accumulator, named where it is used")]
    let mut cover: Option<(Vec<String>, Vec<(String, String)>)> = None;
    while let Some((n, raw)) = lines.next() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let Some(rest) = line.strip_prefix("::") else {
            // Continuation of the previous paragraph.
            match doc.blocks.last_mut() {
                Some(Block::Paragraph(p)) => {
                    p.push_str(line.trim());
                    continue;
                }
                _ => return Err(format!("模板第 {} 行：内容不属于任何块：{line}", n + 1)),
            }
        };
        let (kind, arg) = rest.split_once(' ').unwrap_or((rest, ""));
        let arg = arg.trim();
        if kind != "field"
            && let Some((title, fields)) = cover.take()
        {
            doc.blocks.push(Block::Cover { title, fields });
        }
        match kind {
            "doc" => doc.title = arg.to_owned(),
            "cover" => cover = Some((arg.split('|').map(str::to_owned).collect(), Vec::new())),
            "field" => {
                let (label, value) = arg.split_once('|').unwrap_or((arg, ""));
                match cover.as_mut() {
                    Some((_, fields)) => fields.push((label.to_owned(), value.to_owned())),
                    None => return Err(format!("模板第 {} 行：::field 须跟在 ::cover 之后", n + 1)),
                }
            }
            "contents" => doc.blocks.push(Block::Contents),
            "title" => doc.blocks.push(Block::Title(arg.to_owned())),
            "h1" | "h2" | "h3" | "h4" => {
                let level = kind[1..].parse().expect("h1-h4");
                doc.blocks.push(Block::Heading { level, text: arg.to_owned() });
            }
            "p" => {
                if !arg.is_empty() {
                    doc.blocks.push(Block::Paragraph(arg.to_owned()));
                } else {
                    doc.blocks.push(Block::Paragraph(String::new()));
                }
            }
            "line" => {
                let (align, text) = match arg.split_once(' ') {
                    Some(("right", t)) => (Align::Right, t),
                    Some(("center", t)) => (Align::Center, t),
                    Some(("left", t)) => (Align::Left, t),
                    _ => (Align::Left, arg),
                };
                doc.blocks.push(Block::Line { text: text.to_owned(), align });
            }
            "pagebreak" => doc.blocks.push(Block::PageBreak),
            "evidence" => doc.blocks.push(Block::Evidence(Evidence { no: arg.to_owned(), ..Default::default() })),
            "table" => {
                let mut parts = arg.split_whitespace();
                let widths: Vec<f32> = parts
                    .next()
                    .unwrap_or("1")
                    .split(',')
                    .map(|w| w.parse().map_err(|_| format!("模板第 {} 行：列宽“{w}”不是数字", n + 1)))
                    .collect::<Result<_, _>>()?;
                let header_rows = parts.find_map(|p| p.strip_prefix("header=")).and_then(|h| h.parse().ok()).unwrap_or(0);
                let mut rows = Vec::new();
                while let Some((_, row)) = lines.next_if(|(_, l)| l.trim_start().starts_with('|')) {
                    rows.push(parse_row(row.trim())?);
                }
                doc.blocks.push(Block::Table(Table { widths, header_rows, rows }));
            }
            other => return Err(format!("模板第 {} 行：未知的指令 ::{other}", n + 1)),
        }
    }
    if let Some((title, fields)) = cover {
        doc.blocks.push(Block::Cover { title, fields });
    }
    // Paragraphs opened with an empty ::p took their text from the following lines.
    doc.blocks.retain(|b| !matches!(b, Block::Paragraph(p) if p.is_empty()));
    Ok(doc)
}

fn parse_row(row: &str) -> Result<Vec<Cell>, String> {
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner
        .split('|')
        .map(|raw| {
            let mut cell = Cell { text: String::new(), colspan: 1, rowspan: 1, align: Align::Left, pages_of: None };
            // Only ASCII spaces are markup; a full-width space is a cell's own (a blank line).
            let mut text = raw.trim_matches(|c: char| c.is_ascii_whitespace());
            while let Some(rest) = text.strip_prefix('{').filter(|_| !text.starts_with("{br}")) {
                let (tag, after) = rest.split_once('}').ok_or_else(|| format!("单元格标记未闭合：{raw}"))?;
                match tag {
                    "left" => cell.align = Align::Left,
                    "center" => cell.align = Align::Center,
                    "right" => cell.align = Align::Right,
                    t if t.starts_with("pages:") => cell.pages_of = Some(t["pages:".len()..].to_owned()),
                    t if t.starts_with('c') => cell.colspan = t[1..].parse().map_err(|_| format!("无效的合并列数：{t}"))?,
                    t if t.starts_with('r') => cell.rowspan = t[1..].parse().map_err(|_| format!("无效的合并行数：{t}"))?,
                    t => return Err(format!("未知的单元格标记：{t}")),
                }
                text = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
            }
            // `{br}` breaks a line inside a cell (a form's two-line label, a tall approval box).
            cell.text = text.replace("{br}", "\n");
            Ok(cell)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_round_trip() {
        let doc = parse_markup(
            "::doc 材料\n::cover 2023年度|评选材料\n::field 填报单位（盖章）|某学校\n::contents\n::h1 一、申请报告\n::p 第一段\n续行\n::table 1,2 header=1\n|{center}指标|{c2}分值|\n|{r2}a|b|\n::pagebreak\n::line right 年 月 日\n",
        )
        .unwrap();
        assert_eq!(doc.title, "材料");
        assert_eq!(doc.blocks[0], Block::Cover { title: vec!["2023年度".into(), "评选材料".into()], fields: vec![("填报单位（盖章）".into(), "某学校".into())] });
        assert_eq!(doc.blocks[1], Block::Contents);
        assert_eq!(doc.blocks[3], Block::Paragraph("第一段续行".into()));
        let Block::Table(t) = &doc.blocks[4] else { panic!() };
        assert_eq!((t.header_rows, t.rows[0][1].colspan, t.rows[1][0].rowspan), (1, 2, 2));
        assert_eq!(t.rows[0][0].align, Align::Center);
        assert_eq!(doc.blocks[6], Block::Line { text: "年 月 日".into(), align: Align::Right });
        assert_eq!(doc.outline().count(), 1);
    }

    #[test]
    fn line_breaks_inside_a_cell() {
        let doc = parse_markup("::table 1\n|{right}　{br}（盖章）{br}年　月　日|\n").unwrap();
        let Block::Table(t) = &doc.blocks[0] else { panic!() };
        assert_eq!(t.rows[0][0].text, "　\n（盖章）\n年　月　日");
    }

    #[test]
    fn bad_markup_is_an_error_not_a_panic() {
        assert!(parse_markup("::nonsense\n").is_err());
        assert!(parse_markup("orphan text\n").is_err());
        assert!(parse_markup("::table x\n").is_err());
        assert!(parse_markup("::table 1\n|{c}a|\n").is_err());
    }
}
