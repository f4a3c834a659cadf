//! `corridor.gpkg`: every layer of a run in one GeoPackage (OGC 12-128r18, version 1.2), each
//! with its QGIS style as the default in `layer_styles`, so that QGIS opens any table styled.
//!
//! The layers come as GeoJSON FeatureCollections (the very documents written beside it, see
//! [`super::geojson`]), so that the GeoPackage and the GeoJSON files carry the same columns, in
//! the same order, with the same values. A column's SQLite type follows its values: text,
//! integer, real or boolean (`null` everywhere: text).
//!
//! A layer written from its GeoJSON file ([`FeatureSource::File`]) is read as a stream, one
//! feature in memory at a time, twice: once for the table's geometry type and column types, once
//! for its rows. A large network's layer parsed whole is many times the machine's memory.
//!
//! # Byte-identical files
//! SQLite writes the same bytes for the same statements in the same order: tables and rows are
//! inserted in a fixed order, every timestamp (`gpkg_contents.last_change`,
//! `layer_styles.update_time`) is [`FIXED_TIME`], and the file is `VACUUM`ed before it is read
//! back and written atomically.
//!
//! # Geometry encoding
//! GeoPackage binary: `GP`, version 0, flags `0x03` (little-endian, an `[minx, maxx, miny, maxy]`
//! envelope), SRS id 4326 (WGS84 longitude/latitude), the envelope, then little-endian WKB.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use rusqlite::{params, Connection};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{write_atomic, OutputError};

/// The timestamp written wherever the GeoPackage asks for one: the date of the statement the
/// bundled scenarios start from, so that two runs write the same bytes.
pub const FIXED_TIME: &str = "2021-01-11T00:00:00.000Z";

/// WGS84 longitude/latitude, the only SRS the layers use.
const SRS_ID: i32 = 4326;

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

/// A layer style: its name, its QML, and whether QGIS applies it on opening.
pub type Style = (String, String, bool);

/// Where a layer's features come from: a GeoJSON FeatureCollection, in memory or in a file.
#[derive(Debug, Clone, Copy)]
pub enum FeatureSource<'a> {
    /// A parsed FeatureCollection (a small layer such as the basemap's); a document without a
    /// `features` array is a layer with no features.
    Collection(&'a Value),
    /// A GeoJSON file holding one FeatureCollection, read as a stream one feature at a time
    /// (any layout: the features need not be one a line). Its top level must be an object and
    /// its `features` member, when present, an array; its other members are skipped.
    File(&'a Path),
}

impl FeatureSource<'_> {
    /// The file an error in a feature is blamed on: the GeoJSON file when there is one, else
    /// the GeoPackage being written.
    fn blame<'p>(&'p self, gpkg: &'p Path) -> &'p Path {
        match self {
            FeatureSource::Collection(_) => gpkg,
            FeatureSource::File(path) => path,
        }
    }

    /// Calls `on_feature` with each feature and its index, in order; returns how many there
    /// were.
    ///
    /// # Errors
    /// The first error of `on_feature`; for a file, [`OutputError::Io`] when it cannot be read
    /// and [`OutputError::InvalidData`] naming it (and the feature, inside `features`) when it
    /// is not a FeatureCollection in JSON.
    fn for_each(
        &self,
        table: &str,
        mut on_feature: impl FnMut(usize, &Value) -> Result<(), OutputError>,
    ) -> Result<usize, OutputError> {
        match self {
            FeatureSource::Collection(collection) => {
                let features = collection["features"].as_array().map_or(&[][..], |f| f);
                for (i, f) in features.iter().enumerate() {
                    on_feature(i, f)?;
                }
                Ok(features.len())
            }
            FeatureSource::File(path) => stream_features(path, table, &mut on_feature),
        }
    }
}

/// One layer to write: a table name, its features and its styles.
#[derive(Debug, Clone)]
pub struct GpkgLayer<'a> {
    /// Table name (`nodes`, `links`, ...).
    pub table: String,
    /// A human description (`gpkg_contents.description`).
    pub description: String,
    /// The layer's GeoJSON FeatureCollection.
    pub features: FeatureSource<'a>,
    /// `(style name, QML, default?)`: the first default is what QGIS applies on opening.
    pub styles: Vec<Style>,
}

