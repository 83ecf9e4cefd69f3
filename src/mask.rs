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
pub fn text(s: &str) -> String {
    let original: Vec<char> = s.chars().collect();
    let chars: Vec<char> = original.iter().copied().map(half_width).collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let x = j < chars.len() && (chars[j] == 'X' || chars[j] == 'x');
            let run: String = chars[i..j].iter().collect();
            let next_is_word = |k: usize| k < chars.len() && chars[k].is_ascii_alphanumeric();
            let id_like = run.len() == 18 && !next_is_word(j) || run.len() == 17 && x && !next_is_word(j + 1);
            // Digits 7–10 of an ID are a birth year (19xx/20xx), even when a typo spoils the
            // date or check digit; an all-digit credit code has its organisation code there.
            let birth_year = run.get(6..8).is_some_and(|y| y == "19" || y == "20");
            if id_like && birth_year {
                let end = if run.len() == 17 { j + 1 } else { j };
                out.push_str(&id_number(&chars[i..end].iter().collect::<String>()));
                i = end;
                continue;
            }
            if run.len() == 11 && run.starts_with('1') && matches!(run.as_bytes()[1], b'3'..=b'9') && !next_is_word(j) {
                out.push_str(&mobile(&run));
                i = j;
                continue;
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
    }
}
