//! The input gate: every data file is read through `read_input` (size limit), JSON through
//! [`parse_json_strict`] (no duplicate keys), GeoJSON features through `parse_features` and
//! their properties through `Props`, which records each problem once with the file, feature,
//! field and value. [`limits`] bounds every numeric property. The loaders of `network` and
//! `scenario` use this module; it uses only [`super::error`] and the model's types.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value};

use super::error::DataError;
use super::Country;

/// GeoJSON and TOML files larger than this are refused before parsing rather than read into
/// memory: a GeoJSON file becomes a JSON tree of about ten times its size, so 128 MiB already
/// needs over a gigabyte. Bigger networks come from `corridor import osm` or `corridor synth
/// grid`, which write the compact binary cache `network.bin`; a data folder with that cache and
/// no GeoJSON network is read from the cache ([`super::load::network_from_cache`]).
pub const MAX_INPUT_BYTES: u64 = 128 * 1024 * 1024;

/// The largest accepted values of the numeric properties: beyond them a figure is a typo or a
/// hostile file (`1e308`), and sums of them along a path could overflow to infinity.
pub mod limits {
    /// Speeds, km/h: faster than any train or road vehicle.
    pub const SPEED_KMH: f64 = 1_000.0;
    /// Lengths, km: the Earth's circumference.
    pub const LENGTH_KM: f64 = 40_075.0;
    /// Dwell times and ferry headways, hours: one year.
    pub const HOURS: f64 = 8_760.0;
    /// Fees, USD per tonne.
    pub const USD_PER_T: f64 = 1e6;
    /// Capacities, tonnes per day.
    pub const CAPACITY: f64 = 1e9;
}

/// Reads a whole input file, refusing ones above [`MAX_INPUT_BYTES`].
pub(crate) fn read_input(path: &Path) -> Result<String, DataError> {
    let io = |message: String| DataError::Io {
        path: path.to_path_buf(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| io(e.to_string()))?;
    if meta.is_dir() {
        return Err(io("is a folder, not a file".into()));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(io(format!(
            "{} bytes is over the {} byte limit for an input file",
            meta.len(),
            MAX_INPUT_BYTES
        )));
    }
    std::fs::read_to_string(path).map_err(|e| io(e.to_string()))
}

pub(crate) struct RawFeature {
    pub(crate) index: usize,
    pub(crate) id: String,
    pub(crate) geometry: Option<geojson::GeometryValue>,
    pub(crate) geometry_error: Option<String>,
    pub(crate) properties: Map<String, Value>,
}

/// Parses the text of a TOML file into `T` (with serde's field checks); `path` only names the
/// file in the message. The one TOML preamble of every loader (costs, scenarios, routes,
/// capacity).
///
/// # Errors
/// [`DataError::Toml`] naming the file, with the TOML parser's line, column and message.
pub fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, DataError> {
    toml::from_str(text).map_err(|e| DataError::Toml {
        path: path.to_path_buf(),
        message: e.to_string().trim_end().to_string(),
    })
}

/// Parses JSON text into a tree like `serde_json::from_str::<Value>`, but refuses an object that
/// names the same key twice (serde_json would silently keep the last value, so that
/// `"status": "closed", "status": "open"` would open a link without a word). Nesting deeper than
/// 128 levels is refused by serde_json itself.
///
/// # Errors
/// A serde_json error with its line and column.
pub fn parse_json_strict(text: &str) -> Result<Value, serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = StrictValue.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// A [`Value`] built by a visitor that refuses duplicate keys.
struct StrictValue;

impl<'de> serde::de::DeserializeSeed<'de> for StrictValue {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element_seed(StrictValue)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // Checked before the value is read, so that the error's line is the key's.
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key `{}`",
                    super::error::clip(&key)
                )));
            }
            let value = map.next_value_seed(StrictValue)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

pub(crate) fn parse_features(path: &Path, text: &str) -> Result<Vec<RawFeature>, DataError> {
    let root: Value = parse_json_strict(text).map_err(|e| DataError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let file_error = |message: &str| DataError::File {
        path: path.to_path_buf(),
        message: message.to_string(),
    };
    let Value::Object(mut root) = root else {
        return Err(file_error("expected a GeoJSON FeatureCollection object"));
    };
    if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(file_error(
            "`type` must be \"FeatureCollection\" (one FeatureCollection per file)",
        ));
    }
    if root.contains_key("crs") {
        return Err(file_error(
            "has a `crs` member: RFC 7946 GeoJSON is WGS84 longitude/latitude only; reproject to EPSG:4326 and drop `crs`",
        ));
    }
    // Each feature's members are moved out of the parsed document, not copied.
    let Some(Value::Array(features)) = root.remove("features") else {
        return Err(file_error("`features` must be an array"));
    };
    let mut out = Vec::with_capacity(features.len());
    for (index, feature) in features.into_iter().enumerate() {
        let Value::Object(mut feature) = feature else {
            return Err(DataError::Feature {
                path: path.to_path_buf(),
                index,
                id: "?".into(),
                field: "feature".into(),
                problem: "is not a JSON object".into(),
            });
        };
        let properties = match feature.remove("properties") {
            Some(Value::Object(p)) => p,
            _ => Map::new(),
        };
        let id = properties
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        if feature.get("type").and_then(Value::as_str) != Some("Feature") {
            return Err(DataError::Feature {
                path: path.to_path_buf(),
                index,
                id,
                field: "type".into(),
                problem: "must be \"Feature\"".into(),
            });
        }
        let (geometry, geometry_error) = match feature.remove("geometry") {
            None | Some(Value::Null) => (None, Some("is missing".to_string())),
            Some(g) => match serde_json::from_value::<geojson::Geometry>(g) {
                Ok(g) => (Some(g.value), None),
                Err(e) => (None, Some(format!("is not valid GeoJSON: {e}"))),
            },
        };
        out.push(RawFeature {
            index,
            id,
            geometry,
            geometry_error,
            properties,
        });
    }
    Ok(out)
}

