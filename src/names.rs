//! Names as people type them: a matching key that ignores case, diacritics and separators
//! ([`fold`]), a romanization of Cyrillic, Georgian and Armenian for matching across scripts
//! ([`romanize`]), a similarity for ranking suggestions ([`similarity`], [`suggest`]), and a
//! lookup in any closed set of ids ([`find`]): places (`network::places`), scenarios and trade
//! routes (`scenario::lookup` words the miss) alike.
//!
//! # Folding, decided once
//! [`fold`] turns a name into its matching key:
//! - Unicode compatibility decomposition (NFKD), then every combining mark dropped: `ç` -> `c`,
//!   `ş` -> `s`, `ğ` -> `g`, `ö` -> `o`, `ü` -> `u`, `é` -> `e`, `İ` -> `i`; in Cyrillic `ё` -> `е`
//!   and `й` -> `и`; Arabic-script vowel signs are dropped too.
//! - Letters that carry no decomposable mark are mapped by hand: Turkish and Azerbaijani dotless
//!   `ı` -> `i` (so that `NAXÇIVAN`, whose `I` lower-cases to `i`, and `Naxçıvan` meet),
//!   Azerbaijani schwa `ə` -> `e` (as Azerbaijani and Turkish ASCII spellings write it: `Kəsik`,
//!   `Kesik`), `ß` -> `ss`, `ø` -> `o`, `ł` -> `l`, `đ` -> `d`, `æ` -> `ae`, `œ` -> `oe`, final
//!   sigma -> sigma; Armenian `և` (`եւ`) -> `եվ`, as written in capitals; Arabic yeh and kaf -> their Persian forms (`ي` -> `ی`, `ك` -> `ک`).
//! - Then lower-cased (full Unicode case mapping: Cyrillic, Armenian, Georgian Mtavruli, Greek).
//! - Spaces, punctuation, dashes, apostrophes, the Persian zero-width non-joiner and the Arabic
//!   tatweel are dropped, so `Böyük Kəsik`, `boyuk-kesik` and `BOYUK_KESIK` share the key
//!   `boyukkesik`.
//!
//! Folding never transliterates: `Тбилиси` folds to `тбилиси`. [`romanize`] does, letter by
//! letter (Russian and Ukrainian Cyrillic in the BGN/PCGN style, Georgian in the national
//! system, Armenian in the Hübschmann-Meillet-like ASCII form that writes `ե` as `e`), and is
//! the last resort of a lookup: `Ереван` -> `erevan`, `Тбилиси` -> `tbilisi`, `Երևան` -> `erevan`.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Suggestions scoring below this [`similarity`] are not offered: at most about one edit in two
/// characters.
pub const MIN_SIMILARITY: f64 = 0.5;

