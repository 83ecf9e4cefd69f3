//! YAML text to a positioned tree, with limits that keep hostile input harmless.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScanError, Span};

use crate::diag::{Pos, Text};

/// Nesting deeper than this is refused: a dossier needs fewer than ten levels.
pub const MAX_DEPTH: usize = 64;
/// Nodes after alias expansion; stops "billion laughs" long before memory matters.
pub const MAX_NODES: usize = 200_000;
/// Text after alias expansion: twice the largest dossier file, so one long anchored string
/// repeated by aliases cannot take memory and time.
pub const MAX_EXPANDED_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order, duplicates kept so the caller can report them.
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub text: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub rule: &'static str,
    pub message: Text,
    pub pos: Pos,
    pub hint: Option<Text>,
}

fn pos_of(span: &Span) -> Pos {
    Pos { line: span.start.line(), column: span.start.col() + 1 }
}

fn err(rule: &'static str, pos: Pos, message: impl Into<String>, en: impl Into<String>) -> YamlError {
    YamlError { rule, message: Text::new(message, en), pos, hint: None }
}

enum Frame {
    Seq { items: Vec<Node>, pos: Pos, anchor: usize },
    Map { entries: Vec<(Key, Node)>, pending_key: Option<Key>, pos: Pos, anchor: usize },
}

struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, (Node, usize, usize)>,
    nodes: usize,
    bytes: usize,
}

impl Builder {
    fn count(&mut self, n: usize, pos: Pos) -> Result<(), YamlError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(err(
                "yaml.alias-limit",
                pos,
                format!("节点总数超过 {MAX_NODES}（别名展开过多，疑似“billion laughs”攻击），已停止读取"),
                format!("more than {MAX_NODES} nodes (too many alias expansions, a likely \"billion laughs\" attack); reading stopped"),
            ));
        }
        Ok(())
    }

    fn count_bytes(&mut self, n: usize, pos: Pos) -> Result<(), YamlError> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > MAX_EXPANDED_BYTES {
            let mb = MAX_EXPANDED_BYTES / 1024 / 1024;
            return Err(err(
                "yaml.alias-limit",
                pos,
                format!("别名展开后的文字超过 {mb} MB，已停止读取"),
                format!("the text exceeds {mb} MB after alias expansion; reading stopped"),
            ));
        }
        Ok(())
    }

    fn push_frame(&mut self, frame: Frame, pos: Pos) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(err("yaml.too-deep", pos, format!("嵌套层级超过 {MAX_DEPTH} 层，已停止读取"), format!("nesting deeper than {MAX_DEPTH} levels; reading stopped")));
        }
        self.count(1, pos)?;
        self.stack.push(frame);
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node, size: usize, bytes: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), size, bytes));
        }
    }

    fn finish(&mut self, node: Node) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_some() {
                    return Err(err("yaml.syntax", node.pos, "文件中只能有一个 YAML 文档", "the file may hold only one YAML document"));
                }
                self.root = Some(node);
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, pending_key, .. }) => match pending_key.take() {
                Some(key) => entries.push((key, node)),
                None => {
                    let text = match node.value {
                        Value::Str(s) => s,
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => "null".to_owned(),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(err("yaml.syntax", node.pos, "不支持以列表或映射作为键", "lists or mappings as keys are not supported"));
                        }
                    };
                    *pending_key = Some(Key { text, pos: node.pos });
                }
            },
        }
        Ok(())
    }
}

fn subtree_size(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(subtree_size).sum(),
        Value::Map(entries) => entries.iter().map(|(_, v)| 1 + subtree_size(v)).sum(),
        _ => 0,
    }
}

/// Bytes of text a subtree holds (strings and keys).
fn subtree_bytes(node: &Node) -> usize {
    match &node.value {
        Value::Str(s) => s.len(),
        Value::Seq(items) => items.iter().map(subtree_bytes).sum(),
        Value::Map(entries) => entries.iter().map(|(k, v)| k.text.len() + subtree_bytes(v)).sum(),
        _ => 8,
    }
}

