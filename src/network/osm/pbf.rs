//! Reading an `.osm.pbf` file: a framing check of the whole file first (so that a truncated or
//! foreign file fails with the byte offset where it goes wrong, before any work), then passes
//! over its decoded blocks with the `osmpbf` crate.
//!
//! The PBF format is a sequence of blobs, each `u32` big-endian header length, a `BlobHeader`
//! protobuf message (`type`, `datasize`), then `datasize` bytes of `Blob`. The first blob of an
//! OSM file is an `OSMHeader`; the rest `OSMData` blocks of nodes, then ways, then relations.

use std::fs::File;
use std::io::{BufReader, Cursor, ErrorKind, Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use osmpbf::{BlobDecode, BlobReader, PrimitiveBlock};

use super::OsmError;

/// Largest blob header the format allows (the `osmpbf` crate's limit, from the PBF spec).
const MAX_HEADER_BYTES: u32 = 64 * 1024;
/// Largest compressed or raw blob the format allows (32 MiB, from the PBF spec).
const MAX_BLOB_BYTES: u64 = 32 * 1024 * 1024;

/// Where the bytes of an extract are: a file (read in passes, never held whole) or memory.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    File(&'a Path),
    Bytes(&'a [u8]),
}

/// The shape of a PBF file: its size and number of blobs.
#[derive(Debug, Clone, Copy)]
pub struct FileShape {
    pub bytes: u64,
    pub blobs: usize,
}

/// Walks the blob framing of the whole file without decoding any block.
///
/// # Errors
/// [`OsmError::NotPbf`] when the first blob is not an `OSMHeader` (or the file is empty or not
/// framed like a PBF file); [`OsmError::Corrupt`] naming the blob and byte offset when a later
/// blob is cut short or out of bounds.
pub fn check_framing(path: &Path, input: Input<'_>) -> Result<FileShape, OsmError> {
    let io = |e: std::io::Error| OsmError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    match input {
        Input::Bytes(b) => check_framing_of(path, Cursor::new(b), b.len() as u64),
        Input::File(file_path) => {
            let file = File::open(file_path).map_err(io)?;
            let meta = file.metadata().map_err(io)?;
            if meta.is_dir() {
                return Err(OsmError::Io {
                    path: path.to_path_buf(),
                    message: "is a folder, not a file".into(),
                });
            }
            check_framing_of(path, BufReader::new(file), meta.len())
        }
    }
}

fn check_framing_of(
    path: &Path,
    mut r: impl Read + Seek,
    bytes: u64,
) -> Result<FileShape, OsmError> {
    let io = |e: std::io::Error| OsmError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut offset = 0u64;
    let mut blobs = 0usize;
    let fail = |blob: usize, offset: u64, message: String| {
        if blob == 0 {
            OsmError::NotPbf {
                path: path.to_path_buf(),
                message,
            }
        } else {
            OsmError::Corrupt {
                path: path.to_path_buf(),
                block: blob,
                offset,
                message,
            }
        }
    };
    while offset < bytes {
        let mut len = [0u8; 4];
        if bytes - offset < 4 {
            return Err(fail(
                blobs,
                offset,
                format!(
                    "file ends {} bytes into a blob header length",
                    bytes - offset
                ),
            ));
        }
        r.read_exact(&mut len).map_err(io)?;
        let header_len = u32::from_be_bytes(len);
        if header_len == 0 || header_len >= MAX_HEADER_BYTES {
            return Err(fail(
                blobs,
                offset,
                format!("blob header length {header_len} is outside 1..{MAX_HEADER_BYTES}"),
            ));
        }
        let after_header = offset + 4 + u64::from(header_len);
        if after_header > bytes {
            return Err(fail(
                blobs,
                offset,
                format!(
                    "truncated: the blob header needs {header_len} bytes, the file ends after {}",
                    bytes - offset - 4
                ),
            ));
        }
        let mut header = vec![0u8; header_len as usize];
        r.read_exact(&mut header).map_err(io)?;
        let (kind, datasize) = parse_blob_header(&header).map_err(|m| fail(blobs, offset, m))?;
        if blobs == 0 && kind != "OSMHeader" {
            return Err(fail(
                0,
                offset,
                format!("the first block is {kind:?}, expected \"OSMHeader\""),
            ));
        }
        if datasize > MAX_BLOB_BYTES {
            return Err(fail(
                blobs,
                offset,
                format!("blob size {datasize} is over the format's {MAX_BLOB_BYTES} byte limit"),
            ));
        }
        if after_header + datasize > bytes {
            return Err(fail(
                blobs,
                offset,
                format!(
                    "truncated: the {kind} blob needs {datasize} bytes, the file ends after {}",
                    bytes - after_header
                ),
            ));
        }
        r.seek(SeekFrom::Current(datasize as i64)).map_err(io)?;
        offset = after_header + datasize;
        blobs += 1;
    }
    if blobs == 0 {
        return Err(fail(0, 0, "the file is empty".into()));
    }
    Ok(FileShape { bytes, blobs })
}

/// Reads the `type` (field 1, string) and `datasize` (field 3, int32) of a `BlobHeader` message.
fn parse_blob_header(buf: &[u8]) -> Result<(String, u64), String> {
    let mut pos = 0usize;
    let mut kind = None;
    let mut datasize = None;
    while pos < buf.len() {
        let key = varint(buf, &mut pos)?;
        match (key >> 3, key & 7) {
            (field, 2) => {
                let len = varint(buf, &mut pos)? as usize;
                let end = pos
                    .checked_add(len)
                    .filter(|&e| e <= buf.len())
                    .ok_or("blob header: a field runs past its end")?;
                if field == 1 {
                    kind = Some(String::from_utf8_lossy(&buf[pos..end]).into_owned());
                }
                pos = end;
            }
            (field, 0) => {
                let v = varint(buf, &mut pos)?;
                if field == 3 {
                    datasize = Some(v);
                }
            }
            (_, wire) => return Err(format!("blob header: unexpected wire type {wire}")),
        }
    }
    match (kind, datasize) {
        (Some(k), Some(d)) => Ok((k, d)),
        _ => Err("blob header lacks its type or size".into()),
    }
}

fn varint(buf: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*pos).ok_or("blob header: truncated number")?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("blob header: number too long".into())
}