/// The matching key of a name: no case, no diacritics, no separators (see the module docs).
///
/// # Examples
/// ```
/// use corridor::names::fold;
/// assert_eq!(fold("NAXÇIVAN"), fold("Naxçıvan"));
/// assert_eq!(fold("BÖYÜK KƏSİK"), "boyukkesik");
/// assert_eq!(fold("Bakı"), "baki");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if is_combining_mark(c) || is_separator(c) {
            continue;
        }
        match c {
            'ı' => out.push('i'),
            // Armenian `և` decomposes to `եւ`; spelled out, and in capitals, it is `եվ`. The
            // capital `Ւ` too, or folding twice would change the key.
            'ւ' | 'Ւ' if out.ends_with('ե') => out.push('վ'),
            'ə' | 'Ə' => out.push('e'),
            'ß' | 'ẞ' => out.push_str("ss"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ς' => out.push('σ'),
            'ي' | 'ى' => out.push('ی'),
            'ك' => out.push('ک'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Spaces, punctuation and joiners: not part of a name's key.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(
            c,
            '\u{2010}'..='\u{2015}' // hyphens and dashes
                | '\u{2018}'..='\u{201f}' // curly quotes
                | 'ʻ' | 'ʼ' | '·' | '«' | '»' | '\u{055a}' | '\u{055b}' | '\u{055c}' | '\u{055d}' // Armenian apostrophe and marks
                | '\u{200b}'..='\u{200d}' // zero-width space, non-joiner, joiner
                | '\u{0640}' // Arabic tatweel
                | '\u{060c}' // Arabic comma
        )
}

/// A folded key written in Latin letters: Cyrillic, Georgian and Armenian letters romanized, every
/// other character kept (see the module docs). Takes and returns folded text.
///
/// # Examples
/// ```
/// use corridor::names::{fold, romanize};
/// assert_eq!(romanize(&fold("Тбилиси")), "tbilisi");
/// assert_eq!(romanize(&fold("Ереван")), "erevan");
/// assert_eq!(romanize(&fold("თბილისი")), "tbilisi");
/// ```
pub fn romanize(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        // Armenian `ու` is one vowel, `u`.
        if c == 'ո' && chars.peek() == Some(&'ւ') {
            chars.next();
            out.push('u');
            continue;
        }
        match roman(c) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    out
}

/// The Latin spelling of one folded (lower-case, mark-free) Cyrillic, Georgian or Armenian letter.
fn roman(c: char) -> Option<&'static str> {
    Some(match c {
        // Cyrillic (after folding, `ё` is `е` and `й` is `и`).
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'є' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' | 'ї' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        // Georgian (Mkhedruli; Mtavruli capitals lower-case to these).
        'ა' => "a",
        'ბ' => "b",
        'გ' => "g",
        'დ' => "d",
        'ე' => "e",
        'ვ' => "v",
        'ზ' => "z",
        'თ' => "t",
        'ი' => "i",
        'კ' => "k",
        'ლ' => "l",
        'მ' => "m",
        'ნ' => "n",
        'ო' => "o",
        'პ' => "p",
        'ჟ' => "zh",
        'რ' => "r",
        'ს' => "s",
        'ტ' => "t",
        'უ' => "u",
        'ფ' => "p",
        'ქ' => "k",
        'ღ' => "gh",
        'ყ' => "q",
        'შ' => "sh",
        'ჩ' => "ch",
        'ც' => "ts",
        'ძ' => "dz",
        'წ' => "ts",
        'ჭ' => "ch",
        'ხ' => "kh",
        'ჯ' => "j",
        'ჰ' => "h",
        // Armenian (`և` is `եվ` once folded).
        'ա' => "a",
        'բ' => "b",
        'գ' => "g",
        'դ' => "d",
        'ե' | 'է' => "e",
        'զ' => "z",
        'ը' => "y",
        'թ' => "t",
        'ժ' => "zh",
        'ի' => "i",
        'լ' => "l",
        'խ' => "kh",
        'ծ' => "ts",
        'կ' => "k",
        'հ' => "h",
        'ձ' => "dz",
        'ղ' => "gh",
        'ճ' => "ch",
        'մ' => "m",
        'յ' => "y",
        'ն' => "n",
        'շ' => "sh",
        'ո' | 'օ' => "o",
        'չ' => "ch",
        'պ' => "p",
        'ջ' => "j",
        'ռ' | 'ր' => "r",
        'ս' => "s",
        'վ' | 'ւ' => "v",
        'տ' => "t",
        'ց' => "ts",
        'փ' => "p",
        'ք' => "k",
        'ֆ' => "f",
        _ => return None,
    })
}

/// How alike two folded keys are, in `[0, 1]`: one minus their optimal-string-alignment distance
/// (insertions, deletions, substitutions and swaps of neighbours, each one edit) over the longer
/// length; 1 for equal keys, 0 for keys with nothing in common. A key that starts with the other
/// (at least three characters) scores at least [`MIN_SIMILARITY`], so `naxc` suggests `naxcivan`.
///
/// # Complexity
/// O(|a| |b|) time, O(|b|) memory.
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let score = 1.0 - osa_distance(&a, &b) as f64 / longest as f64;
    let shorter = a.len().min(b.len());
    if shorter >= 3 && (a.starts_with(&b) || b.starts_with(&a)) {
        score.max(MIN_SIMILARITY)
    } else {
        score
    }
}

/// Optimal string alignment distance (Damerau-Levenshtein without editing a substring twice).
fn osa_distance(a: &[char], b: &[char]) -> usize {
    // Three rows: two back (for swaps), one back, current.
    let mut two: Vec<usize> = vec![0; b.len() + 1];
    let mut one: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (one[j - 1] + cost).min(one[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(two[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut two, &mut one);
        std::mem::swap(&mut one, &mut cur);
    }
    one[b.len()]
}

/// The best score of a query against one text, in both spellings (as typed and romanized).
pub fn best_similarity(query: &str, text: &str) -> f64 {
    let (q, t) = (fold(query), fold(text));
    let (qr, tr) = (romanize(&q), romanize(&t));
    similarity(&q, &t).max(similarity(&qr, &tr))
}

/// Up to `max` labels ranked by how alike one of their texts is to `query` (best first, ties by
/// label), each label once, none below [`MIN_SIMILARITY`].
///
/// # Arguments
/// * `candidates` - `(label, text)` pairs: a label (an id) may come with several texts (its id,
///   name and aliases).
pub fn suggest<'a>(
    query: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str)>,
    max: usize,
) -> Vec<String> {
    let q = fold(query);
    let qr = romanize(&q);
    let mut best: Vec<(f64, &str)> = Vec::new();
    for (label, text) in candidates {
        let t = fold(text);
        let score = similarity(&q, &t).max(similarity(&qr, &romanize(&t)));
        if score < MIN_SIMILARITY {
            continue;
        }
        match best.iter_mut().find(|(_, l)| *l == label) {
            Some(entry) => entry.0 = entry.0.max(score),
            None => best.push((score, label)),
        }
    }
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    best.into_iter()
        .take(max)
        .map(|(_, l)| l.to_string())
        .collect()
}

