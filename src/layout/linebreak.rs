//! Chinese line breaking: UAX #14 opportunities, tailored with the clreq rules GB/T 9704
//! documents follow — no line starts with closing punctuation, none ends with opening
//! punctuation, —— and …… never split — and words too long for a line broken by character.

use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Characters that may not begin a line (行首禁则).
pub const NO_LINE_START: &[char] = &[
    '、', '，', '。', '．', '：', '；', '！', '？', '）', '》', '」', '』', '】', '〕', '〉', '］', '｝', '”', '’', '〗', '〙',
    '…', '—', '～', '％', '‰', '℃', '·', ',', '.', ':', ';', '!', '?', ')', ']', '}', '%',
];

/// Characters that may not end a line (行尾禁则).
pub const NO_LINE_END: &[char] = &['（', '《', '「', '『', '【', '〔', '〈', '［', '｛', '“', '‘', '〖', '〘', '(', '[', '{'];

/// Characters that come in unbreakable pairs: —— and …….
const PAIRED: &[char] = &['—', '…'];

/// Whether a break at `at` would put a forbidden character at a line's start or end.
fn breakable_at(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    !(after.is_some_and(|c| NO_LINE_START.contains(&c))
        || before.is_some_and(|c| NO_LINE_END.contains(&c))
        || matches!((before, after), (Some(a), Some(b)) if a == b && PAIRED.contains(&a)))
}

/// The first line of `break_lines(text, …)`, reading only as far as that line needs: setting
/// a paragraph line by line with this is linear in its length, where re-breaking the whole
/// remainder for each line was quadratic.
pub fn first_line(text: &str, max_width: f32, width_of: impl Fn(char) -> f32) -> Option<Range<usize>> {
    fit(text, max_width, &width_of, Mode::Body).map(|(line, _)| line)
}

/// How many characters back a cell's line may end early to break after a 、 instead.
const COMMA_REACH: usize = 4;

/// Characters of numbers, codes and dates (122100000010054, 2022-09-20, 10:30, 87.3%).
fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | ':' | '%')
}

/// How a text is set: body text, a table cell, or a cell holding a list (items between 、).
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Body,
    Cell,
    List,
}

/// The first line of `text` (trailing spaces trimmed) and where the text after it starts.
/// In a cell a run of `token_char`s is not broken unless it is wider than a line; in a list a
/// line ends after a 、 near its end rather than split the item.
fn fit(text: &str, max_width: f32, width_of: &impl Fn(char) -> f32, mode: Mode) -> Option<(Range<usize>, usize)> {
    let keep_tokens = mode != Mode::Body;
    if text.is_empty() {
        return None;
    }
    let mut breaks = linebreaks(text).peekable();
    let mut width = 0.0;
    let mut end = 0;
    let mut last_ok: Option<usize> = None;
    // In a cell: the last break after an enumeration comma.
    let mut after_comma: Option<usize> = None;
    let mut forced: Option<usize> = None;
    for (at, c) in text.char_indices() {
        while breaks.peek().is_some_and(|(b, _)| *b < at) {
            breaks.next();
        }
        if at > 0
            && let Some(&(b, kind)) = breaks.peek().filter(|(b, _)| *b == at)
        {
            if kind == BreakOpportunity::Mandatory && b < text.len() {
                forced = Some(at);
                break;
            }
            let inside_token = keep_tokens && text[..b].chars().next_back().is_some_and(token_char) && token_char(c);
            if breakable_at(text, b) && !inside_token {
                last_ok = Some(at);
                if mode == Mode::List && text[..b].ends_with('、') {
                    after_comma = Some(at);
                }
            }
        }
        let w = if c == '\n' || c == '\r' { 0.0 } else { width_of(c) };
        // Spaces may hang past the margin; they are trimmed anyway.
        if width + w > max_width + 1e-3 && at > 0 && c != ' ' {
            break;
        }
        width += w;
        end = at + c.len_utf8();
    }
    let next = if let Some(f) = forced {
        f
    } else if end >= text.len() {
        text.len()
    } else if let Some(ok) = last_ok {
        // A list's item is not split when its start is near: 中级工、/三级/高级工, not
        // 中级工、三级/高/级工.
        match after_comma {
            Some(comma) if comma < ok && text[comma..ok].chars().count() <= COMMA_REACH && text[..comma].chars().count() * 5 >= text[..ok].chars().count() * 3 => {
                comma
            }
            _ => ok,
        }
    } else {
        // A word longer than the line (a long number, a URL): break by character, still
        // keeping closing punctuation off the next line's start where possible.
        let mut at = end;
        while at > 0 && !breakable_at(text, at) {
            at = text[..at].char_indices().next_back().map_or(0, |(i, _)| i);
        }
        if at == 0 { end } else { at }
    };
    let line = text[..next].trim_end_matches([' ', '\n', '\r']);
    Some((0..line.len(), next))
}