fn syntax_error(text: &str, e: &ScanError) -> YamlError {
    let line = e.marker().line();
    let column = e.marker().col() + 1;
    // The scanner rejects tabs in indentation with a generic message, sometimes on a
    // neighbouring line; name the real cause where it is.
    for (i, src) in text.lines().enumerate().skip(line.saturating_sub(2)).take(3) {
        let indent: String = src.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        if let Some(tab_at) = indent.chars().position(|c| c == '\t') {
            return YamlError {
                rule: "yaml.tab",
                message: Text::new("缩进中含有制表符（Tab），YAML 只允许用空格缩进", "the indentation contains a tab; YAML allows only spaces for indentation"),
                pos: Pos { line: i + 1, column: tab_at + 1 },
                hint: Some(Text::new("请把制表符替换为空格（建议每级两个空格）", "replace the tabs with spaces (two spaces per level is usual)")),
            };
        }
    }
    if let Some(found) = full_width_near(text, line) {
        return found;
    }
    if e.info().contains("recursion limit") {
        return err("yaml.too-deep", Pos { line, column }, "嵌套层级过深，已停止读取", "nesting too deep; reading stopped");
    }
    if let Some(found) = outdented_key(text, line) {
        return found;
    }
    let hint = "请检查该处的缩进、冒号后的空格和引号是否成对";
    YamlError {
        rule: "yaml.syntax",
        message: Text::new(format!("YAML 语法错误：{}", syntax_zh(e.info())), format!("YAML syntax error: {}", e.info())),
        pos: Pos { line, column },
        // The parser's own words only as a detail line: they are English.
        hint: Some(Text::new(format!("{hint}\n解析器原文：{}", e.info()), "check the indentation here, the space after each colon, and that quotes are paired")),
    }
}

/// The scanner's English message in Chinese.
fn syntax_zh(info: &str) -> &'static str {
    const TABLE: &[(&str, &str)] = &[
        ("block mapping, did not find expected key", "这一行的缩进与上文不符，此处应是与上一级对齐的键"),
        ("block collection, did not find expected '-'", "这一行的缩进与上文不符，此处应是以“- ”开头的列表项"),
        ("mapping values are not allowed", "此处不能出现“键: 值”（上一行缩进不对，或取值中的“: ”未加引号）"),
        ("simple key expect", "缺少键后的冒号“:”（或冒号后缺少空格）"),
        ("block sequence entries are not allowed", "此处不能出现列表项“- ”，请检查缩进"),
        ("did not find expected node content", "此处缺少取值"),
        ("flow sequence, expected ',' or ']'", "方括号列表“[…]”没有正确结束：缺少“,”或“]”"),
        ("flow mapping, did not find expected ',' or '}'", "花括号“{…}”没有正确结束：缺少“,”或“}”"),
        ("quoted scalar, found unexpected end of stream", "引号没有成对：字符串缺少结束的引号"),
        ("quoted scalar, found unknown escape character", "双引号字符串中有无法识别的转义“\\”（路径请用“/”或改用单引号）"),
        ("trailing content after double-quoted scalar", "双引号字符串结束后还有多余的内容"),
        ("illegal placement of ':'", "冒号“:”的位置不对（常见原因：上文的方括号“[”或花括号“{”没有闭合；含冒号的取值请加引号）"),
        ("misplaced bracket", "括号的位置不对或不成对"),
        ("wrongly indented line in block scalar", "多行文字（“|”或“>”之后）中有一行缩进不对"),
        ("comment intercepting the multiline text", "多行文字中间插入了注释"),
        ("byte order mark", "文档中间出现了字节顺序标记（BOM）"),
        ("block scalar content cannot start with a tab", "多行文字不能以制表符开头"),
        ("did not find expected next token", "此处有无法识别的内容"),
        ("unknown anchor", "引用了未定义的锚点"),
        ("duplicated anchor", "锚点重复定义"),
        ("unprintable character", "含有不可打印的控制字符"),
        ("invalid indentation", "缩进不正确"),
        ("unexpected end of plain scalar", "取值意外结束"),
        ("unexpected character", "出现了意外的字符"),
        ("unexpected eof", "文件意外结束"),
    ];
    TABLE.iter().find(|(en, _)| info.contains(en)).map_or("无法按 YAML 读取此处", |(_, zh)| zh)
}

/// `key: value` on the line before the error, indented less than the item it follows, while the
/// error line still lines up with that item: the outdented key is the mistake, not the next line.
fn outdented_key(text: &str, line: usize) -> Option<YamlError> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    let meaningful = |l: &&str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    // Where the content of a line starts: after its indentation and any "- ".
    let content = |l: &str| {
        let mut i = indent(l);
        while l[i..].starts_with("- ") {
            i += 2 + l[i + 2..].len() - l[i + 2..].trim_start_matches(' ').len();
        }
        i
    };
    let err_line = *lines.get(line.checked_sub(1)?)?;
    let mut before = lines[..line - 1].iter().enumerate().rev().filter(|(_, l)| meaningful(l));
    let (p_at, p) = before.next()?;
    let (_, q) = before.next()?;
    let body = p.trim_start_matches(' ');
    let key: String = body.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let rest = body[key.len()..].strip_prefix(": ")?;
    if key.is_empty() || rest.trim().is_empty() || body.starts_with("- ") {
        return None;
    }
    let (ip, iq, il) = (indent(p), content(q), indent(err_line));
    if !(ip < iq && il >= iq) {
        return None;
    }
    Some(YamlError {
        rule: "yaml.indent",
        message: Text::new(format!("键“{key}”的缩进（{ip} 个空格）比上一行的 {iq} 个空格少，它不再属于上面这一项，下一行因此无法读取"), format!("the key “{key}” is indented {ip} spaces, less than the {iq} of the line above, so it leaves that item and the next line cannot be read")),
        pos: Pos { line: p_at + 1, column: ip + 1 },
        hint: Some(Text::new(format!("请把“{key}”与上一行的键对齐（缩进 {iq} 个空格）"), format!("align “{key}” with the key on the line above ({iq} spaces)"))),
    })
}

