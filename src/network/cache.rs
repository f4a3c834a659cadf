//! A binary cache of a [`Network`] (`network.bin`), for reloading a big imported network in a
//! fraction of the time GeoJSON parsing takes.
//!
//! # Format (version 2, little-endian throughout)
//! ```text
//! magic      8 bytes   "CORRNET\0"
//! version    u32       2 (1 is read too: the same without the trailer)
//! reserved   u32       0
//! length     u64       payload bytes
//! checksum   32 bytes  SHA-256 of the payload
//! payload:
//!   strings  u32 count, then each: u32 byte length, UTF-8 bytes
//!   nodes    u32 count, then each node record
//!   links    u32 count, then each link record
//!   source   u8 presence, then 32 bytes: the [`source_digest`] of the GeoJSON it was parsed from
//!   warnings u32 count, then each: file name, feature id, message (string indices)
//! ```
//! A cache with a `source` stands for the GeoJSON beside it: [`super::load_network`] reads it
//! instead of parsing when the folder's GeoJSON (and cost model) still has that digest, and
//! gives back the warnings parsing would have given.
//! Strings inside records are u32 indices into the string table (`u32::MAX` for none), so that
//! the `source` repeated on every feature is stored once. Optional numbers carry a presence byte.
//! The reader checks the header, the length and the checksum before parsing, and every count
//! against the bytes left before allocating, so that a corrupt or hostile file fails with a
//! message, never a panic or a huge allocation.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{
    BorderCrossing, Carries, Confidence, Country, CrossingMode, Link, LinkStatus, LonLat, Mode,
    Network, Node, NodeId, NodeKind, Transfers,
};

pub const MAGIC: &[u8; 8] = b"CORRNET\0";
pub const VERSION: u32 = 2;
const HEADER_BYTES: usize = 8 + 4 + 4 + 8 + 32;
const NONE: u32 = u32::MAX;

/// A cache file that cannot be read back; names the file and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: network cache: {message}", path.display())]
pub struct CacheError {
    pub path: PathBuf,
    pub message: String,
}

/// What a cache file holds besides its network.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Provenance {
    /// The [`source_digest`] of the GeoJSON and cost model the network was parsed from; `None`
    /// for a network kept only in the cache.
    pub source: Option<[u8; 32]>,
    /// The warnings parsing that GeoJSON gave: `(file name in the folder, feature id, message)`.
    pub warnings: Vec<(String, String, String)>,
}

/// The digest a cache records of the inputs it stands for: the texts of `nodes.geojson` and
/// `links.geojson` and the cost model they were parsed with (its every value, as `Debug` prints
/// them exactly).
pub fn source_digest(nodes: &str, links: &str, costs: &super::CostModel) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [nodes, links, &format!("{costs:?}")] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

/// Encodes a network in the cache format, with no source (a network kept only in the cache).
pub fn encode(network: &Network) -> Vec<u8> {
    encode_with(network, &Provenance::default())
}