/// The SQLite type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Text,
    Integer,
    Real,
    Boolean,
}

impl ColumnType {
    fn sql(self) -> &'static str {
        match self {
            ColumnType::Text => "TEXT",
            ColumnType::Integer => "INTEGER",
            ColumnType::Real => "REAL",
            ColumnType::Boolean => "BOOLEAN",
        }
    }
}

impl ColumnType {
    /// The type a column's values share once `v` is added to those of type `so_far` (`None`:
    /// only nulls so far); mixed numbers are real, anything mixed with text is text. A column
    /// still `None` after its last value is text.
    fn fold(so_far: Option<ColumnType>, v: &Value) -> Option<ColumnType> {
        let this = match v {
            Value::Null => return so_far,
            Value::Bool(_) => ColumnType::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => ColumnType::Integer,
            Value::Number(_) => ColumnType::Real,
            _ => ColumnType::Text,
        };
        Some(match (so_far, this) {
            (None, x) => x,
            (Some(a), b) if a == b => a,
            (Some(ColumnType::Integer), ColumnType::Real)
            | (Some(ColumnType::Real), ColumnType::Integer) => ColumnType::Real,
            _ => ColumnType::Text,
        })
    }
}

/// Quotes an SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Writes `path` (atomically) holding every layer, in the order given, and `layer_styles`.
///
/// # Errors
/// [`OutputError::InvalidData`] for a layer whose GeoJSON has a geometry this writer does not
/// know (a `GeometryCollection`) or a table name used twice, or a layer file that is not a
/// FeatureCollection in JSON (naming the file, and the feature where the fault lies in one);
/// [`OutputError::Io`] when SQLite or the file system fails or a layer file cannot be read.
pub fn write_gpkg(path: &Path, layers: &[GpkgLayer<'_>]) -> Result<(), OutputError> {
    let mut writer = GpkgWriter::create(path)?;
    for layer in layers {
        writer.add(layer)?;
    }
    writer.finish()
}

/// A GeoPackage written one layer at a time, so that a caller holds one layer in memory, not
/// all of them: [`GpkgWriter::create`], [`GpkgWriter::add`] per layer, [`GpkgWriter::finish`].
/// The file is built beside `path` and moved there by `finish`; dropped unfinished, it leaves
/// nothing behind. The same layers give the same bytes as [`write_gpkg`].
pub struct GpkgWriter {
    db: Option<Connection>,
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
    /// Each table written, with its styles, for `layer_styles` at the end.
    styles: Vec<(String, Vec<Style>)>,
}

impl GpkgWriter {
    /// Starts the GeoPackage that [`GpkgWriter::finish`] will put at `path`.
    ///
    /// # Errors
    /// [`OutputError::Io`] when SQLite cannot create it.
    pub fn create(path: &Path) -> Result<GpkgWriter, OutputError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let tmp = dir.join(format!(
            ".{}.{}.sqlite-tmp",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let _ = std::fs::remove_file(&tmp);
        let db = Connection::open(&tmp).map_err(|e| sql_error(path, e))?;
        let writer = GpkgWriter {
            db: Some(db),
            tmp,
            path: path.to_path_buf(),
            styles: Vec::new(),
        };
        writer.conn().execute_batch(&format!(
            "PRAGMA application_id = 1196444487;
         PRAGMA user_version = 10200;
         PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         BEGIN;
         CREATE TABLE gpkg_spatial_ref_sys (
           srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
           organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
           definition TEXT NOT NULL, description TEXT);
         INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{WGS84_WKT}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
         CREATE TABLE gpkg_contents (
           table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
           identifier TEXT UNIQUE, description TEXT DEFAULT '',
           last_change DATETIME NOT NULL,
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
           table_name TEXT NOT NULL, column_name TEXT NOT NULL,
           geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
           z TINYINT NOT NULL, m TINYINT NOT NULL,
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
           CONSTRAINT uk_gc_table_name UNIQUE (table_name),
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         CREATE TABLE layer_styles (
           id INTEGER PRIMARY KEY AUTOINCREMENT,
           f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
           f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
           useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
           update_time DATETIME);"
        ))
        .map_err(|e| sql_error(path, e))?;
        Ok(writer)
    }

    fn conn(&self) -> &Connection {
        self.db
            .as_ref()
            .expect("the connection lives until finish or drop")
    }

    /// Writes one layer's table; its styles go into `layer_styles` at [`GpkgWriter::finish`].
    ///
    /// # Errors
    /// As [`write_gpkg`].
    pub fn add(&mut self, layer: &GpkgLayer<'_>) -> Result<(), OutputError> {
        if self.styles.iter().any(|(t, _)| *t == layer.table) {
            return Err(OutputError::invalid(
                &self.path,
                format!("table `{}` written twice", layer.table),
            ));
        }
        write_layer(self.conn(), &self.path, layer)?;
        self.styles
            .push((layer.table.clone(), layer.styles.clone()));
        Ok(())
    }

    /// Writes `layer_styles`, compacts the file and moves it to its path (atomically).
    ///
    /// # Errors
    /// [`OutputError::Io`] when SQLite or the file system fails.
    pub fn finish(mut self) -> Result<(), OutputError> {
        let result = self.styles_and_close().and_then(|()| {
            let bytes = std::fs::read(&self.tmp).map_err(|e| OutputError::io(&self.tmp, e))?;
            write_atomic(&self.path, &bytes)
        });
        let _ = std::fs::remove_file(&self.tmp);
        result
    }

    fn styles_and_close(&mut self) -> Result<(), OutputError> {
        let path = self.path.clone();
        let err = |e| sql_error(&path, e);
        let db = self.db.take().expect("finish runs once");
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
             VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles of the layers', ?1)",
            params![FIXED_TIME],
        )
        .map_err(err)?;
        for (table, styles) in &self.styles {
            for (name, qml, default) in styles {
                db.execute(
                    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name,
                       f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description,
                       owner, ui, update_time)
                     VALUES ('', '', ?1, 'geom', ?2, ?3, '', ?4, ?5, '', NULL, ?6)",
                    params![table, name, qml, default, name, FIXED_TIME],
                )
                .map_err(err)?;
            }
        }
        db.execute_batch("COMMIT; VACUUM;").map_err(err)?;
        db.close().map_err(|(_, e)| err(e))
    }
}

impl Drop for GpkgWriter {
    fn drop(&mut self) {
        // Unfinished (an error on the way): the connection first, then its file.
        drop(self.db.take());
        let _ = std::fs::remove_file(&self.tmp);
    }
}

fn sql_error(path: &Path, e: rusqlite::Error) -> OutputError {
    OutputError::io(path, std::io::Error::other(e.to_string()))
}

/// A reading of a layer file in progress: the callback, the index of the next feature, whether
/// the parser is inside `features`, and the callback's error (serde carries only a message).
struct Walk<'f> {
    on_feature: &'f mut dyn FnMut(usize, &Value) -> Result<(), OutputError>,
    next: usize,
    inside: bool,
    failed: Option<OutputError>,
}

