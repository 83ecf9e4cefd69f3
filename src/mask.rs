//! Personal data in anything shown or rendered: ID numbers keep their first 6 and last 4
//! characters, mobile numbers their first 3 and last 4. Findings carry the full values; output
//! masks them unless the user asked for `--unmasked`.

pub fn id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

pub fn mobile(m: &str) -> String {
    let chars: Vec<char> = m.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// A full-width form (０-９, Ｘ, ：, （, the ideographic space) as its ASCII character; any
/// other character as it is. An ID typed with a Chinese input method must not escape masking.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Mask every ID-number-like (17 digits + digit/X) and mobile-like (1[3-9] + 9 digits) run of
/// characters in free text, keeping its length so columns still line up. Full-width digits
/// count as digits (normalised first); text that is not masked keeps its own characters.
/// Digit groups joined by single spaces or hyphens (`138 1234 5678`, `210211 19700312 1539`)
/// are read as one number, as people write them; the separators stay, the digits are masked.
pub fn text(s: &str) -> String {
    let original: Vec<char> = s.chars().collect();
    let chars: Vec<char> = original.iter().copied().map(half_width).collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            if let Some((end, masked)) = number_at(&chars, i) {
                out.push_str(&masked);
                i = end;
                continue;
            }
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            out.extend(&original[i..j]);
            i = j;
            continue;
        }
        out.push(original[i]);
        i += 1;
    }
    out
}

/// The ID or mobile number starting at `i`, if any: where it ends and its masked form. The
/// plain run is tried first, then the run with its separators.
fn number_at(chars: &[char], i: usize) -> Option<(usize, String)> {
    let word = |k: usize| k < chars.len() && chars[k].is_ascii_alphanumeric();
    // Digit positions of the run, allowing one space or hyphen between groups of 3 or more
    // digits (so "2023-05-20" or "1 2 3" never join up).
    let mut digits = Vec::new();
    let mut plain_end = None;
    let mut j = i;
    loop {
        let start = j;
        while j < chars.len() && chars[j].is_ascii_digit() {
            digits.push(j);
            j += 1;
        }
        if plain_end.is_none() {
            plain_end = Some(digits.len());
            if j - start < 3 {
                break;
            }
        } else if j - start < 3 {
            break;
        }
        let sep = j < chars.len() && matches!(chars[j], ' ' | '-');
        if !(sep && j + 1 < chars.len() && chars[j + 1].is_ascii_digit()) || digits.len() >= 18 {
            break;
        }
        j += 1;
    }
    let plain = plain_end.unwrap_or(0);
    // The plain run first, then the joined readings, longest first.
    for n in std::iter::once(plain).chain((plain + 1..=digits.len()).rev()) {
        let run: String = digits[..n].iter().map(|&k| chars[k]).collect();
        let last = digits[n - 1];
        let x = last + 1 < chars.len() && matches!(chars[last + 1], 'X' | 'x');
        let birth_year = run.get(6..8).is_some_and(|y| y == "19" || y == "20");
        // Digits 7–10 of an ID are a birth year (19xx/20xx), even when a typo spoils the
        // date or check digit; an all-digit credit code has its organisation code there.
        if birth_year && (n == 18 && !word(last + 1) || n == 17 && x && !word(last + 2)) {
            let end = if n == 17 { last + 2 } else { last + 1 };
            return Some((end, mask_span(chars, i, end, 6, 4)));
        }
        if n == 11 && run.starts_with('1') && matches!(run.as_bytes()[1], b'3'..=b'9') && !word(last + 1) {
            return Some((last + 1, mask_span(chars, i, last + 1, 3, 4)));
        }
    }
    None
}

/// `chars[start..end]` with all but the first `head` and last `tail` alphanumerics starred;
/// separators kept.
fn mask_span(chars: &[char], start: usize, end: usize, head: usize, tail: usize) -> String {
    let total = chars[start..end].iter().filter(|c| c.is_ascii_alphanumeric()).count();
    let mut seen = 0;
    chars[start..end]
        .iter()
        .map(|&c| {
            if !c.is_ascii_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > total - tail { c } else { '*' }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(id_number("21020419690812264X"), "210204********264X");
        assert_eq!(mobile("13812341234"), "138****1234");
        assert_eq!(
            text("id_number: \"210204196908122642\" mobile: 13904262187, code 912102045598043258A"),
            "id_number: \"210204********2642\" mobile: 139****2187, code 912102045598043258A"
        );
        assert_eq!(text("17 digits 21020419690812264X end"), "17 digits 210204********264X end");
        // Credit codes, years and counts are left alone.
        assert_eq!(text("912102045598043258 2023 1607"), "912102045598043258 2023 1607");
        // Full-width digits are digits: masked, in ASCII; other full-width text kept as written.
        assert_eq!(text("身份证：２１０２０４１９６９０８１２２６４Ｘ，电话１３９０４２６２１８７，２０２３年"), "身份证：210204********264X，电话139****2187，２０２３年");
        // Written in groups: joined, masked, separators kept.
        assert_eq!(text("电话 138 1234 5678；139-0426-2187。"), "电话 138 **** 5678；139-****-2187。");
        assert_eq!(text("身份证 210204 19690812 264x 止"), "身份证 210204 ******** 264x 止");
        assert_eq!(text("２１０２０４　１９６９０８１２　２６４２"), "210204 ******** 2642");
        // Dates, office phones, counts and credit codes stay as they are.
        for kept in ["2023-05-20", "0411-86681235", "共 1607 人 2023 年", "912102045598043258 2023", "1 380 123 4567"] {
            assert_eq!(text(kept), kept);
        }
    }
}
