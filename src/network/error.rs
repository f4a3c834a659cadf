//! Errors and warnings of loading a data folder. Every error names the file, and where it applies
//! the feature (index and id) or entry, the field, and the offending value.

use std::fmt;
use std::path::PathBuf;

/// One problem in a data file that makes it unusable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    #[error("{}: cannot read: {message}", path.display())]
    Io { path: PathBuf, message: String },

    #[error("{}:{line}:{column}: malformed JSON: {message}", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },

    /// A problem with one feature of a GeoJSON file. `index` counts from 0 in file order.
    #[error("{}: feature {index} (id `{id}`): `{field}`: {problem}", path.display())]
    Feature {
        path: PathBuf,
        index: usize,
        id: String,
        field: String,
        problem: String,
    },

    #[error("{}: duplicate id `{id}` at features {first} and {second}", path.display())]
    DuplicateId {
        path: PathBuf,
        id: String,
        first: usize,
        second: usize,
    },

    #[error("{}: {message}", path.display())]
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
    #[error("{}: {kind} `{id}`: `{field}`: {problem}", path.display())]
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
                for e in &self.0 {
                    write!(f, "\n  {e}")?;
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
            self.id,
            self.message
        )
    }
}
