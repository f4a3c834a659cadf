//! Calendar dates of scenarios (`as_of`) and of disruptions (`from`, `until`): ISO 8601
//! `YYYY-MM-DD`, compared as dates, printed back as written.

use std::fmt;

/// A day of the Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` (exactly that shape, a real day of a real month).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days {
            return None;
        }
        Some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_compare_and_print() {
        let a = Date::parse("2021-01-11").unwrap();
        let b = Date::parse("2025-11-15").unwrap();
        assert!(a < b);
        assert_eq!(a.to_string(), "2021-01-11");
        assert!(Date::parse("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2021-13-01",
            "2021-1-11",
            "11/01/2021",
            "2021-01-00",
            "",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }
}
