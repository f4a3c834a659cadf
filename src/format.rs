//! Numbers and words for people, in one place: whole numbers with thousands separators,
//! rounding without negative zero, counts with the right plural, lists joined in English,
//! numbers rounded for reading, Markdown tables aligned as plain text, and nested JSON answers
//! as `key, value` rows.
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

/// Markdown as a terminal shows it well: each pipe table aligned in columns (numbers to the
/// right), its `|---|` rule drawn as a line of dashes; other lines without heading marks, bold
/// or code ticks.
pub fn render_markdown(md: &str) -> String {
    let mut out = String::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut right: Vec<bool> = Vec::new();
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with('|') && t.ends_with('|') && t.len() > 1 {
            let cells: Vec<String> = t[1..t.len() - 1]
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            let rule = cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')));
            if rule {
                right = cells.iter().map(|c| c.ends_with(':')).collect();
            } else {
                table.push(cells);
            }
            continue;
        }
        if !table.is_empty() {
            out.push_str(&aligned(&table, &right));
            table.clear();
            right.clear();
        }
        out.push_str(&plain(line));
        out.push('\n');
    }
    if !table.is_empty() {
        out.push_str(&aligned(&table, &right));
    }
    if !md.ends_with('\n') {
        out.pop();
    }
    out
}

/// A Markdown line without its markup: no heading marks, bold or code ticks.
fn plain(line: &str) -> String {
    line.trim_start_matches('#')
        .trim_start_matches(' ')
        .replace("**", "")
        .replace('`', "")
}

fn aligned(rows: &[Vec<String>], right: &[bool]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = (0..cols)
            .map(|c| {
                let text = row.get(c).map_or("", String::as_str);
                let pad = width[c].saturating_sub(text.chars().count());
                if right.get(c).copied().unwrap_or(false) {
                    format!("{}{text}", " ".repeat(pad))
                } else {
                    format!("{text}{}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let total = width.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
    }
    out
}

/// A number from a JSON answer as a person reads it: whole numbers with thousands separators,
/// others to four significant digits (scientific below 0.001); text as it is.
pub fn readable(value: &str) -> String {
    let Ok(x) = value.parse::<f64>() else {
        return value.to_string();
    };
    if !x.is_finite() || value.parse::<i64>().is_ok() && x.abs() < 1e4 {
        return value.to_string();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return thousands(x);
    }
    let a = x.abs();
    if a < 1e-3 {
        return format!("{x:.3e}");
    }
    let decimals = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    if a >= 1e4 {
        return thousands(x);
    }
    format!("{x:.decimals$}")
}

/// `key, value` rows of a JSON value, nested keys (and array indices) joined by `.`, in
/// document order: how a nested answer prints as a table or as CSV.
pub fn flat_rows(v: &serde_json::Value) -> Vec<(String, String)> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        let key = |k: &str| {
            if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            }
        };
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    walk(&key(k), v, out);
                }
            }
            serde_json::Value::Array(items) if !items.is_empty() => {
                for (i, v) in items.iter().enumerate() {
                    walk(&key(&i.to_string()), v, out);
                }
            }
            serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
            serde_json::Value::Null => out.push((prefix.to_string(), String::new())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk("", v, &mut out);
    out
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

    #[test]
    fn markdown_tables_are_aligned() {
        let md = "## Title\n\n| a | bb |\n|---|---:|\n| xyz | 1 |\n| q | 22 |\n\n**after** `x`";
        assert_eq!(
            render_markdown(md),
            "Title\n\na    bb\n-------\nxyz   1\nq    22\n\nafter x"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(readable("9.815744489117106e-6"), "9.816e-6");
        assert_eq!(readable("7480979.432"), "7,480,979");
        assert_eq!(readable("0.0123456"), "0.01235");
        assert_eq!(readable("12"), "12");
        assert_eq!(readable("SiouxFalls"), "SiouxFalls");
    }
}