/// Encodes a network in the cache format with its provenance.
pub fn encode_with(network: &Network, provenance: &Provenance) -> Vec<u8> {
    let mut w = Writer::default();
    let mut body = Writer::default();
    body.u32(network.nodes.len() as u32);
    for n in &network.nodes {
        body.str(&mut w, &n.id);
        body.str(&mut w, &n.name);
        body.u32(n.aliases.len() as u32);
        for a in &n.aliases {
            body.str(&mut w, a);
        }
        body.country(Some(n.country));
        body.opt_str(&mut w, n.region.as_deref());
        body.u8(n.kind as u8);
        body.opt_u64(n.population);
        body.f64(n.position.lon);
        body.f64(n.position.lat);
        body.u8(n.coord_confidence as u8);
        body.u8(u8::from(n.transfers.gauge) | (u8::from(n.transfers.transship) << 1));
        match &n.border {
            None => body.u8(0),
            Some(b) => {
                body.u8(1);
                body.country(Some(b.countries[0]));
                body.country(Some(b.countries[1]));
                for m in [b.rail, b.road] {
                    match m {
                        None => body.u8(0),
                        Some(m) => {
                            body.u8(1 + u8::from(m.open));
                            body.f64(m.dwell_h);
                        }
                    }
                }
                body.f64(b.fee_usd_per_t);
            }
        }
        body.str(&mut w, &n.source);
        body.opt_str(&mut w, n.note.as_deref());
    }
    body.u32(network.links.len() as u32);
    for l in &network.links {
        body.str(&mut w, &l.id);
        body.u32(l.from.0);
        body.u32(l.to.0);
        body.u8(l.mode as u8);
        body.u8(l.status as u8);
        body.str(&mut w, &l.name);
        body.opt_str(&mut w, l.line.as_deref());
        body.u16(l.gauge_mm.unwrap_or(0));
        body.u8(u8::from(l.dual_gauge)
            | (u8::from(l.carries.rail) << 1)
            | (u8::from(l.carries.road) << 2)
            | (u8::from(l.oneway) << 3));
        body.u8(l.tracks.unwrap_or(0));
        body.u8(l.electrified.map_or(0, |e| 1 + u8::from(e)));
        body.opt_f64(l.speed_kmh);
        body.f64(l.length_km);
        body.opt_f64(l.published_length_km);
        body.f64(l.geodesic_km);
        body.opt_str(&mut w, l.length_note.as_deref());
        body.opt_f64(l.capacity_t_per_day);
        body.opt_f64(l.headway_h);
        body.country(l.country);
        body.str(&mut w, &l.source);
        body.opt_str(&mut w, l.note.as_deref());
        body.u32(l.geometry.len() as u32);
        for p in &l.geometry {
            body.f64(p.lon);
            body.f64(p.lat);
        }
    }
    match provenance.source {
        None => body.u8(0),
        Some(d) => {
            body.u8(1);
            body.buf.extend_from_slice(&d);
        }
    }
    body.u32(provenance.warnings.len() as u32);
    for (file, id, message) in &provenance.warnings {
        body.str(&mut w, file);
        body.str(&mut w, id);
        body.str(&mut w, message);
    }
    // The payload: the string table, then the records.
    let mut payload = Writer::default();
    payload.u32(w.strings.len() as u32);
    for s in &w.strings {
        payload.u32(s.len() as u32);
        payload.buf.extend_from_slice(s.as_bytes());
    }
    payload.buf.extend_from_slice(&body.buf);
    let mut out = Vec::with_capacity(HEADER_BYTES + payload.buf.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&(payload.buf.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload.buf));
    out.extend_from_slice(&payload.buf);
    out
}

/// Reads a cache file back.
///
/// # Errors
/// [`CacheError`] when the file cannot be read, has another magic or version, a wrong length or
/// checksum, or a record that does not parse (an index out of range, an unknown enum value).
pub fn read(path: &Path) -> Result<Network, CacheError> {
    read_with(path).map(|(n, _)| n)
}