/// Split `text` into lines no wider than `max_width` (in the units `width_of` returns).
/// Returns byte ranges; trailing spaces are trimmed from each line.
pub fn break_lines(text: &str, max_width: f32, width_of: impl Fn(char) -> f32) -> Vec<Range<usize>> {
    lines_of(text, max_width, &width_of, Mode::Body)
}

/// `break_lines` for table cells: numbers, codes and dates stay whole unless one is wider
/// than the cell, and a last line of one character is avoided. A centred label (`balance`)
/// is set narrower, to even lengths (区市县人/社部门评/估 becomes 区市县/人社部/门评估); other
/// text brings down only as much as the last line needs, so it still fills the cell's width.
pub fn break_cell(text: &str, max_width: f32, width_of: impl Fn(char) -> f32, balance: bool) -> Vec<Range<usize>> {
    let cell = lines_of(text, max_width, &width_of, Mode::Cell);
    // A list (no ，。；: prose keeps its lines full) keeps its items whole when that costs no line.
    let list = (!text.contains(['，', '。', '；'])).then(|| lines_of(text, max_width, &width_of, Mode::List)).filter(|l| l.len() <= cell.len());
    let mode = if list.is_some() { Mode::List } else { Mode::Cell };
    let lines = list.unwrap_or(cell);
    let lone_last = lines.len() >= 2 && lines.last().is_some_and(|r| text[r.clone()].chars().count() == 1);
    if !lone_last {
        return lines;
    }
    if !balance {
        return pull_down(text, lines, &width_of, mode).unwrap_or_else(|| lines_of(text, max_width, &width_of, mode));
    }
    // The narrowest width that still gives as many lines: its lines are the most even.
    let n = lines.len();
    // Never narrower than a number or code the full width keeps whole.
    let widest = text.split(|c: char| !token_char(c)).map(|t| t.chars().map(&width_of).sum::<f32>()).fold(0.0, f32::max);
    let (mut lo, mut hi) = ((max_width / n as f32).max(widest.min(max_width)), max_width);
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        if lines_of(text, mid, &width_of, mode).len() <= n {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let balanced = lines_of(text, hi, &width_of, mode);
    let better = balanced.len() == n && balanced.last().is_some_and(|r| text[r.clone()].chars().count() > 1);
    if better { balanced } else { lines }
}

/// The last two of `lines` set again with the one before last a character shorter at a
/// time, until the last line holds two characters or more; `None` when no width does.
fn pull_down(text: &str, mut lines: Vec<Range<usize>>, width_of: &impl Fn(char) -> f32, mode: Mode) -> Option<Vec<Range<usize>>> {
    let start = lines[lines.len() - 2].start;
    let widths: Vec<f32> = text[lines[lines.len() - 2].clone()].chars().map(width_of).collect();
    let tail = &text[start..];
    for keep in (1..widths.len()).rev() {
        let width: f32 = widths[..keep].iter().sum::<f32>() + 1e-3;
        let two = lines_of(tail, width, width_of, mode);
        if two.len() == 2 && tail[two[1].clone()].chars().count() >= 2 {
            lines.truncate(lines.len() - 2);
            lines.extend(two.into_iter().map(|r| start + r.start..start + r.end));
            return Some(lines);
        }
    }
    None
}

fn lines_of(text: &str, max_width: f32, width_of: &impl Fn(char) -> f32, mode: Mode) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    while let Some((line, next)) = fit(&text[start..], max_width, width_of, mode) {
        lines.push(start + line.start..start + line.end);
        start += next;
        // Lines do not begin with the spaces a break left behind.
        while text[start..].starts_with(' ') {
            start += 1;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Full-width characters are one em, everything else half.
    fn w(c: char) -> f32 {
        if c.is_ascii() { 0.5 } else { 1.0 }
    }

    fn lines(text: &str, width: f32) -> Vec<&str> {
        break_lines(text, width, w).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        for p in ['、', '，', '。', '：', '；', '！', '？', '）', '》', '」', '』', '】', '〕', '”', '’'] {
            // Four characters fit; the fifth is the punctuation mark that may not start a line.
            let text = format!("培训品牌{p}建设单位");
            let got = lines(&text, 4.0);
            assert!(got.iter().all(|l| !l.starts_with(p)), "{p}: {got:?}");
            assert_eq!(got.concat(), text, "{p}: nothing lost");
        }
    }

    #[test]
    fn no_line_ends_with_opening_punctuation() {
        for p in ['（', '《', '「', '『', '【', '〔', '“', '‘'] {
            let text = format!("培训品牌{p}建设单位{}", closing(p));
            let got = lines(&text, 5.0);
            assert!(got.iter().all(|l| !l.ends_with(p)), "{p}: {got:?}");
            assert_eq!(got.concat(), text);
        }
    }

    fn closing(p: char) -> char {
        match p {
            '（' => '）',
            '《' => '》',
            '「' => '」',
            '『' => '』',
            '【' => '】',
            '〔' => '〕',
            '“' => '”',
            _ => '’',
        }
    }

    #[test]
    fn dashes_and_ellipses_never_split() {
        for pair in ["——", "……"] {
            for width in 3..8 {
                let text = format!("申报材料{pair}佐证材料目录");
                let got = lines(&text, width as f32);
                assert!(got.iter().all(|l| !l.ends_with(pair.chars().next().unwrap()) || l.ends_with(pair)), "{pair} at {width}: {got:?}");
                assert!(got.iter().any(|l| l.contains(pair)), "{pair} at {width}: {got:?}");
            }
        }
    }

    #[test]
    fn latin_words_break_between_words_and_long_numbers_by_character() {
        let text = "执行 GB/T 9704-2012 标准 and keep words whole";
        for l in lines(text, 8.0) {
            assert!(!l.contains("wor ") && l.chars().count() > 0, "{l}");
        }
        let got = lines("培训words whole", 5.0);
        assert!(got.contains(&"whole"), "{got:?}");
        let forty = "1234567890123456789012345678901234567890";
        let got = lines(forty, 10.0);
        assert_eq!(got.concat(), forty);
        assert!(got.iter().all(|l| l.len() <= 20), "{got:?}");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn lines_fill_to_the_width_and_keep_every_character() {
        let text = "为全面贯彻落实党的二十大精神，健全适应技能人才成长需要和高质量发展需求的终身职业技能培训制度。";
        let got = lines(text, 28.0);
        assert_eq!(got.concat(), text);
        assert!(got[0].chars().count() >= 27, "{got:?}");
        for l in &got {
            assert!(l.chars().map(w).sum::<f32>() <= 28.0);
        }
    }

    #[test]
    fn first_line_is_the_first_of_break_lines() {
        let texts = [
            "为全面贯彻落实党的二十大精神，健全适应技能人才成长需要和高质量发展需求的终身职业技能培训制度。",
            "执行 GB/T 9704-2012 标准 and keep words whole",
            "1234567890123456789012345678901234567890",
            "申报材料——佐证材料目录（一）《办法》“引号”……",
            "第一行\n第二行\n\n  第四行",
            "   ",
        ];
        for text in texts {
            for width in [1.0, 2.5, 4.0, 7.0, 28.0] {
                assert_eq!(first_line(text, width, w), break_lines(text, width, w).first().cloned(), "{text:?} at {width}");
            }
        }
    }

    #[test]
    fn mandatory_breaks_are_kept() {
        assert_eq!(lines("第一行\n第二行", 28.0), vec!["第一行", "第二行"]);
    }

    fn cell(text: &str, width: f32) -> Vec<&str> {
        break_cell(text, width, w, true).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn a_cell_breaks_after_an_enumeration_comma_near_the_line_end() {
        // 0.5 per ASCII character: each level is 5.5 wide with its 、; the cell 9.
        let text = "五级/初级工、四级/中级工、三级/高级工";
        let got: Vec<&str> = break_cell(text, 9.0, w, false).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, vec!["五级/初级工、", "四级/中级工、", "三级/高级工"]);
        // Not when the line would keep too little of itself: 料、 alone is worse than 料、早期.
        let care = "育婴员（婴幼儿生活照料、早期发展）";
        let got: Vec<&str> = break_cell(care, 5.0, w, false).into_iter().map(|r| &care[r]).collect();
        assert_eq!(got[2], "料、早期发");
        // Nor when it costs a line: 光伏电站运维订单培训、共建/实训基地、学员定向就业 stays two.
        let items = "光伏电站运维订单培训、共建实训基地、学员定向就业";
        assert_eq!(break_cell(items, 13.0, w, false).len(), 2);
        // Body text is not ragged: a paragraph fills its lines; so does prose in a cell.
        assert_eq!(lines(text, 9.0)[0], "五级/初级工、四级/");
        let prose = "涂装工、电工和工业机器人系统操作员等，焊工、装配工占多数。";
        let got: Vec<&str> = break_cell(prose, 9.0, w, false).into_iter().map(|r| &prose[r]).collect();
        assert_eq!(got[0], "涂装工、电工和工业");
    }

    #[test]
    fn a_text_cell_brings_down_only_what_its_last_line_needs() {
        // 18 characters in a cell of 17: not 9 and 9, but 16 and 2, the cell still filled.
        let text = "是否属于新职业工种且实施培训效果明显";
        let got: Vec<&str> = break_cell(text, 17.0, w, false).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, vec!["是否属于新职业工种且实施培训效果", "明显"]);
        // Three lines: only the last two change.
        let text = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天";
        let got: Vec<&str> = break_cell(text, 11.0, w, false).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, vec!["甲乙丙丁戊己庚辛壬癸子", "丑寅卯辰巳午未申酉戌", "亥天"]);
    }

    #[test]
    fn cells_keep_numbers_codes_and_dates_whole() {
        // 0.5 per ASCII character: the widest token is 8.5 wide, the cell 9.
        for text in ["证书122100000010054/2", "日期2022-09-20至2023-01-16", "S00002102000220 电工", "87.3%、10:30"] {
            let got = cell(text, 9.0);
            assert_eq!(got.concat().replace(' ', ""), text.replace(' ', ""), "{got:?}");
            for token in text.split(|c: char| !token_char(c)).filter(|t| !t.is_empty()) {
                assert!(got.iter().any(|l| l.contains(token)), "{token} broken: {got:?}");
            }
        }
        // Wider than the cell alone: broken by character, nothing lost.
        let long = "1234567890123456789012345678901234567890";
        assert_eq!(cell(long, 8.0).concat(), long);
    }

    #[test]
    fn a_cell_label_leaves_no_single_character_on_its_last_line() {
        for (text, width) in [("区市县人社部门评估", 4.0), ("区市县人社部门评估", 8.0), ("培训后就业创业率", 7.0), ("专职教师占比", 5.0)] {
            let got = cell(text, width);
            assert_eq!(got.concat(), text);
            assert!(got.len() == 1 || got.last().unwrap().chars().count() >= 2, "{text} at {width}: {got:?}");
            assert_eq!(got.len(), lines(text, width).len(), "{text}: no more lines than needed");
        }
        assert_eq!(cell("区市县人社部门评估", 4.0), vec!["区市县", "人社部", "门评估"]);
    }
}