/// A Chinese input method types `：` for `:` and U+3000 for a space; the scanner then fails on
/// a later line with a message that never says why. Look back a few lines for either.
fn full_width_near(text: &str, line: usize) -> Option<YamlError> {
    let first = line.saturating_sub(4);
    for (i, src) in text.lines().enumerate().skip(first).take(line - first) {
        let chars: Vec<char> = src.chars().collect();
        let indent = chars.iter().take_while(|c| matches!(c, ' ' | '\t' | '\u{3000}')).count();
        if let Some(at) = chars[..indent].iter().position(|c| *c == '\u{3000}') {
            return Some(YamlError {
                rule: "yaml.full-width",
                message: Text::new("缩进中含有全角空格（U+3000），YAML 只允许用半角空格缩进", "the indentation contains a full-width (ideographic) space U+3000; YAML indents with ASCII spaces only"),
                pos: Pos { line: i + 1, column: at + 1 },
                hint: Some(Text::new("请把行首的全角空格改为半角空格（切换到半角/英文输入法）", "replace the leading full-width spaces with ordinary spaces (switch the input method to half-width)")),
            });
        }
        // A key (ASCII name, optionally after "- ") followed by a full-width colon.
        let mut k = indent;
        if chars.get(k) == Some(&'-') && chars.get(k + 1) == Some(&' ') {
            k += 2;
        }
        let name = chars[k..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').count();
        let after = chars[k + name..].iter().position(|c| *c != ' ').map(|p| k + name + p);
        if name > 0 && let Some(colon) = after.filter(|&p| chars[p] == '：') {
            let key: String = chars[k..k + name].iter().collect();
            return Some(YamlError {
                rule: "yaml.full-width",
                message: Text::new(format!("“{key}”后的冒号是全角冒号“：”，YAML 只认半角冒号“:”"), format!("the colon after “{key}” is a full-width colon “：”; YAML needs the ASCII colon “:”")),
                pos: Pos { line: i + 1, column: colon + 1 },
                hint: Some(Text::new(format!("请改为半角冒号加一个空格：“{key}: ”（切换到半角/英文输入法）"), format!("type an ASCII colon and a space: “{key}: ” (switch the input method to half-width)"))),
            });
        }
    }
    None
}

/// The parser marks a block sequence at its first item's content; editors and people expect
/// the dash that opens it.
fn block_sequence_dash(text: &str, line_starts: &[usize], pos: Pos) -> Pos {
    let Some(&start) = line_starts.get(pos.line.saturating_sub(1)) else { return pos };
    let line = text[start..].lines().next().unwrap_or("");
    let before: Vec<char> = line.chars().take(pos.column.saturating_sub(1)).collect();
    if before.len() >= 2 && before[before.len() - 2] == '-' && before[before.len() - 1] == ' ' {
        Pos { line: pos.line, column: pos.column - 2 }
    } else {
        pos
    }
}

/// Parse one YAML document into a positioned tree.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut b = Builder { stack: Vec::new(), root: None, anchors: HashMap::new(), nodes: 0, bytes: 0 };
    // Where each line begins, so looking back at a line costs nothing however long the file.
    let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| syntax_error(text, &e))?;
        let pos = pos_of(&span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                if b.root.is_some() {
                    return Err(err("yaml.syntax", pos, "文件中只能有一个 YAML 文档（发现第二个“---”）", "the file may hold only one YAML document (found a second “---”)"));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                b.count(1, pos)?;
                b.count_bytes(value.len(), pos)?;
                let scalar = Scalar::parse_from_cow_and_metadata(value.clone(), style, tag.as_ref())
                    .ok_or_else(|| err("yaml.syntax", pos, format!("无法按标签解析取值“{value}”"), format!("cannot parse the value “{value}” as its tag says")))?;
                let value = match scalar {
                    Scalar::Null => Value::Null,
                    Scalar::Boolean(v) => Value::Bool(v),
                    Scalar::Integer(v) => Value::Int(v),
                    Scalar::FloatingPoint(v) => Value::Float(v.into_inner()),
                    Scalar::String(s) => Value::Str(Cow::into_owned(s)),
                };
                let node = Node { value, pos };
                let bytes = subtree_bytes(&node);
                b.remember(anchor, &node, 1, bytes);
                b.finish(node)?;
            }
            Event::Alias(id) => {
                let (node, size, bytes) = b
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| err("yaml.syntax", pos, "引用了未定义的锚点", "reference to an undefined anchor"))?;
                b.count(size, pos)?;
                // Checked before the clone below is kept: memory follows the bytes.
                b.count_bytes(bytes, pos)?;
                b.finish(node)?;
            }
            Event::SequenceStart(anchor, _) => {
                let pos = block_sequence_dash(text, &line_starts, pos);
                b.push_frame(Frame::Seq { items: Vec::new(), pos, anchor }, pos)?
            }
            Event::MappingStart(anchor, _) => {
                b.push_frame(Frame::Map { entries: Vec::new(), pending_key: None, pos, anchor }, pos)?
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match b.stack.pop() {
                    Some(Frame::Seq { items, pos, anchor }) => {
                        let node = Node { value: Value::Seq(items), pos };
                        if anchor > 0 {
                            let (size, bytes) = (subtree_size(&node), subtree_bytes(&node));
                            b.remember(anchor, &node, size, bytes);
                        }
                        node
                    }
                    Some(Frame::Map { entries, pos, anchor, .. }) => {
                        let node = Node { value: Value::Map(entries), pos };
                        if anchor > 0 {
                            let (size, bytes) = (subtree_size(&node), subtree_bytes(&node));
                            b.remember(anchor, &node, size, bytes);
                        }
                        node
                    }
                    None => return Err(err("yaml.syntax", pos, "结构不完整", "incomplete structure")),
                };
                b.finish(node)?;
            }
        }
    }
    b.root.ok_or_else(|| err("yaml.empty", Pos { line: 1, column: 1 }, "文件为空，没有任何内容", "the file is empty"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let root = parse("a:\n  b: 1\n").unwrap();
        let Value::Map(entries) = root.value else { panic!() };
        assert_eq!(entries[0].0.pos, Pos { line: 1, column: 1 });
        let Value::Map(inner) = &entries[0].1.value else { panic!() };
        assert_eq!(inner[0].1.pos, Pos { line: 2, column: 6 });
    }

    #[test]
    fn quoted_numbers_stay_strings() {
        let root = parse("id: '210202198501011234'\nn: 210202198501011234\n").unwrap();
        let Value::Map(entries) = root.value else { panic!() };
        assert_eq!(entries[0].1.value, Value::Str("210202198501011234".into()));
        assert_eq!(entries[1].1.value, Value::Int(210202198501011234));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            s.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert_eq!(parse(&s).unwrap_err().rule, "yaml.alias-limit");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let s = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(parse(&s).unwrap_err().rule, "yaml.too-deep");
        let block: String = (0..10_000).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert_eq!(parse(&block).unwrap_err().rule, "yaml.too-deep");
    }

    #[test]
    fn full_width_colon_and_space_are_named_where_they_are() {
        let e = parse("a:\n  b: 1\n  short_name：金石重工\n  c: 2\n").unwrap_err();
        assert_eq!((e.rule, e.pos), ("yaml.full-width", Pos { line: 3, column: 13 }));
        assert!(e.message.contains("全角") && e.hint.unwrap().contains("short_name: "));
        let e = parse("a:\n  b: 1\n\u{3000} c: 2\n  d: 3\n").unwrap_err();
        assert_eq!((e.rule, e.pos), ("yaml.full-width", Pos { line: 3, column: 1 }));
        assert!(e.message.contains("全角空格"));
    }

    #[test]
    fn an_outdented_key_is_reported_on_its_own_line() {
        let text = "brand:\n  occupations:\n  - name: a\n    code: x\n  - name: b\n  code: y\n    levels: [z]\n";
        let e = parse(text).unwrap_err();
        assert_eq!((e.rule, e.pos), ("yaml.indent", Pos { line: 6, column: 3 }), "{e:?}");
        // Other syntax errors speak Chinese, the parser's English only as a detail line.
        let e = parse("a:\n  b: 1\n c: 2\n").unwrap_err();
        assert_eq!(e.rule, "yaml.syntax");
        assert!(!e.message.is_ascii() && !e.message.contains("while parsing"), "{}", e.message);
        assert!(e.hint.unwrap().contains("\n解析器原文：while parsing"));
    }

    #[test]
    fn tabs_in_indentation_are_named() {
        let e = parse("a:\n\tb: 1\n").unwrap_err();
        assert_eq!((e.rule, e.pos), ("yaml.tab", Pos { line: 2, column: 1 }));
    }
}
