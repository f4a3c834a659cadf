//! The partial folder of one shard (`--shard I/N`): `part.jsonl`, the shard's share of the work as
//! JSON lines (floats as their IEEE-754 bits, so that a merge sums exactly what the shard found),
//! and `shard.json`, its manifest: the format and its version, the command and its resolved plan,
//! the SHA-256 of every input, the shard id, corridor's version and commit, and the row count,
//! byte length and SHA-256 of `part.jsonl`. [`read_part`] checks one part, [`check_set`] that a
//! set of parts is one whole run; `corridor merge` then writes the outputs through the command's
//! own writers.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::output::atomic::write_atomic;
use crate::output::tables::write_json;
use crate::output::OutputError;

/// What `shard.json` calls its format.
pub const FORMAT: &str = "corridor-partial";
/// The version of the partial format; a merge refuses any other.
pub const FORMAT_VERSION: u64 = 3;
/// The rows of a part.
pub const PART_FILE: &str = "part.jsonl";
/// A part's manifest.
pub const MANIFEST_FILE: &str = "shard.json";

/// Shard `index` (from 1) of `count`, as `--shard I/N` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShardId {
    pub index: usize,
    pub count: usize,
}

impl ShardId {
    /// Parses `I/N` with `1 <= I <= N`.
    ///
    /// # Errors
    /// A message saying what is wrong with `s`.
    pub fn parse(s: &str) -> Result<ShardId, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: expected I/N, e.g. 2/8"))?;
        let index: usize = i
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: the shard `{i}` is not a whole number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: the shard count `{n}` is not a whole number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("`{s}`: expected 1 <= I <= N"));
        }
        Ok(ShardId { index, count })
    }
}

impl fmt::Display for ShardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard (from 0) of each item, balanced by cost: items in decreasing cost (ties by index)
/// each go to the shard with the least cost so far (ties to the lowest shard). Deterministic.
pub fn balance(costs: &[f64], count: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by(|&a, &b| costs[b].total_cmp(&costs[a]).then(a.cmp(&b)));
    let mut load = vec![0.0f64; count.max(1)];
    let mut shard = vec![0; costs.len()];
    for i in order {
        let (s, _) = load
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(&b.0)))
            .expect("at least one shard");
        shard[i] = s;
        load[s] += costs[i];
    }
    shard
}

/// The items (indices, ascending) that [`balance`] deals to `shard`.
pub fn share(costs: &[f64], shard: ShardId) -> Vec<usize> {
    balance(costs, shard.count)
        .into_iter()
        .enumerate()
        .filter(|&(_, s)| s == shard.index - 1)
        .map(|(i, _)| i)
        .collect()
}

/// Shard `shard`'s contiguous share of `0..total` items of equal cost (the first `total % N`
/// shards take one more).
pub fn range(total: u64, shard: ShardId) -> std::ops::Range<u64> {
    let n = shard.count as u64;
    let i = shard.index as u64 - 1;
    let (q, r) = (total / n, total % n);
    let start = i * q + i.min(r);
    start..start + q + u64::from(i < r)
}

/// What a shard says about itself in `shard.json`.
pub struct PartHeader<'a> {
    pub command: &'a str,
    /// The command's resolved plan (everything but the shard id that decides its outputs).
    pub plan: &'a Value,
    /// The data folder, as the shard found it (a merge reads it again unless told another).
    pub data: &'a Path,
    /// Each input file (relative to the data folder) and its SHA-256 in hex.
    pub inputs: &'a [(String, String)],
    pub shard: ShardId,
}

/// Writes `part.jsonl` (one row a line) and `shard.json` into `dir`.
///
/// # Errors
/// [`OutputError`] naming the file.
pub fn write_part(dir: &Path, header: &PartHeader, rows: &[Value]) -> Result<(), OutputError> {
    let mut bytes = Vec::new();
    for r in rows {
        bytes.extend_from_slice(r.to_string().as_bytes());
        bytes.push(b'\n');
    }
    let part = dir.join(PART_FILE);
    write_atomic(&part, &bytes)?;
    let manifest = json!({
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "command": header.command,
        "plan": header.plan,
        "data": header.data.display().to_string(),
        "inputs": header.inputs.iter().map(|(f, h)| json!({"file": f, "sha256": h})).collect::<Vec<_>>(),
        "shard": {"index": header.shard.index, "count": header.shard.count},
        "corridor_version": env!("CARGO_PKG_VERSION"),
        "commit": option_env!("CORRIDOR_GIT_COMMIT").unwrap_or("unknown"),
        "part": {"file": PART_FILE, "rows": rows.len(), "bytes": bytes.len(), "sha256": sha256_hex(&bytes)},
    });
    write_json(&dir.join(MANIFEST_FILE), &manifest)
}

/// SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A part that was read and checked on its own.
#[derive(Debug, Clone)]
pub struct Part {
    pub dir: PathBuf,
    pub command: String,
    pub plan: Value,
    pub data: PathBuf,
    pub inputs: Value,
    pub shard: ShardId,
    pub corridor_version: String,
    pub rows: Vec<Value>,
}

/// Why a part, or a set of parts, cannot be merged; names the part.
#[derive(Debug, thiserror::Error)]
#[error("part {}: {message}", part.display())]
pub struct PartError {
    pub part: PathBuf,
    pub message: String,
}

fn refuse(part: &Path, message: impl Into<String>) -> PartError {
    PartError {
        part: part.to_path_buf(),
        message: message.into(),
    }
}

/// Reads the part in `dir`: its manifest (format and version), and its rows, checked against the
/// manifest's length and SHA-256.
///
/// # Errors
/// [`PartError`] naming `dir`: not a part, another format version, a truncated or corrupt file.
pub fn read_part(dir: &Path) -> Result<Part, PartError> {
    let mpath = dir.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&mpath).map_err(|e| {
        refuse(
            dir,
            format!("cannot read {MANIFEST_FILE}: {e} (not a shard's folder?)"),
        )
    })?;
    let m: Value = serde_json::from_str(&text).map_err(|e| {
        refuse(
            dir,
            format!("{MANIFEST_FILE} is not valid JSON ({e}): truncated or corrupt"),
        )
    })?;
    if m["format"] != FORMAT {
        return Err(refuse(
            dir,
            format!("{MANIFEST_FILE} is not a {FORMAT} manifest"),
        ));
    }
    let version = m["format_version"].as_u64();
    if version != Some(FORMAT_VERSION) {
        return Err(refuse(
            dir,
            format!(
                "partial format version {}, this corridor reads version {FORMAT_VERSION}: run the shards and the merge with the same corridor",
                version.map_or("unknown".to_string(), |v| v.to_string())
            ),
        ));
    }
    let field = |v: &Value, name: &str| -> Result<Value, PartError> {
        if v.is_null() {
            Err(refuse(dir, format!("{MANIFEST_FILE} has no `{name}`")))
        } else {
            Ok(v.clone())
        }
    };
    let str_field = |name: &str| -> Result<String, PartError> {
        m[name]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| refuse(dir, format!("{MANIFEST_FILE} has no `{name}`")))
    };
    let num = |v: &Value, name: &str| -> Result<u64, PartError> {
        v.as_u64()
            .ok_or_else(|| refuse(dir, format!("{MANIFEST_FILE} has no `{name}`")))
    };
    let shard = ShardId {
        index: num(&m["shard"]["index"], "shard.index")? as usize,
        count: num(&m["shard"]["count"], "shard.count")? as usize,
    };
    if shard.index == 0 || shard.index > shard.count {
        return Err(refuse(dir, format!("shard {shard} is not a shard id")));
    }
    let ppath = dir.join(PART_FILE);
    let bytes =
        std::fs::read(&ppath).map_err(|e| refuse(dir, format!("cannot read {PART_FILE}: {e}")))?;
    let want_bytes = num(&m["part"]["bytes"], "part.bytes")?;
    if bytes.len() as u64 != want_bytes {
        return Err(refuse(
            dir,
            format!(
                "{PART_FILE} has {} bytes, its manifest says {want_bytes}: truncated or corrupt",
                bytes.len()
            ),
        ));
    }
    if Some(sha256_hex(&bytes).as_str()) != m["part"]["sha256"].as_str() {
        return Err(refuse(
            dir,
            format!("{PART_FILE} does not match its SHA-256 in {MANIFEST_FILE}: corrupt"),
        ));
    }
    let mut rows = Vec::new();
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        rows.push(
            serde_json::from_slice(line)
                .map_err(|e| refuse(dir, format!("{PART_FILE} line {}: {e}", n + 1)))?,
        );
    }
    if rows.len() as u64 != num(&m["part"]["rows"], "part.rows")? {
        return Err(refuse(
            dir,
            format!("{PART_FILE}: row count differs from its manifest"),
        ));
    }
    Ok(Part {
        dir: dir.to_path_buf(),
        command: str_field("command")?,
        plan: field(&m["plan"], "plan")?,
        data: PathBuf::from(str_field("data")?),
        inputs: field(&m["inputs"], "inputs")?,
        shard,
        corridor_version: str_field("corridor_version")?,
        rows,
    })
}

