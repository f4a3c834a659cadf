//! Strict reading of the data folder's CSV tables (`demand.csv`, `disruptions.csv`): a header of
//! known columns (required ones present, unknown ones rejected), lines starting with `#` skipped
//! as comments, every value trimmed, and each row kept with its line number for error messages.

use std::path::{Path, PathBuf};

use crate::network::input::is_valid_id;
use crate::network::{Country, DataError, Network, NodeId};

/// A CSV file read against its column list.
#[derive(Debug)]
pub(crate) struct Table {
    pub path: PathBuf,
    columns: Vec<String>,
    pub rows: Vec<Row>,
}

/// One data row: its line in the file (the header is line 1 when no comment precedes it) and
/// its values in header order.
#[derive(Debug)]
pub(crate) struct Row {
    pub line: u64,
    values: Vec<String>,
}

impl Table {
    /// Parses `text`; `path` only names the file in messages.
    ///
    /// # Errors
    /// A missing required column, an unknown or repeated column, a row with the wrong number of
    /// fields, or malformed CSV: every problem found, each naming the file and the line.
    pub fn parse(
        path: &Path,
        text: &str,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Table, Vec<DataError>> {
        let file_error = |message: String| DataError::File {
            path: path.to_path_buf(),
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| vec![file_error(format!("malformed CSV header: {e}"))])?
            .clone();
        let columns: Vec<String> = header.iter().map(str::to_string).collect();
        let mut errors = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            if !required.contains(&c.as_str()) && !optional.contains(&c.as_str()) {
                let known: Vec<&str> = required.iter().chain(optional).copied().collect();
                errors.push(file_error(format!(
                    "unknown column `{c}`; the columns are {}",
                    known.join(", ")
                )));
            } else if columns[..i].contains(c) {
                errors.push(file_error(format!("column `{c}` appears twice")));
            }
        }
        for r in required {
            if !columns.iter().any(|c| c == r) {
                errors.push(file_error(format!("missing column `{r}`")));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut rows = Vec::new();
        // Lines counted from the record's byte offset: the csv reader's own line counter leaves
        // out comment lines in some versions.
        let (mut seen_byte, mut seen_lines) = (0usize, 0u64);
        let mut line_at = |byte: usize| {
            // The offset may point at comment or blank lines the reader skipped before the record.
            let mut byte = byte.min(text.len());
            loop {
                let rest = &text[byte..];
                if rest.starts_with('\n') {
                    byte += 1;
                } else if rest.starts_with("\r\n") {
                    byte += 2;
                } else if rest.starts_with('#') {
                    match rest.find('\n') {
                        Some(nl) => byte += nl + 1,
                        None => break,
                    }
                } else {
                    break;
                }
            }
            if byte >= seen_byte {
                seen_lines += text.as_bytes()[seen_byte..byte]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u64;
                seen_byte = byte;
            }
            seen_lines + 1
        };
        for record in reader.records() {
            match record {
                Ok(rec) => {
                    let line = rec.position().map_or(0, |p| line_at(p.byte() as usize));
                    if rec.iter().all(str::is_empty) {
                        continue;
                    }
                    if rec.len() != columns.len() {
                        errors.push(DataError::Row {
                            path: path.to_path_buf(),
                            line,
                            field: "*".into(),
                            problem: format!(
                                "{} fields, but the header has {} columns",
                                rec.len(),
                                columns.len()
                            ),
                        });
                        continue;
                    }
                    rows.push(Row {
                        line,
                        values: rec.iter().map(str::to_string).collect(),
                    });
                }
                Err(e) => errors.push(file_error(format!("malformed CSV: {e}"))),
            }
        }
        if errors.is_empty() {
            Ok(Table {
                path: path.to_path_buf(),
                columns,
                rows,
            })
        } else {
            Err(errors)
        }
    }

    /// The value of `column` in `row` (empty when the optional column is absent).
    pub fn get<'r>(&self, row: &'r Row, column: &str) -> &'r str {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| row.values.get(i))
            .map_or("", String::as_str)
    }

    /// The `id` column of every row, checked: an id that is not valid (lowercase letters, digits
    /// and hyphens) or that an earlier row already used comes with the error about it. In row
    /// order, valid or not, so that `ids[i]` belongs to `rows[i]` and each loader reports the
    /// error among its row's others.
    ///
    /// # Complexity
    /// O(rows) (a hash set of the ids seen).
    pub fn ids(&self) -> Vec<(String, Option<DataError>)> {
        let mut seen = std::collections::HashSet::new();
        self.rows
            .iter()
            .map(|row| {
                let id = self.get(row, "id").to_string();
                let problem = if !is_valid_id(&id) {
                    Some(self.error(
                        row,
                        "id",
                        format!("{id:?} is not a valid id (lowercase letters, digits and hyphens)"),
                    ))
                } else if !seen.insert(id.clone()) {
                    Some(self.error(row, "id", format!("`{id}` is used by two rows")))
                } else {
                    None
                };
                (id, problem)
            })
            .collect()
    }