/// [`read`], with the file's provenance.
///
/// # Errors
/// As [`read`].
pub fn read_with(path: &Path) -> Result<(Network, Provenance), CacheError> {
    let bytes = std::fs::read(path).map_err(|e| CacheError {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    decode_with(&bytes).map_err(|message| CacheError {
        path: path.to_path_buf(),
        message,
    })
}

/// Decodes the bytes of a cache file.
///
/// # Errors
/// A message saying what is wrong and where.
pub fn decode(bytes: &[u8]) -> Result<Network, String> {
    decode_with(bytes).map(|(n, _)| n)
}

/// [`decode`], with the file's provenance (none in a version 1 file).
///
/// # Errors
/// As [`decode`].
pub fn decode_with(bytes: &[u8]) -> Result<(Network, Provenance), String> {
    if bytes.len() < HEADER_BYTES || &bytes[..8] != MAGIC {
        return Err("not a corridor network cache (bad magic or shorter than its header)".into());
    }
    let mut r = Reader {
        buf: &bytes[8..HEADER_BYTES],
        pos: 0,
    };
    let version = r.u32()?;
    if version != VERSION && version != 1 {
        return Err(format!(
            "format version {version}, this build reads version {VERSION}: re-import"
        ));
    }
    r.u32()?;
    let len = r.u64()?;
    let checksum = r.take(32)?;
    let payload = &bytes[HEADER_BYTES..];
    if payload.len() as u64 != len {
        return Err(format!(
            "the header announces {len} payload bytes, the file holds {} (truncated?)",
            payload.len()
        ));
    }
    if Sha256::digest(payload)[..] != *checksum {
        return Err("checksum mismatch: the file is corrupt".into());
    }
    let mut r = Reader {
        buf: payload,
        pos: 0,
    };
    let n = r.count(4)?;
    let mut strings = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.count(1)?;
        let s = std::str::from_utf8(r.take(len)?)
            .map_err(|_| format!("string {} is not UTF-8", strings.len()))?;
        strings.push(s.to_string());
    }
    let st = Strings(&strings);
    // The smallest node record is 44 bytes, the smallest link 70: counts are checked against them.
    let n = r.count(44)?;
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let at = |m: String| format!("node {i}: {m}");
        let id = st.get(r.u32()?).map_err(at)?;
        let name = st.get(r.u32()?).map_err(at)?;
        let aliases = (0..r.count(4)?)
            .map(|_| st.get(r.u32()?).map_err(at))
            .collect::<Result<Vec<_>, _>>()?;
        let country = r.country()?.ok_or_else(|| at("no country".into()))?;
        let region = st.opt(r.u32()?).map_err(at)?;
        let kind = *NodeKind::ALL
            .get(r.u8()? as usize)
            .ok_or_else(|| at("unknown kind".into()))?;
        let population = r.opt_u64()?;
        let position = LonLat {
            lon: r.f64()?,
            lat: r.f64()?,
        };
        let coord_confidence = match r.u8()? {
            0 => Confidence::High,
            1 => Confidence::Medium,
            2 => Confidence::Low,
            _ => return Err(at("unknown confidence".into())),
        };
        let t = r.u8()?;
        let transfers = Transfers {
            gauge: t & 1 != 0,
            transship: t & 2 != 0,
        };
        let border = match r.u8()? {
            0 => None,
            1 => {
                let a = r.country()?.ok_or_else(|| at("border country".into()))?;
                let b = r.country()?.ok_or_else(|| at("border country".into()))?;
                let mut modes = [None, None];
                for m in &mut modes {
                    *m = match r.u8()? {
                        0 => None,
                        v @ (1 | 2) => Some(CrossingMode {
                            open: v == 2,
                            dwell_h: r.f64()?,
                        }),
                        _ => return Err(at("bad crossing mode".into())),
                    };
                }
                Some(BorderCrossing {
                    countries: [a, b],
                    rail: modes[0],
                    road: modes[1],
                    fee_usd_per_t: r.f64()?,
                })
            }
            _ => return Err(at("bad border flag".into())),
        };
        let source = st.get(r.u32()?).map_err(at)?;
        let note = st.opt(r.u32()?).map_err(at)?;
        nodes.push(Node {
            id,
            name,
            aliases,
            country,
            region,
            kind,
            population,
            position,
            coord_confidence,
            transfers,
            border,
            source,
            note,
        });
    }
    let n = r.count(70)?;
    let mut links = Vec::with_capacity(n);
    for i in 0..n {
        let at = |m: String| format!("link {i}: {m}");
        let id = st.get(r.u32()?).map_err(at)?;
        let node = |v: u32| -> Result<NodeId, String> {
            if (v as usize) < nodes.len() {
                Ok(NodeId(v))
            } else {
                Err(format!("link {i}: node index {v} out of range"))
            }
        };
        let from = node(r.u32()?)?;
        let to = node(r.u32()?)?;
        let mode = *Mode::ALL
            .get(r.u8()? as usize)
            .ok_or_else(|| at("unknown mode".into()))?;
        let status = *LinkStatus::ALL
            .get(r.u8()? as usize)
            .ok_or_else(|| at("unknown status".into()))?;
        let name = st.get(r.u32()?).map_err(at)?;
        let line = st.opt(r.u32()?).map_err(at)?;
        let gauge_mm = match r.u16()? {
            0 => None,
            g => Some(g),
        };
        let flags = r.u8()?;
        let tracks = match r.u8()? {
            0 => None,
            t => Some(t),
        };
        let electrified = match r.u8()? {
            0 => None,
            e => Some(e == 2),
        };
        let speed_kmh = r.opt_f64()?;
        let length_km = r.f64()?;
        let published_length_km = r.opt_f64()?;
        let geodesic_km = r.f64()?;
        let length_note = st.opt(r.u32()?).map_err(at)?;
        let capacity_t_per_day = r.opt_f64()?;
        let headway_h = r.opt_f64()?;
        let country = r.country()?;
        let source = st.get(r.u32()?).map_err(at)?;
        let note = st.opt(r.u32()?).map_err(at)?;
        let points = r.count(16)?;
        let mut geometry = Vec::with_capacity(points);
        for _ in 0..points {
            geometry.push(LonLat {
                lon: r.f64()?,
                lat: r.f64()?,
            });
        }
        links.push(Link {
            id,
            from,
            to,
            mode,
            status,
            name,
            line,
            gauge_mm,
            dual_gauge: flags & 1 != 0,
            carries: Carries {
                rail: flags & 2 != 0,
                road: flags & 4 != 0,
            },
            tracks,
            electrified,
            speed_kmh,
            length_km,
            published_length_km,
            geodesic_km,
            length_note,
            capacity_t_per_day,
            headway_h,
            oneway: flags & 8 != 0,
            country,
            geometry,
            source,
            note,
        });
    }
    let mut provenance = Provenance::default();
    if version >= 2 {
        provenance.source = match r.u8()? {
            0 => None,
            1 => Some(r.array()?),
            v => return Err(format!("bad presence byte {v} of the source digest")),
        };
        let n = r.count(12)?;
        for i in 0..n {
            let at = |m: String| format!("warning {i}: {m}");
            provenance.warnings.push((
                st.get(r.u32()?).map_err(at)?,
                st.get(r.u32()?).map_err(at)?,
                st.get(r.u32()?).map_err(at)?,
            ));
        }
    }
    if r.pos != r.buf.len() {
        return Err(format!(
            "{} bytes after the last record",
            r.buf.len() - r.pos
        ));
    }
    let mut seen = HashSet::new();
    if let Some(dup) = nodes.iter().map(|n| &n.id).find(|id| !seen.insert(*id)) {
        return Err(format!("duplicate node id `{dup}`"));
    }
    let mut seen = HashSet::new();
    if let Some(dup) = links.iter().map(|l| &l.id).find(|id| !seen.insert(*id)) {
        return Err(format!("duplicate link id `{dup}`"));
    }
    Ok((Network::new(nodes, links), provenance))
}

