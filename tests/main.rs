//! The integration suite: one binary whose modules are the areas it covers.
//!
//! - `check`: `corridor check` on good data (the bundled set and a fixture) and on every kind of
//!   bad input under `tests/fixtures/bad/`, each of which must exit 1 with a message naming the
//!   file, the feature and the field.
//!
//! - `assign`: traffic assignment on hand-drawn TNTP networks with known equilibria, zones that are
//!   never passed through, thread-count independence, and the acceptance runs against the
//!   best-known flows of the shared TNTP networks (`../shared/data/tntp`; the tests fail, never
//!   skip, when it is missing). Anaheim and Chicago Sketch are `#[ignore]`d here and run in release
//!   by `.ci/run`.
//!
//! Fixtures: `tests/fixtures/tiny/` is a four-place network drawn below; `tests/fixtures/bad/<case>/`
//! holds only the broken file of each case, laid over a copy of `tiny`.
//!
//! ```text
//!   a (AZ) --rail-- b (AZ) --rail-- bx-ab (AZ|GE) ==rail (closed)== c (GE)
//!      \______________road________/   (road crossing closed) --road-- c
//! ```

mod common;

mod assign;
mod check;