/// Reads the FeatureCollection in `path` as a stream, calling `on_feature` with each feature
/// (parsed alone, then dropped) and its index; returns how many there were.
///
/// # Errors
/// See [`FeatureSource::for_each`].
fn stream_features(
    path: &Path,
    table: &str,
    on_feature: &mut dyn FnMut(usize, &Value) -> Result<(), OutputError>,
) -> Result<usize, OutputError> {
    let file = std::fs::File::open(path).map_err(|e| OutputError::io(path, e))?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut walk = Walk {
        on_feature,
        next: 0,
        inside: false,
        failed: None,
    };
    let read = Collection(&mut walk)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    match (read, walk.failed) {
        (Ok(()), _) => Ok(walk.next),
        (Err(_), Some(failed)) => Err(failed),
        (Err(e), None) if e.is_io() => Err(OutputError::io(path, e.into())),
        (Err(e), None) if walk.inside => Err(OutputError::invalid(
            path,
            format!("layer `{table}`, feature {}: {e}", walk.next),
        )),
        (Err(e), None) => Err(OutputError::invalid(path, format!("layer `{table}`: {e}"))),
    }
}

/// The top-level object of a layer file: `features` is walked, every other member skipped.
struct Collection<'w, 'f>(&'w mut Walk<'f>);