/// Checks that `parts` are the shards `1..=N` of one run, each once: the same command, plan,
/// inputs, shard count and corridor version as the first. Returns them in shard order.
///
/// # Errors
/// [`PartError`] naming the first part that does not fit (or, for a missing shard, the first
/// part with the count it is missing from).
pub fn check_set(mut parts: Vec<Part>) -> Result<Vec<Part>, PartError> {
    let Some(first) = parts.first().cloned() else {
        return Err(refuse(Path::new("-"), "no parts given"));
    };
    for p in &parts[1..] {
        let differs = if p.command != first.command {
            Some(format!(
                "command `{}`, but part {} is `{}`",
                p.command,
                first.dir.display(),
                first.command
            ))
        } else if p.plan != first.plan {
            Some(format!(
                "another plan than part {}: {} against {}",
                first.dir.display(),
                p.plan,
                first.plan
            ))
        } else if p.inputs != first.inputs {
            Some(format!(
                "other inputs (file hashes) than part {}",
                first.dir.display()
            ))
        } else if p.shard.count != first.shard.count {
            Some(format!(
                "shard {} of {} shards, but part {} is of {}",
                p.shard,
                p.shard.count,
                first.dir.display(),
                first.shard.count
            ))
        } else if p.corridor_version != first.corridor_version {
            Some(format!(
                "written by corridor {}, part {} by {}",
                p.corridor_version,
                first.dir.display(),
                first.corridor_version
            ))
        } else {
            None
        };
        if let Some(m) = differs {
            return Err(refuse(&p.dir, m));
        }
    }
    parts.sort_by_key(|p| p.shard.index);
    for w in parts.windows(2) {
        if w[0].shard == w[1].shard {
            return Err(refuse(
                &w[1].dir,
                format!(
                    "shard {} given twice (also {})",
                    w[1].shard,
                    w[0].dir.display()
                ),
            ));
        }
    }
    let n = first.shard.count;
    let have: Vec<usize> = parts.iter().map(|p| p.shard.index).collect();
    let missing: Vec<String> = (1..=n)
        .filter(|i| !have.contains(i))
        .map(|i| format!("{i}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(refuse(
            &first.dir,
            format!(
                "is shard {} of {n}, but shard {} is missing",
                first.shard,
                missing.join(", ")
            ),
        ));
    }
    Ok(parts)
}

/// A float as the bits a part stores.
pub fn bits(x: f64) -> Value {
    Value::from(x.to_bits())
}

/// The float of bits a part stored.
pub fn float(v: &Value) -> Option<f64> {
    v.as_u64().map(f64::from_bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_ids_parse_and_refuse() {
        assert_eq!(ShardId::parse("2/8"), Ok(ShardId { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "3", "a/1", "1/0", "1/-2"] {
            assert!(ShardId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_cover_every_draw_once_in_order() {
        for total in [0u64, 1, 7, 10, 1000] {
            for n in 1..=9 {
                let mut next = 0;
                for i in 1..=n {
                    let r = range(total, ShardId { index: i, count: n });
                    assert_eq!(r.start, next);
                    assert!(r.end - r.start <= total / n as u64 + 1);
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn balance_deals_the_largest_first_to_the_least_loaded() {
        let costs = [5.0, 1.0, 4.0, 3.0, 3.0, 2.0];
        let shard = balance(&costs, 2);
        assert_eq!(shard, vec![0, 0, 1, 1, 0, 1]);
        let load = |s: usize| -> f64 {
            costs
                .iter()
                .zip(&shard)
                .filter(|(_, &x)| x == s)
                .map(|(c, _)| c)
                .sum()
        };
        assert_eq!((load(0), load(1)), (9.0, 9.0));
        assert_eq!(balance(&costs, 2), shard, "deterministic");
        assert!(balance(&costs, 9).iter().all(|&s| s < 9));
    }
}