/// Calls `f` on every data block of the file, in file order.
///
/// The decoder is a third-party crate that may panic on some corrupt input (an unknown member
/// type, an overflowing delta); such a panic becomes an [`OsmError::Corrupt`] rather than
/// bringing down the caller.
///
/// # Errors
/// [`OsmError::Corrupt`] naming the block that failed to read or decode, and why.
pub fn for_each_block(
    path: &Path,
    input: Input<'_>,
    f: impl FnMut(&PrimitiveBlock),
) -> Result<(), OsmError> {
    match input {
        Input::Bytes(b) => blocks_of(path, BlobReader::new(Cursor::new(b)), f),
        Input::File(file_path) => {
            let reader = BlobReader::from_path(file_path).map_err(|e| OsmError::Io {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
            blocks_of(path, reader, f)
        }
    }
}

fn blocks_of<R: Read + Send>(
    path: &Path,
    reader: BlobReader<R>,
    mut f: impl FnMut(&PrimitiveBlock),
) -> Result<(), OsmError> {
    for (index, blob) in reader.enumerate() {
        let corrupt = |offset: Option<u64>, message: String| OsmError::Corrupt {
            path: path.to_path_buf(),
            block: index,
            offset: offset.unwrap_or(0),
            message,
        };
        let blob = blob.map_err(|e| corrupt(None, describe(&e)))?;
        let offset = blob.offset().map(|o| o.0);
        let result = catch_unwind(AssertUnwindSafe(|| match blob.decode() {
            Ok(BlobDecode::OsmData(block)) => {
                f(&block);
                Ok(())
            }
            Ok(BlobDecode::OsmHeader(_) | BlobDecode::Unknown(_)) => Ok(()),
            Err(e) => Err(describe(&e)),
        }));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(message)) => return Err(corrupt(offset, message)),
            Err(_) => {
                return Err(corrupt(
                    offset,
                    "the PBF decoder failed on this block (corrupt data)".into(),
                ))
            }
        }
    }
    Ok(())
}

fn describe(e: &osmpbf::Error) -> String {
    match e.kind() {
        osmpbf::ErrorKind::Io(io) if io.kind() == ErrorKind::UnexpectedEof => {
            "truncated: the file ends inside a block".into()
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_header_fields_are_read() {
        // type = "OSMData" (field 1), datasize = 300 (field 3, varint ac 02)
        let mut buf = vec![0x0a, 7];
        buf.extend_from_slice(b"OSMData");
        buf.extend_from_slice(&[0x18, 0xac, 0x02]);
        assert_eq!(parse_blob_header(&buf), Ok(("OSMData".into(), 300)));
        assert!(parse_blob_header(&buf[..5]).is_err());
        assert!(parse_blob_header(&[0x18]).is_err());
    }
}