#[derive(Default)]
struct Writer {
    buf: Vec<u8>,
    strings: Vec<String>,
    index: HashMap<String, u32>,
}

impl Writer {
    fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn opt_f64(&mut self, v: Option<f64>) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                self.f64(x);
            }
        }
    }
    fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                self.buf.extend_from_slice(&x.to_le_bytes());
            }
        }
    }
    fn country(&mut self, c: Option<Country>) {
        let s = c.map_or(*b"\0\0", |c| {
            let b = c.as_str().as_bytes();
            [b[0], b[1]]
        });
        self.buf.extend_from_slice(&s);
    }
    /// Interns `s` in `table` and writes its index.
    fn str(&mut self, table: &mut Writer, s: &str) {
        let i = match table.index.get(s) {
            Some(&i) => i,
            None => {
                let i = table.strings.len() as u32;
                table.strings.push(s.to_string());
                table.index.insert(s.to_string(), i);
                i
            }
        };
        self.u32(i);
    }
    fn opt_str(&mut self, table: &mut Writer, s: Option<&str>) {
        match s {
            None => self.u32(NONE),
            Some(s) => self.str(table, s),
        }
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| format!("truncated record at payload byte {}", self.pos))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_le_bytes(self.array()?))
    }
    fn opt_f64(&mut self) -> Result<Option<f64>, String> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.f64()?)),
            v => Err(format!(
                "bad presence byte {v} at payload byte {}",
                self.pos - 1
            )),
        }
    }
    fn opt_u64(&mut self) -> Result<Option<u64>, String> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.u64()?)),
            v => Err(format!(
                "bad presence byte {v} at payload byte {}",
                self.pos - 1
            )),
        }
    }
    fn country(&mut self) -> Result<Option<Country>, String> {
        let b: [u8; 2] = self.array()?;
        if b == [0, 0] {
            return Ok(None);
        }
        std::str::from_utf8(&b)
            .ok()
            .and_then(Country::parse)
            .map(Some)
            .ok_or_else(|| format!("bad country code at payload byte {}", self.pos - 2))
    }
    /// A count of items of at least `min_bytes` each, checked against the bytes left.
    fn count(&mut self, min_bytes: usize) -> Result<usize, String> {
        let n = self.u32()? as usize;
        let left = self.buf.len() - self.pos;
        if n.saturating_mul(min_bytes) > left {
            return Err(format!(
                "a count of {n} at payload byte {} needs more than the {left} bytes left",
                self.pos - 4
            ));
        }
        Ok(n)
    }
}

