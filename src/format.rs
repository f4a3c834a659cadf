//! Numbers and words for people, in one place: whole numbers with thousands separators,
//! rounding without negative zero, counts with the right plural, lists joined in English.
//! Country names are [`crate::network::Country::name`]. Every layer may use this module; it uses
//! none.

/// A whole number with thousands separators: `1234.4` -> `"1,234"`; non-finite and huge values
/// are printed as they are.
pub fn thousands(x: f64) -> String {
    let n = x.round();
    if !n.is_finite() || n.abs() >= 1e15 {
        return format!("{x:.0}");
    }
    let digits = format!("{}", n.abs() as u64);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// Rounds to `digits` decimals, never to `-0.0` (which reads oddly); non-finite values stay as
/// they are.
pub fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    let r = (x * f).round() / f;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Rounds to `digits` decimals (see [`round_to`]); non-finite values become `None` (JSON `null`,
/// an empty CSV cell).
pub fn round(x: f64, digits: i32) -> Option<f64> {
    x.is_finite().then(|| round_to(x, digits))
}

/// `round(x, digits)` as text, empty when `x` is not finite (a CSV cell).
pub fn num(x: f64, digits: i32) -> String {
    round(x, digits).map_or(String::new(), |v| v.to_string())
}

/// A count and its noun: `count(1, "iteration", "iterations")` -> `"1 iteration"`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Like [`count`], with `no` for zero: `"no alternatives"`, `"1 alternative"`.
pub fn count_or_no(n: usize, one: &str, many: &str) -> String {
    if n == 0 {
        format!("no {many}")
    } else {
        count(n, one, many)
    }
}

/// `"a"`, `"a and b"`, `"a, b and c"`.
pub fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_whole_numbers() {
        assert_eq!(thousands(1234.4), "1,234");
        assert_eq!(thousands(999.6), "1,000");
        assert_eq!(thousands(12.0), "12");
        assert_eq!(thousands(-1234567.0), "-1,234,567");
    }

    #[test]
    fn rounding_has_no_negative_zero() {
        assert_eq!(round_to(-0.000_000_1, 6).to_string(), "0");
        assert_eq!(round(f64::INFINITY, 2), None);
        assert_eq!(num(2.345_6, 2), "2.35");
    }

    #[test]
    fn plurals_agree() {
        assert_eq!(count(1, "iteration", "iterations"), "1 iteration");
        assert_eq!(count(2, "component", "components"), "2 components");
        assert_eq!(count_or_no(0, "link", "links"), "no links");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
    }
}