impl<'de> DeserializeSeed<'de> for Collection<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Collection<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let walk = self.0;
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" {
                if seen {
                    return Err(de::Error::custom("a second `features` member"));
                }
                seen = true;
                map.next_value_seed(Features(&mut *walk))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `features` array of a layer file, handed over one feature at a time.
struct Features<'w, 'f>(&'w mut Walk<'f>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let walk = self.0;
        walk.inside = true;
        while let Some(feature) = seq.next_element::<Value>()? {
            if let Err(e) = (walk.on_feature)(walk.next, &feature) {
                walk.failed = Some(e);
                return Err(de::Error::custom("stopped by the layer's writer"));
            }
            walk.next += 1;
        }
        walk.inside = false;
        Ok(())
    }
}

/// What a table needs before its first row, gathered one feature at a time: the geometry types
/// of its features, its columns (the first feature's properties, in their order: every feature
/// carries the same ones) and the type each column's values share.
#[derive(Debug, Default)]
struct LayerShape {
    kinds: BTreeSet<String>,
    columns: Vec<String>,
    types: Vec<Option<ColumnType>>,
    features: usize,
}

impl LayerShape {
    fn add(&mut self, f: &Value) {
        if let Some(kind) = f["geometry"]["type"].as_str() {
            if !self.kinds.contains(kind) {
                self.kinds.insert(kind.to_string());
            }
        }
        if self.features == 0 {
            self.columns = f["properties"]
                .as_object()
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            self.types = vec![None; self.columns.len()];
        }
        for (c, t) in self.columns.iter().zip(&mut self.types) {
            *t = ColumnType::fold(*t, &f["properties"][c]);
        }
        self.features += 1;
    }

    /// The geometry type the features share, as the GeoPackage names it; polygons mixed with
    /// multipolygons (and lines with multilines) are written as the multi type.
    fn geometry(&self, path: &Path, table: &str) -> Result<&'static str, OutputError> {
        let kinds: Vec<&str> = self.kinds.iter().map(String::as_str).collect();
        Ok(match kinds.as_slice() {
            [] | ["Point"] => "POINT",
            ["LineString"] => "LINESTRING",
            ["MultiLineString"] | ["LineString", "MultiLineString"] => "MULTILINESTRING",
            ["Polygon"] => "POLYGON",
            ["MultiPolygon"] | ["MultiPolygon", "Polygon"] => "MULTIPOLYGON",
            other => {
                return Err(OutputError::invalid(
                    path,
                    format!("layer `{table}`: geometries {other:?} cannot share a table"),
                ))
            }
        })
    }

    /// Each column's SQLite type (a column of nulls only is text).
    fn column_types(&self) -> Vec<ColumnType> {
        self.types
            .iter()
            .map(|t| t.unwrap_or(ColumnType::Text))
            .collect()
    }
}

/// Writes a layer's table from two readings of its features: its shape, then its rows.
fn write_layer(db: &Connection, path: &Path, layer: &GpkgLayer<'_>) -> Result<(), OutputError> {
    let err = |e| sql_error(path, e);
    let blame = layer.features.blame(path);
    let mut shape = LayerShape::default();
    layer.features.for_each(&layer.table, |_, f| {
        shape.add(f);
        Ok(())
    })?;
    let geometry_type = shape.geometry(blame, &layer.table)?;
    let types = shape.column_types();
    let columns = &shape.columns;
    let mut create = format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometry_type}",
        ident(&layer.table)
    );
    for (c, t) in columns.iter().zip(&types) {
        create.push_str(&format!(", {} {}", ident(c), t.sql()));
    }
    create.push(')');
    db.execute(&create, []).map_err(err)?;
    let mut envelope = Envelope::default();
    {
        let placeholders: Vec<String> =
            (0..=columns.len()).map(|i| format!("?{}", i + 1)).collect();
        let names: Vec<String> = std::iter::once("geom".to_string())
            .chain(columns.iter().map(|c| ident(c)))
            .collect();
        let mut insert = db
            .prepare(&format!(
                "INSERT INTO {} ({}) VALUES ({})",
                ident(&layer.table),
                names.join(", "),
                placeholders.join(", ")
            ))
            .map_err(err)?;
        let rows = layer.features.for_each(&layer.table, |i, f| {
            let blob =
                geometry_blob(&f["geometry"], geometry_type, &mut envelope).ok_or_else(|| {
                    OutputError::invalid(
                        blame,
                        format!("layer `{}`, feature {i}: unreadable geometry", layer.table),
                    )
                })?;
            let mut values: Vec<rusqlite::types::Value> = vec![blob.into()];
            for (c, t) in columns.iter().zip(&types) {
                values.push(sql_value(&f["properties"][c], *t));
            }
            insert
                .execute(rusqlite::params_from_iter(values))
                .map_err(err)?;
            Ok(())
        })?;
        if rows != shape.features {
            return Err(OutputError::invalid(
                blame,
                format!(
                    "layer `{}`: {} features on the first reading, {rows} on the second (it changed while it was read)",
                    layer.table, shape.features
                ),
            ));
        }
    }
    let (min_x, min_y, max_x, max_y) = envelope.bounds();
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change,
           min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            layer.table,
            layer.description,
            FIXED_TIME,
            min_x,
            min_y,
            max_x,
            max_y,
            SRS_ID
        ],
    )
    .map_err(err)?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        params![layer.table, geometry_type, SRS_ID],
    )
    .map_err(err)?;
    Ok(())
}