/// Finds `query` among `ids`: the id itself (surrounding spaces ignored), else the first id with
/// the same [`fold`]ed key (`Meghri-Rail`, `meghri rail` -> `meghri-rail`).
pub fn find<'a, I>(query: &str, ids: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let ids = ids.into_iter();
    let trimmed = query.trim();
    if let Some(id) = ids.clone().find(|id| *id == trimmed) {
        return Some(id);
    }
    let key = fold(trimmed);
    if key.is_empty() {
        return None;
    }
    ids.into_iter().find(|id| fold(id) == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_twice_changes_nothing_for_capital_armenian_yiwn() {
        // Found by the place_names fuzzer: `ԵՒ` (capitals) folded to `եւ`, which a second fold
        // turned into `եվ`; both now give `եվ`, as `ԵՎ` and `և` do.
        let input = "ԵԵ*Ւz*#\u{7f}z*\u{3}b\u{1}\0\0\0\0%\0ևան";
        let key = fold(input);
        assert_eq!(fold(&key), key);
        assert_eq!(fold("ԵՒ"), fold("ԵՎ"));
        assert_eq!(fold("ԵՒ"), fold("և"));
    }

    #[test]
    fn folding_meets_the_spellings_people_type() {
        for (a, b) in [
            ("naxcivan", "Naxçıvan"),
            ("NAXÇIVAN", "Naxçıvan"),
            ("Bakı", "baki"),
            ("BAKI", "Bakı"),
            ("BÖYÜK KƏSİK", "Böyük Kəsik"),
            ("boyuk-kesik", "Böyük Kəsik"),
            ("ŞƏKİ", "Şəki"),
            ("Gəncə", "gence"),
            ("Ağstafa", "agstafa"),
            ("Kars", "KARS"),
            ("ТБИЛИСИ", "Тбилиси"),
            ("ԵՐԵՎԱՆ", "Երևան"),
            ("Ерёвань", "еревань"),
            ("ᲗᲑᲘᲚᲘᲡᲘ", "თბილისი"),
            ("Baku (central station)", "baku central station"),
            ("كرج", "کرج"),
            ("تبريز", "تب\u{200c}ريز"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} vs {b}");
        }
        assert_ne!(fold("Kars"), fold("Karsu"));
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("ıspır"), "ispir");
    }

    #[test]
    fn romanization_reaches_the_latin_names() {
        for (script, latin) in [
            ("Тбилиси", "tbilisi"),
            ("Ереван", "erevan"),
            ("Баку", "baku"),
            ("Нахичевань", "nakhichevan"),
            ("თბილისი", "tbilisi"),
            ("ბათუმი", "batumi"),
            ("Երևան", "erevan"),
            ("Գյումրի", "gyumri"),
            ("Kars", "kars"),
        ] {
            assert_eq!(romanize(&fold(script)), latin, "{script}");
        }
    }

    #[test]
    fn osa_distance_counts_swaps_as_one_edit() {
        let d = |a: &str, b: &str| {
            osa_distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("meghri-rial", "meghri-rail"), 1);
        assert_eq!(d("abc", "abc"), 0);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("ca", "abc"), 3);
    }

    #[test]
    fn suggestions_rank_by_similarity_not_by_name() {
        let ids = ["adler", "agarak", "meghri-rail", "meghri-road", "yerevan"];
        let got = suggest("meghri-rial", ids.iter().map(|&i| (i, i)), 5);
        assert_eq!(got[0], "meghri-rail");
        assert!(!got.contains(&"adler".to_string()), "{got:?}");
        let got = suggest("Ереванн", [("yerevan", "Erevan"), ("adler", "Adler")], 5);
        assert_eq!(got, ["yerevan"]);
    }

    #[test]
    fn find_ignores_case_spelling_and_dashes() {
        let ids = ["base", "meghri-rail"];
        assert_eq!(find(" BASE ", ids), Some("base"));
        assert_eq!(find("Meghri Rail", ids), Some("meghri-rail"));
        assert_eq!(find("meghri-rial", ids), None);
        assert_eq!(find("-", ids), None);
    }
}