    /// An error about `field` on `row`'s line.
    pub fn error(&self, row: &Row, field: &str, problem: impl Into<String>) -> DataError {
        DataError::Row {
            path: self.path.clone(),
            line: row.line,
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// A number `>= min` (and `<= max` when given).
    pub fn number(
        &self,
        row: &Row,
        field: &str,
        min: f64,
        max: Option<f64>,
        errors: &mut Vec<DataError>,
    ) -> Option<f64> {
        let s = self.get(row, field);
        let v = match s.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                errors.push(self.error(row, field, format!("{s:?} is not a number")));
                return None;
            }
        };
        if v < min || max.is_some_and(|m| v > m) {
            let range = match max {
                Some(m) => format!("between {min} and {m}"),
                None => format!(">= {min}"),
            };
            errors.push(self.error(row, field, format!("{v} must be {range}")));
            return None;
        }
        Some(v)
    }

    /// A place by id, name or alias; unknown places are reported with the closest ids.
    pub fn place(
        &self,
        row: &Row,
        field: &str,
        network: &Network,
        errors: &mut Vec<DataError>,
    ) -> Option<NodeId> {
        match network.find_place(self.get(row, field)) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(self.error(row, field, e.to_string()));
                None
            }
        }
    }

    /// An ISO 3166-1 alpha-2 country code.
    pub fn country(&self, row: &Row, field: &str, errors: &mut Vec<DataError>) -> Option<Country> {
        let s = self.get(row, field);
        let c = Country::parse(s);
        if c.is_none() {
            errors.push(self.error(
                row,
                field,
                format!("{s:?} is not an ISO 3166-1 alpha-2 code"),
            ));
        }
        c
    }

    /// The fact sheet's confidence mark: `H`, `M` or `L`.
    pub fn confidence(
        &self,
        row: &Row,
        field: &str,
        errors: &mut Vec<DataError>,
    ) -> Option<SourceConfidence> {
        let s = self.get(row, field);
        let c = SourceConfidence::parse(s);
        if c.is_none() {
            errors.push(self.error(row, field, format!("{s:?} is not H, M or L")));
        }
        c
    }

    /// A non-empty text.
    pub fn text(&self, row: &Row, field: &str, errors: &mut Vec<DataError>) -> Option<String> {
        let s = self.get(row, field);
        if s.is_empty() {
            errors.push(self.error(row, field, "must not be empty"));
            None
        } else {
            Some(s.to_string())
        }
    }
}

/// How far a figure can be trusted, in the fact sheet's marks: `H` stated by a primary or
/// encyclopaedic source, `M` one secondary source or derived arithmetic, `L` an estimate or a
/// modelling assumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceConfidence {
    H,
    M,
    L,
}

impl SourceConfidence {
    pub fn parse(s: &str) -> Option<SourceConfidence> {
        match s {
            "H" => Some(SourceConfidence::H),
            "M" => Some(SourceConfidence::M),
            "L" => Some(SourceConfidence::L),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SourceConfidence::H => "H",
            SourceConfidence::M => "M",
            SourceConfidence::L => "L",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_skipped_and_lines_counted_from_the_file_start() {
        let text = "# a comment\nid,value\n# another\nx, 1\n\ny,2\n";
        let t = Table::parse(Path::new("t.csv"), text, &["id", "value"], &[]).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.get(&t.rows[0], "value"), "1");
        assert_eq!(t.rows[0].line, 4);
        assert_eq!(t.rows[1].line, 6);
    }

    #[test]
    fn unknown_missing_and_repeated_columns_are_errors() {
        let err =
            Table::parse(Path::new("t.csv"), "id,colour,id\n", &["id", "value"], &[]).unwrap_err();
        let text: Vec<String> = err.iter().map(|e| e.to_string()).collect();
        assert!(
            text.iter().any(|e| e.contains("unknown column `colour`")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|e| e.contains("column `id` appears twice")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|e| e.contains("missing column `value`")),
            "{text:?}"
        );
        let err = Table::parse(
            Path::new("t.csv"),
            "id,value\na,1,2\n",
            &["id", "value"],
            &[],
        )
        .unwrap_err();
        assert!(
            err[0].to_string().starts_with("t.csv:2: `*`: 3 fields"),
            "{}",
            err[0]
        );
    }
}