/// Reads typed properties of one feature, recording each problem once.
pub(crate) struct Props<'a> {
    path: &'a Path,
    pub(crate) feature: &'a RawFeature,
    errors: &'a mut Vec<DataError>,
    used: BTreeSet<&'static str>,
}

impl<'a> Props<'a> {
    pub(crate) fn new(
        path: &'a Path,
        feature: &'a RawFeature,
        errors: &'a mut Vec<DataError>,
    ) -> Self {
        Props {
            path,
            feature,
            errors,
            used: BTreeSet::new(),
        }
    }

    pub(crate) fn error(&mut self, field: &str, problem: String) {
        self.errors.push(DataError::Feature {
            path: self.path.to_path_buf(),
            index: self.feature.index,
            id: self.feature.id.clone(),
            field: field.to_string(),
            problem,
        });
    }

    pub(crate) fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.used.insert(key);
        match self.feature.properties.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    pub(crate) fn opt_str(&mut self, key: &'static str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.error(key, format!("expected a string, found {}", describe(other)));
                None
            }
        }
    }

    pub(crate) fn req_str(&mut self, key: &'static str) -> Option<String> {
        let v = self.opt_str(key);
        if v.is_none() && !self.feature.properties.contains_key(key) {
            self.error(key, "is required".into());
        } else if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
            self.error(key, "must not be empty".into());
            return None;
        }
        v
    }

    /// The required `id`, checked to be a valid id.
    pub(crate) fn req_id(&mut self) -> Option<String> {
        let id = self.req_str("id");
        if let Some(id) = &id {
            if !is_valid_id(id) {
                self.error(
                    "id",
                    format!("{id:?} is not a valid id (lowercase letters, digits and hyphens)"),
                );
            }
        }
        id
    }

    pub(crate) fn opt_f64(&mut self, key: &'static str) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Some(x),
                _ => {
                    self.error(key, format!("{n} is not a finite number"));
                    None
                }
            },
            other => {
                self.error(key, format!("expected a number, found {}", describe(other)));
                None
            }
        }
    }

    /// A number that must be > 0 (or >= 0 when `allow_zero`) and at most `max`.
    pub(crate) fn opt_positive(
        &mut self,
        key: &'static str,
        allow_zero: bool,
        max: f64,
    ) -> Option<f64> {
        let x = self.opt_f64(key)?;
        if x > max {
            self.error(
                key,
                format!(
                    "{} is over {max}, the largest accepted value",
                    super::error::num(x)
                ),
            );
            None
        } else if x > 0.0 || (allow_zero && x == 0.0) {
            Some(x)
        } else {
            let need = if allow_zero { ">= 0" } else { "> 0" };
            self.error(key, format!("{} must be {need}", super::error::num(x)));
            None
        }
    }

    pub(crate) fn opt_u64(&mut self, key: &'static str) -> Option<u64> {
        match self.get(key)? {
            Value::Number(n) => match n.as_u64() {
                Some(x) => Some(x),
                None => {
                    self.error(key, format!("{n} is not a whole number >= 0"));
                    None
                }
            },
            other => {
                self.error(
                    key,
                    format!("expected a whole number, found {}", describe(other)),
                );
                None
            }
        }
    }

    pub(crate) fn opt_bool(&mut self, key: &'static str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.error(
                    key,
                    format!("expected true or false, found {}", describe(other)),
                );
                None
            }
        }
    }

    /// A required enum value parsed by `parse`, naming the allowed values on error.
    pub(crate) fn req_enum<T>(
        &mut self,
        key: &'static str,
        allowed: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let s = self.req_str(key)?;
        self.check_enum(key, &s, allowed, parse)
    }

    pub(crate) fn check_enum<T>(
        &mut self,
        key: &'static str,
        s: &str,
        allowed: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let v = parse(s);
        if v.is_none() {
            self.error(
                key,
                format!(
                    "unknown value {s:?}; expected one of {}",
                    allowed.join(", ")
                ),
            );
        }
        v
    }

    pub(crate) fn country(&mut self, key: &'static str, s: &str) -> Option<Country> {
        let c = Country::parse(s);
        if c.is_none() {
            self.error(
                key,
                format!("{s:?} is not an ISO 3166-1 alpha-2 code (two letters)"),
            );
        }
        c
    }

    /// Properties the schema does not know: probably a typo, worth a warning.
    pub(crate) fn unknown(&self) -> Vec<String> {
        self.feature
            .properties
            .keys()
            .filter(|k| !self.used.contains(k.as_str()))
            .cloned()
            .collect()
    }
}

pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

/// Ids are lowercase ASCII letters, digits and hyphens, starting with a letter or digit, so that
/// they are safe in file names, URLs and shell arguments.
pub fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json_equals_serde_json_on_valid_input_and_refuses_what_it_would_take() {
        let text = r#"{"a": [1, -0.5, true, null, {"b": "x"}], "c": 1e308, "d": -0}"#;
        assert_eq!(
            parse_json_strict(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        let err = parse_json_strict("{\n \"id\": \"a\",\n \"id\": \"b\"\n}").unwrap_err();
        assert!(err.to_string().contains("duplicate key `id`"), "{err}");
        assert_eq!(err.line(), 3);
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_json_strict(&deep).unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
        assert!(parse_json_strict("[1e400]").is_err(), "out of range");
        assert!(parse_json_strict("[NaN]").is_err());
    }
}