fn sql_value(v: &Value, t: ColumnType) -> rusqlite::types::Value {
    use rusqlite::types::Value as S;
    match (v, t) {
        (Value::Null, _) => S::Null,
        (Value::Bool(b), _) => S::Integer(i64::from(*b)),
        (Value::Number(n), ColumnType::Integer) => n.as_i64().map_or(S::Null, S::Integer),
        (Value::Number(n), ColumnType::Real) => n.as_f64().map_or(S::Null, S::Real),
        (Value::String(s), _) => S::Text(s.clone()),
        (other, _) => S::Text(other.to_string()),
    }
}

/// A bounding box grown point by point.
#[derive(Debug, Clone, Copy)]
struct Envelope {
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
}

impl Default for Envelope {
    fn default() -> Envelope {
        Envelope {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }
}

impl Envelope {
    fn add(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }

    fn merge(&mut self, o: &Envelope) {
        if o.min_x.is_finite() {
            self.add(o.min_x, o.min_y);
            self.add(o.max_x, o.max_y);
        }
    }

    /// The box, or `None`s when nothing was added.
    fn bounds(&self) -> (Option<f64>, Option<f64>, Option<f64>, Option<f64>) {
        if self.min_x.is_finite() {
            (
                Some(self.min_x),
                Some(self.min_y),
                Some(self.max_x),
                Some(self.max_y),
            )
        } else {
            (None, None, None, None)
        }
    }
}

/// Little-endian WKB writer.
struct Wkb {
    out: Vec<u8>,
    env: Envelope,
}

impl Wkb {
    fn header(&mut self, kind: u32) {
        self.out.push(1);
        self.out.extend_from_slice(&kind.to_le_bytes());
    }

    fn count(&mut self, n: usize) {
        self.out.extend_from_slice(&(n as u32).to_le_bytes());
    }

    fn point(&mut self, p: &Value) -> Option<()> {
        let (x, y) = (p.get(0)?.as_f64()?, p.get(1)?.as_f64()?);
        self.out.extend_from_slice(&x.to_le_bytes());
        self.out.extend_from_slice(&y.to_le_bytes());
        self.env.add(x, y);
        Some(())
    }

    fn points(&mut self, ps: &Value) -> Option<()> {
        let ps = ps.as_array()?;
        self.count(ps.len());
        ps.iter().try_for_each(|p| self.point(p))
    }

    fn line(&mut self, ps: &Value) -> Option<()> {
        self.header(2);
        self.points(ps)
    }

