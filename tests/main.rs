//! The integration suite: one binary whose modules are the areas it covers.
//!
//! - `check`: `corridor check` on good data (the bundled set and a fixture) and on every kind of
//!   bad input under `tests/fixtures/bad/`, each of which must exit 1 with a message naming the
//!   file, the feature and the field.
//! - `osm`: `corridor import osm` on the shared extracts (`shared/data/osm/`, found in a parent
//!   folder; the tests fail when it is missing): counts pinned, `corridor check` passes, reloads
//!   equal the import, bytes are deterministic, broken files (`tests/fixtures/osm/`) exit 1.
//!
//! Fixtures: `tests/fixtures/tiny/` is a four-place network drawn below; `tests/fixtures/bad/<case>/`
//! holds only the broken file of each case, laid over a copy of `tiny`.
//!
//! ```text
//!   a (AZ) --rail-- b (AZ) --rail-- bx-ab (AZ|GE) ==rail (closed)== c (GE)
//!      \______________road________/   (road crossing closed) --road-- c
//! ```

mod common;

mod check;
mod osm;
