//! Errors and warnings of loading a data folder. Every error names the file, and where it applies
//! the feature (index and id) or entry, the field, and the offending value.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

/// Longest id or value echoed in a message, in characters: a hostile file with a megabyte-long
/// id or line must not produce a megabyte-long error.
pub const MAX_ECHO_CHARS: usize = 160;

/// At most this many errors are printed; the rest are counted.
pub const MAX_PRINTED_ERRORS: usize = 50;

/// A number as a person reads it: `0.5`, `40075`, but `1e308` rather than 309 digits.
pub fn num(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-6..1e15).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// `s` cut to [`MAX_ECHO_CHARS`] characters per line (and 40 lines), marked where cut.
pub fn clip(s: &str) -> Cow<'_, str> {
    let long_line = s.lines().any(|l| l.chars().count() > MAX_ECHO_CHARS);
    let many_lines = s.lines().count() > 40;
    if !long_line && !many_lines {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    for (i, line) in s.lines().enumerate() {
        if i == 40 {
            out.push_str("[...]");
            break;
        }
        if i > 0 {
            out.push('\n');
        }
        if line.chars().count() > MAX_ECHO_CHARS {
            out.extend(line.chars().take(MAX_ECHO_CHARS));
            out.push_str("[...]");
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// One problem in a data file that makes it unusable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    #[error("{}: cannot read: {message}", path.display())]
    Io { path: PathBuf, message: String },

    #[error("{}:{line}:{column}: malformed JSON: {}", path.display(), clip(message))]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{}: {}", path.display(), clip(message))]
    File { path: PathBuf, message: String },

    /// A problem with one feature of a GeoJSON file. `index` counts from 0 in file order.
    #[error("{}: feature {index} (id `{}`): `{}`: {}", path.display(), clip(id), clip(field), clip(problem))]
    Feature {
        path: PathBuf,
        index: usize,
        id: String,
        field: String,
        problem: String,
    },

    #[error("{}: duplicate id `{}` at features {first} and {second}", path.display(), clip(id))]
    DuplicateId {
        path: PathBuf,
        id: String,
        first: usize,
        second: usize,
    },

    #[error("{}: {}", path.display(), clip(message))]
    Toml { path: PathBuf, message: String },

    /// A problem with one row of a CSV file; `line` counts from 1, the header being line 1.
    #[error("{}:{line}: `{field}`: {problem}", path.display())]
    Row {
        path: PathBuf,
        line: u64,
        field: String,
        problem: String,
    },

    /// A problem with one entry of a TOML or CSV file (`kind` is `scenario`, `route`, `claim`...).
    #[error("{}: {kind} `{}`: `{}`: {}", path.display(), clip(id), clip(field), clip(problem))]
    Entry {
        path: PathBuf,
        kind: &'static str,
        id: String,
        field: String,
        problem: String,
    },
}

/// All the errors found in a data folder (the loader reports every one, not only the first).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataErrors(pub Vec<DataError>);

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.len() {
            0 => write!(f, "no errors"),
            1 => write!(f, "{}", self.0[0]),
            n => {
                write!(f, "{n} errors in the data:")?;
                for e in self.0.iter().take(MAX_PRINTED_ERRORS) {
                    write!(f, "\n  {e}")?;
                }
                if n > MAX_PRINTED_ERRORS {
                    write!(f, "\n  ... and {} more", n - MAX_PRINTED_ERRORS)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for DataErrors {}

impl From<DataError> for DataErrors {
    fn from(e: DataError) -> Self {
        DataErrors(vec![e])
    }
}

/// A soft problem: the data loads, but something looks wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub path: PathBuf,
    /// The feature or entry id it concerns.
    pub id: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: `{}`: {}",
            self.path.display(),
            clip(&self.id),
            clip(&self.message)
        )
    }
}