    fn polygon(&mut self, rings: &Value) -> Option<()> {
        self.header(3);
        let rings = rings.as_array()?;
        self.count(rings.len());
        rings.iter().try_for_each(|r| self.points(r))
    }
}

/// The GeoPackage binary of a GeoJSON geometry, promoted to `target` (a line to a multiline, a
/// polygon to a multipolygon) where the table asks for it.
fn geometry_blob(g: &Value, target: &str, layer_env: &mut Envelope) -> Option<Vec<u8>> {
    let c = &g["coordinates"];
    let mut w = Wkb {
        out: Vec::new(),
        env: Envelope::default(),
    };
    match (g["type"].as_str()?, target) {
        ("Point", _) => {
            w.header(1);
            w.point(c)?;
        }
        ("LineString", "MULTILINESTRING") => {
            w.header(5);
            w.count(1);
            w.line(c)?;
        }
        ("LineString", _) => w.line(c)?,
        ("MultiLineString", _) => {
            let parts = c.as_array()?;
            w.header(5);
            w.count(parts.len());
            parts.iter().try_for_each(|p| w.line(p))?;
        }
        ("Polygon", "MULTIPOLYGON") => {
            w.header(6);
            w.count(1);
            w.polygon(c)?;
        }
        ("Polygon", _) => w.polygon(c)?,
        ("MultiPolygon", _) => {
            let parts = c.as_array()?;
            w.header(6);
            w.count(parts.len());
            parts.iter().try_for_each(|p| w.polygon(p))?;
        }
        _ => return None,
    }
    layer_env.merge(&w.env);
    let mut blob = Vec::with_capacity(w.out.len() + 40);
    blob.extend_from_slice(b"GP");
    blob.push(0); // version 1 of the binary format
    let (flags, env) = if w.env.min_x.is_finite() {
        (0x03u8, true)
    } else {
        (0x11u8, false) // empty geometry, no envelope
    };
    blob.push(flags);
    blob.extend_from_slice(&SRS_ID.to_le_bytes());
    if env {
        for v in [w.env.min_x, w.env.max_x, w.env.min_y, w.env.max_y] {
            blob.extend_from_slice(&v.to_le_bytes());
        }
    }
    blob.extend_from_slice(&w.out);
    Some(blob)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_point_blob_has_the_header_envelope_and_wkb() {
        let mut env = Envelope::default();
        let b = geometry_blob(
            &json!({"type": "Point", "coordinates": [44.5, 40.2]}),
            "POINT",
            &mut env,
        )
        .unwrap();
        assert_eq!(&b[..4], b"GP\x00\x03");
        assert_eq!(i32::from_le_bytes(b[4..8].try_into().unwrap()), 4326);
        assert_eq!(f64::from_le_bytes(b[8..16].try_into().unwrap()), 44.5);
        // WKB after 8 + 32 bytes: little-endian point, x, y.
        assert_eq!(b[40], 1);
        assert_eq!(u32::from_le_bytes(b[41..45].try_into().unwrap()), 1);
        assert_eq!(b.len(), 40 + 21);
        assert_eq!(
            env.bounds(),
            (Some(44.5), Some(40.2), Some(44.5), Some(40.2))
        );
    }

    #[test]
    fn a_writer_fed_layer_by_layer_gives_the_bytes_of_one_call_and_leaves_nothing_when_dropped() {
        let dir = std::env::temp_dir().join(format!("corridor-gpkg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let points = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "a", "n": 1},
             "geometry": {"type": "Point", "coordinates": [44.5, 40.2]}}]});
        let lines = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "l", "km": 2.5},
             "geometry": {"type": "LineString", "coordinates": [[44.5, 40.2], [44.6, 40.3]]}}]});
        let layer = |table: &str, collection| GpkgLayer {
            table: table.into(),
            description: String::new(),
            features: FeatureSource::Collection(collection),
            styles: vec![(table.into(), "<qgis/>".into(), true)],
        };
        let layers = [layer("nodes", &points), layer("links", &lines)];
        let whole = dir.join("whole.gpkg");
        write_gpkg(&whole, &layers).unwrap();
        let stepwise = dir.join("stepwise.gpkg");
        let mut w = GpkgWriter::create(&stepwise).unwrap();
        for l in &layers {
            w.add(l).unwrap();
        }
        // A table twice is refused, naming it.
        let again = w.add(&layers[0]).unwrap_err().to_string();
        assert!(again.contains("table `nodes` written twice"), "{again}");
        w.finish().unwrap();
        assert_eq!(
            std::fs::read(&whole).unwrap(),
            std::fs::read(&stepwise).unwrap()
        );
        // Dropped before `finish` (an error on the way): no file, no temporary file.
        let dropped = dir.join("dropped.gpkg");
        let mut w = GpkgWriter::create(&dropped).unwrap();
        w.add(&layers[0]).unwrap();
        drop(w);
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("dropped"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The type of a column holding `values`, folded one value at a time.
    fn column_type(values: impl Iterator<Item = Value>) -> ColumnType {
        values
            .fold(None, |t, v| ColumnType::fold(t, &v))
            .unwrap_or(ColumnType::Text)
    }

    #[test]
    fn column_types_follow_the_values() {
        assert_eq!(
            column_type([json!(1), json!(null)].into_iter()),
            ColumnType::Integer
        );
        assert_eq!(
            column_type([json!(1), json!(2.5)].into_iter()),
            ColumnType::Real
        );
        assert_eq!(column_type([json!(true)].into_iter()), ColumnType::Boolean);
        assert_eq!(column_type([json!(null)].into_iter()), ColumnType::Text);
        assert_eq!(
            column_type([json!(1), json!("a")].into_iter()),
            ColumnType::Text
        );
    }

    #[test]
    fn the_file_is_the_same_bytes_twice_and_sqlite_reads_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let fc = json!({"type": "FeatureCollection", "name": "links", "features": [
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[44.0, 40.0], [45.0, 41.0]]},
             "properties": {"id": "a", "km": 12.5, "tracks": 2, "electrified": true}},
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[45.0, 41.0], [46.0, 41.5]]},
             "properties": {"id": "b", "km": null, "tracks": 1, "electrified": false}}
        ]});
        let layers = [GpkgLayer {
            table: "links".into(),
            description: "links".into(),
            features: FeatureSource::Collection(&fc),
            styles: vec![("links".into(), "<qgis/>".into(), true)],
        }];
        let a = dir.path().join("a.gpkg");
        let b = dir.path().join("b.gpkg");
        write_gpkg(&a, &layers).unwrap();
        write_gpkg(&b, &layers).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        let db = Connection::open(&a).unwrap();
        let n: i64 = db
            .query_row("SELECT count(*) FROM links WHERE tracks >= 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 2);
        let styles: i64 = db
            .query_row(
                "SELECT count(*) FROM layer_styles WHERE f_table_name = 'links' AND useAsDefault",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(styles, 1);
        let tables: Vec<String> = db
            .prepare("SELECT table_name FROM gpkg_contents ORDER BY table_name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(tables, vec!["layer_styles", "links"]);
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2);
    }

    /// A links layer whose columns change type along the way (null first, integer then real,
    /// number then text) and whose geometries mix lines and multilines.
    fn mixed_links() -> Value {
        json!({"type": "FeatureCollection", "name": "links", "features": [
            {"type": "Feature", "properties": {"id": "a", "km": null, "tracks": 1, "code": 7, "open": true},
             "geometry": {"type": "LineString", "coordinates": [[44.0, 40.0], [45.0, 41.0]]}},
            {"type": "Feature", "properties": {"id": "b\"q", "km": 2, "tracks": 2.5, "code": "x", "open": null},
             "geometry": {"type": "MultiLineString", "coordinates": [[[45.0, 41.0], [46.0, 41.5]], [[46.0, 41.5], [46.5, 42.0]]]}},
            {"type": "Feature", "properties": {"id": "ç", "km": 3.25, "tracks": null, "code": 9, "open": false},
             "geometry": {"type": "LineString", "coordinates": [[43.5, 39.5], [44.0, 40.0]]}}
        ]})
    }

    fn one_layer(features: FeatureSource<'_>) -> GpkgLayer<'_> {
        GpkgLayer {
            table: "links".into(),
            description: "links".into(),
            features,
            styles: vec![("links".into(), "<qgis/>".into(), true)],
        }
    }

    #[test]
    fn a_layer_read_from_its_file_gives_the_bytes_of_the_parsed_collection() {
        let dir = tempfile::tempdir().unwrap();
        let fc = mixed_links();
        let parsed = dir.path().join("parsed.gpkg");
        write_gpkg(&parsed, &[one_layer(FeatureSource::Collection(&fc))]).unwrap();
        let expected = std::fs::read(&parsed).unwrap();
        let db = Connection::open(&parsed).unwrap();
        let sql: String = db
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'links'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            sql.contains("geom MULTILINESTRING, \"id\" TEXT, \"km\" REAL, \"tracks\" REAL, \"code\" TEXT, \"open\" BOOLEAN"),
            "{sql}"
        );
        drop(db);
        // The same collection in three layouts: one line; pretty-printed (a feature over many
        // lines); `features` first with members the writer skips after it.
        let compact = serde_json::to_string(&fc).unwrap();
        let pretty = serde_json::to_string_pretty(&fc).unwrap();
        let reordered = format!(
            "{{\"features\": {},\n \"bbox\": [43.5, 39.5, 46.5, 42.0], \"extra\": {{\"features\": 1}}, \"type\": \"FeatureCollection\"}}\n",
            serde_json::to_string_pretty(&fc["features"]).unwrap()
        );
        for (name, text) in [
            ("compact", compact),
            ("pretty", pretty),
            ("reordered", reordered),
        ] {
            let geojson = dir.path().join(format!("{name}.geojson"));
            std::fs::write(&geojson, text).unwrap();
            let out = dir.path().join(format!("{name}.gpkg"));
            write_gpkg(&out, &[one_layer(FeatureSource::File(&geojson))]).unwrap();
            assert!(std::fs::read(&out).unwrap() == expected, "{name}");
        }
        // A collection with no features, both ways.
        let empty = json!({"type": "FeatureCollection", "features": []});
        let a = dir.path().join("empty-parsed.gpkg");
        write_gpkg(&a, &[one_layer(FeatureSource::Collection(&empty))]).unwrap();
        let geojson = dir.path().join("empty.geojson");
        std::fs::write(&geojson, empty.to_string()).unwrap();
        let b = dir.path().join("empty-file.gpkg");
        write_gpkg(&b, &[one_layer(FeatureSource::File(&geojson))]).unwrap();
        assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
    }

    #[test]
    fn a_malformed_layer_file_is_an_error_naming_it_and_the_feature() {
        let dir = tempfile::tempdir().unwrap();
        let fc = mixed_links();
        let whole = serde_json::to_string_pretty(&fc).unwrap();
        let second = whole.find("\"b\\\"q\"").unwrap();
        let unreadable_geometry = {
            let mut bad = fc.clone();
            bad["features"][2]["geometry"]["coordinates"] = json!([[43.5], [44.0, 40.0]]);
            bad.to_string()
        };
        let cases: [(&str, String, &[&str]); 7] = [
            // Cut inside the second feature.
            (
                "truncated",
                whole[..second].to_string(),
                &["layer `links`, feature 1:", "EOF"],
            ),
            (
                "bad-token",
                whole.replacen("3.25", "3..25", 1),
                &["layer `links`, feature 2:"],
            ),
            (
                "not-an-object",
                "[1, 2]".into(),
                &["layer `links`:", "FeatureCollection"],
            ),
            (
                "features-not-an-array",
                r#"{"features": 3}"#.into(),
                &["array of features"],
            ),
            (
                "two-features",
                r#"{"features": [], "features": []}"#.into(),
                &["a second `features` member"],
            ),
            (
                "trailing",
                format!("{whole} x"),
                &["layer `links`:", "trailing"],
            ),
            (
                "unreadable-geometry",
                unreadable_geometry,
                &["layer `links`, feature 2: unreadable geometry"],
            ),
        ];
        for (name, text, wanted) in cases {
            let geojson = dir.path().join(format!("{name}.geojson"));
            std::fs::write(&geojson, text).unwrap();
            let out = dir.path().join(format!("{name}.gpkg"));
            let e = write_gpkg(&out, &[one_layer(FeatureSource::File(&geojson))]).unwrap_err();
            assert!(
                matches!(e, OutputError::InvalidData { .. }),
                "{name}: {e:?}"
            );
            let message = e.to_string();
            assert!(
                message.starts_with(&format!("{}: ", geojson.display())),
                "{name}: {message}"
            );
            for w in wanted {
                assert!(message.contains(w), "{name}: {message}");
            }
            assert!(!out.exists(), "{name}");
        }
        let missing = dir.path().join("missing.geojson");
        let e = write_gpkg(
            &dir.path().join("missing.gpkg"),
            &[one_layer(FeatureSource::File(&missing))],
        )
        .unwrap_err();
        assert!(matches!(e, OutputError::Io { .. }), "{e:?}");
        assert!(
            e.to_string()
                .starts_with(&format!("{}: ", missing.display())),
            "{e}"
        );
        // Nothing but the layer files is left behind.
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".geojson"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