struct Strings<'a>(&'a [String]);

impl Strings<'_> {
    fn get(&self, i: u32) -> Result<String, String> {
        self.0
            .get(i as usize)
            .cloned()
            .ok_or_else(|| format!("string index {i} out of range"))
    }
    fn opt(&self, i: u32) -> Result<Option<String>, String> {
        if i == NONE {
            Ok(None)
        } else {
            self.get(i).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Network {
        let c = |s| Country::parse(s).unwrap_or_else(|| unreachable!());
        let node = |id: &str, lon: f64, border: Option<BorderCrossing>| Node {
            id: id.into(),
            name: format!("place {id}"),
            aliases: vec!["alias".into()],
            country: c("AM"),
            region: None,
            kind: if border.is_some() {
                NodeKind::Border
            } else {
                NodeKind::City
            },
            population: Some(1000),
            position: LonLat { lon, lat: 40.0 },
            coord_confidence: Confidence::Medium,
            transfers: Transfers {
                gauge: true,
                transship: false,
            },
            border,
            source: "test".into(),
            note: None,
        };
        let crossing = BorderCrossing {
            countries: [c("AM"), c("GE")],
            rail: Some(CrossingMode {
                open: false,
                dwell_h: 6.0,
            }),
            road: None,
            fee_usd_per_t: 1.5,
        };
        let link = Link {
            id: "rail-a-b".into(),
            from: NodeId(0),
            to: NodeId(1),
            mode: Mode::Rail,
            status: LinkStatus::Closed,
            name: "line".into(),
            line: Some("R01".into()),
            gauge_mm: Some(1520),
            dual_gauge: true,
            carries: Carries {
                rail: true,
                road: false,
            },
            tracks: Some(2),
            electrified: Some(false),
            speed_kmh: Some(40.5),
            length_km: 12.0,
            published_length_km: Some(12.0),
            geodesic_km: 11.9,
            length_note: Some("km-posts".into()),
            capacity_t_per_day: None,
            headway_h: None,
            oneway: true,
            country: Some(c("AM")),
            geometry: vec![
                LonLat {
                    lon: 44.0,
                    lat: 40.0,
                },
                LonLat {
                    lon: 44.1,
                    lat: 40.0,
                },
            ],
            source: "test".into(),
            note: Some("n".into()),
        };
        Network::new(
            vec![node("a", 44.0, None), node("b", 44.1, Some(crossing))],
            vec![link],
        )
    }

    #[test]
    fn a_network_round_trips() {
        let net = tiny();
        let back = decode(&encode(&net)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.nodes, net.nodes);
        assert_eq!(back.links, net.links);
    }

    #[test]
    fn damaged_files_are_refused_with_a_reason() {
        let bytes = encode(&tiny());
        let err = |b: &[u8]| decode(b).err().unwrap_or_default();
        assert!(err(b"hello").contains("bad magic"));
        assert!(err(&bytes[..bytes.len() - 1]).contains("truncated?"));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(err(&flipped).contains("checksum"));
        let mut version = bytes.clone();
        version[8] = 9;
        assert!(err(&version).contains("format version 9"));
    }

    #[test]
    fn a_huge_count_is_refused_before_allocating() {
        // A valid header and checksum around a payload that claims 2^32-1 strings.
        let payload = u32::MAX.to_le_bytes();
        let mut bytes = Vec::new();
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&Sha256::digest(payload));
        bytes.extend_from_slice(&payload);
        let e = decode(&bytes).err().unwrap_or_default();
        assert!(e.contains("needs more than the 0 bytes left"), "{e}");
    }
}
