//! National code formats: unified social credit code (GB 32100-2015), citizen ID number
//! (GB 11643-1999), phone numbers and calendar dates.

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// The check character a credit code's first 17 characters call for, if they are well-formed.
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.chars().zip(CREDIT_WEIGHTS) {
        sum += CREDIT_ALPHABET.find(c)? as u32 * w;
    }
    (first17.chars().count() == 17).then(|| CREDIT_ALPHABET.as_bytes()[((31 - sum % 31) % 31) as usize] as char)
}

/// Why a unified social credit code is invalid, or `None` if it is valid.
pub fn credit_code_problem(code: &str) -> Option<String> {
    credit_code_problems(code).map(|p| p.0)
}

/// The same in English.
pub fn credit_code_problem_en(code: &str) -> Option<String> {
    credit_code_problems(code).map(|p| p.1)
}

fn credit_code_problems(code: &str) -> Option<(String, String)> {
    let n = code.chars().count();
    if n != 18 {
        return Some((
            format!("统一社会信用代码应为 18 位，实际 {n} 位"),
            format!("a unified social credit code has 18 characters, this one has {n}"),
        ));
    }
    if let Some(bad) = code.chars().find(|c| !CREDIT_ALPHABET.contains(*c)) {
        return Some((
            format!("统一社会信用代码含有不允许的字符“{bad}”（不使用 I、O、Z、S、V 及小写字母）"),
            format!("the unified social credit code contains the character “{bad}”, which is not allowed (I, O, Z, S, V and lower case are not used)"),
        ));
    }
    if !code[2..8].bytes().all(|b| b.is_ascii_digit()) {
        return Some((
            "统一社会信用代码第 3—8 位应为行政区划码（数字）".to_owned(),
            "characters 3 to 8 of a unified social credit code are the administrative division code (digits)".to_owned(),
        ));
    }
    let expected = credit_code_check_char(&code[..17])?;
    let actual = code.chars().last()?;
    (expected != actual).then(|| {
        (
            format!("统一社会信用代码校验位错误：末位应为“{expected}”，实际为“{actual}”"),
            format!("wrong check character in the unified social credit code: the last character should be “{expected}”, it is “{actual}”"),
        )
    })
}

pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(ID_WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

/// Birth date encoded in an 18-digit ID number, if real.
pub fn id_birth_date(id: &str) -> Option<(i32, u32, u32)> {
    let y: i32 = id.get(6..10)?.parse().ok()?;
    let m: u32 = id.get(10..12)?.parse().ok()?;
    let d: u32 = id.get(12..14)?.parse().ok()?;
    is_real_date(y, m, d).then_some((y, m, d))
}

/// Why a citizen ID number is invalid, or `None` if it is valid.
pub fn id_number_problem(id: &str) -> Option<String> {
    id_number_problems(id).map(|p| p.0)
}

/// The same in English.
pub fn id_number_problem_en(id: &str) -> Option<String> {
    id_number_problems(id).map(|p| p.1)
}

fn id_number_problems(id: &str) -> Option<(String, String)> {
    // Counted, not collected: every roster row passes here.
    let count = id.chars().count();
    if count != 18 {
        return Some((
            format!("公民身份号码应为 18 位，实际 {count} 位"),
            format!("a citizen ID number has 18 characters, this one has {count}"),
        ));
    }
    let last = id.chars().nth(17).unwrap_or_default();
    if !id.chars().take(17).all(|c| c.is_ascii_digit()) || !(last.is_ascii_digit() || last == 'X' || last == 'x') {
        return Some((
            "公民身份号码前 17 位应为数字，末位为数字或 X".to_owned(),
            "the first 17 characters of a citizen ID number are digits, the last a digit or X".to_owned(),
        ));
    }
    // GB 11643 4.1: the first six digits are a GB/T 2260 code; its first two name the province.
    if !is_province_code(&id[..2]) {
        return Some((
            format!("公民身份号码前两位“{}”不是 GB/T 2260 的省级行政区划代码，地址码“{}”不可能存在", &id[..2], &id[..6]),
            format!("the first two digits “{}” of the citizen ID number are not a GB/T 2260 province code, so the address code “{}” cannot exist", &id[..2], &id[..6]),
        ));
    }
    // Any real date: GB 11643's own example is born in 1880. Plausibility is the age rule's.
    match id_birth_date(id) {
        Some(_) => {}
        None => {
            return Some((
                format!("公民身份号码中的出生日期“{}”不是真实日期", &id[6..14]),
                format!("the birth date “{}” in the citizen ID number is not a real date", &id[6..14]),
            ));
        }
    }
    let expected = id_check_char(&id[..17])?;
    let actual = last.to_ascii_uppercase();
    (expected != actual).then(|| {
        (
            format!("公民身份号码校验码错误：末位应为“{expected}”，实际为“{actual}”"),
            format!("wrong check digit in the citizen ID number: the last character should be “{expected}”, it is “{actual}”"),
        )
    })
}

/// GB/T 2260 province-level prefixes (current and historical, with 71 Taiwan and 81–83 for
/// Hong Kong, Macao and the Taiwan residence permit range).
pub fn is_province_code(two: &str) -> bool {
    matches!(two.parse::<u32>(), Ok(11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83)) && two.len() == 2
}

/// For an otherwise valid ID number whose address code GB/T 2260 has never listed (current
/// or any past revision): a warning, since the bureau's real-name check decides. Only the
/// address code is named, never the number.
pub fn id_address_warning(id: &str) -> Option<(String, String)> {
    let code = id.get(..6)?;
    (crate::load::divisions::address_code(code) == crate::load::divisions::AddressCode::Unknown).then(|| {
        (
            format!("公民身份号码的地址码“{code}”不在 GB/T 2260 行政区划代码中（含历年已撤销的代码）；请核对，以实名核验为准"),
            format!("the address code “{code}” of the citizen ID number is not a GB/T 2260 code (current or of any past revision); check it, the real-name check decides"),
        )
    })
}

/// Mainland mobile, landline with area code, or 400/800 service numbers.
pub fn phone_is_well_formed(phone: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let p = phone.trim();
    if p.len() == 11 && p.starts_with('1') && digits(p) {
        return matches!(p.as_bytes()[1], b'3'..=b'9');
    }
    if let Some(rest) = p.strip_prefix("400").or_else(|| p.strip_prefix("800")) {
        let rest: String = rest.chars().filter(|c| *c != '-').collect();
        return rest.len() == 7 && digits(&rest);
    }
    if p.starts_with('0') {
        let mut parts = p.splitn(3, '-');
        let (area, number, ext) = (parts.next().unwrap_or(""), parts.next(), parts.next());
        return match number {
            Some(n) => {
                (3..=4).contains(&area.len()) && digits(area) && (7..=8).contains(&n.len()) && digits(n)
                    && ext.is_none_or(|e| digits(e) && e.len() <= 6)
            }
            // Written without the dash: area code plus number, 10 to 12 digits.
            None => (10..=12).contains(&area.len()) && digits(area),
        };
    }
    false
}

pub fn is_real_date(y: i32, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The civil date `days` after 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}

/// Days from 1970-01-01 to a civil date (the inverse of `civil_from_days`).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parse "YYYY-MM-DD" into a real calendar date.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = s[..4].parse().ok()?;
    let m = s[5..7].parse().ok()?;
    let d = s[8..].parse().ok()?;
    is_real_date(y, m, d).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes() {
        // Published example codes with correct check characters.
        assert_eq!(credit_code_problem("91350100M000100Y43"), None);
        assert_eq!(credit_code_check_char("91350100M000100Y4"), Some('3'));
        assert!(credit_code_problem("91350100M000100Y44").unwrap().contains("校验位"));
        assert!(credit_code_problem("91350100M000100Y4").unwrap().contains("18 位"));
        assert!(credit_code_problem("91350100M000100I43").unwrap().contains("不允许"));
    }

    #[test]
    fn id_numbers() {
        // GB 11643-1999 appendix example.
        assert_eq!(id_number_problem("11010519491231002X"), None);
        assert_eq!(id_number_problem("11010519491231002x"), None);
        assert!(id_number_problem("110105194912310021").unwrap().contains("校验码"));
        assert!(id_number_problem("110105194902300021").unwrap().contains("出生日期"));
        assert!(id_number_problem("11010519491231002").unwrap().contains("18 位"));
        // GB 11643-1999's own example, born 1880: a real date, so a valid number.
        assert_eq!(id_number_problem("440524188001010014"), None);
        assert!(id_number_problem("440524188002300014").unwrap().contains("出生日期"));
        // Valid checksum and date, impossible province.
        assert!(id_number_problem("000000198001010013").unwrap().contains("省级行政区划"));
        assert!(id_number_problem("990000198001010012").unwrap().contains("省级行政区划"));
        for p in ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "83"] {
            assert!(is_province_code(p), "{p}");
        }
        for p in ["00", "10", "16", "20", "24", "30", "38", "40", "47", "49", "55", "60", "66", "70", "72", "80", "84", "99", "1", "+1"] {
            assert!(!is_province_code(p), "{p}");
        }
    }

    #[test]
    fn address_codes_current_and_historical_pass_unknown_warn() {
        let id = |region: &str| {
            let body = format!("{region}19800101001");
            format!("{body}{}", id_check_char(&body).unwrap())
        };
        // Current (甘井子区), and historical: 新金县 until 1990, GB 11643's own 潮阳县.
        for code in ["210211", "210222", "440524"] {
            assert_eq!(id_number_problem(&id(code)), None, "{code}");
            assert_eq!(id_address_warning(&id(code)), None, "{code}");
        }
        assert_eq!(id_address_warning("440524188001010014"), None);
        // A possible province but a code no revision listed: valid, with a warning.
        for code in ["210299", "219999", "150999"] {
            assert_eq!(id_number_problem(&id(code)), None, "{code}");
            assert!(id_address_warning(&id(code)).unwrap().0.contains(&format!("“{code}”")), "{code}");
        }
    }

    #[test]
    fn phones() {
        for ok in ["13812345678", "0411-82345678", "024-22955377", "0411-8234567-123", "04118234567", "400-820-8820"] {
            assert!(phone_is_well_formed(ok), "{ok}");
        }
        for bad in ["12812345678", "1381234567", "82345678", "0411-823", "abc", "+86 13812345678"] {
            assert!(!phone_is_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(44_927 - 25_569), (2023, 1, 1), "Excel serial 44927 is 2023-01-01");
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for days in [-1000, 0, 59, 60, 11_016, 19_723, 40_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn dates() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("1900-02-29").is_none());
        assert!(parse_date("2000-02-29").is_some());
        assert!(parse_date("2023-13-01").is_none());
        assert!(parse_date("2023-1-01").is_none());
    }
}
