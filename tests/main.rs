//! The integration suite: one binary whose modules are the areas it covers.
//!
//! - `check`: `corridor check` on good data (the bundled set and a fixture) and on every kind of
//!   bad input under `tests/fixtures/bad/`, each of which must exit 1 with a message naming the
//!   file, the feature and the field.
//! - `output`: GeoJSON layers read back by GDAL's `ogrinfo` (geometry type, feature count, column
//!   types), scenario columns, byte-identical reruns, the QGIS project's layer order and relative
//!   paths, `corridor layers`, and the charts (SVG structure against `tests/golden/charts/`, PNGs
//!   decoded and not blank). `tests/qgis/check_project.py` (run by `.ci/run`) then opens the
//!   project in QGIS itself.
//! - `cch`: customizable contraction hierarchies against Dijkstra on 10,000 seeded pairs per graph
//!   (Bremen, Chicago Sketch, a synthetic road-like grid; the Isle of Man road graph `#[ignore]`d
//!   and run in release by `.ci/run`), as queries and as a matrix, and after closing links.
//! - `routing`: the search core against Bellman-Ford and petgraph on random graphs, the router
//!   against an independently expanded reference on random networks (gauge breaks, closed
//!   crossings, access rules, ferries), hand-drawn networks pinning each rule, and `corridor route`.
//!
//! - `policy`: access rules by cargo origin, destination and pair (schema, contradictions, unknown
//!   codes, `--to-country`), link and policy projects, dated disruptions, and the 2021 model on
//!   the bundled data (caucasus-facts §12): the bans, status-2025, the eastern Russia–Iran route,
//!   restore's named sets, the claim verdicts.
//! - `schema`: `output/README.md` as the schema: every CSV column, GeoJSON property and JSON key
//!   of `run`, `critical` and `simulate` documented, no layer property stale, counts integers.
//! - `restore`: candidate projects on a hand-drawn network with known answers (synergy,
//!   interchangeable, useless, threshold), and the Pareto search with the subset lattice against a
//!   route search per subset on seeded random networks and on the bundled data.
//! - `osm`: `corridor import osm` on the shared extracts (`shared/data/osm/`, found in a parent
//!   folder; the tests fail when it is missing): counts pinned, `corridor check` passes, reloads
//!   equal the import, bytes are deterministic, broken files (`tests/fixtures/osm/`) exit 1.
//! - `assign`: traffic assignment on hand-drawn TNTP networks with known equilibria, zones that are
//!   never passed through, thread-count independence, and the acceptance runs against the
//!   best-known flows of the shared TNTP networks (`../shared/data/tntp`; the tests fail, never
//!   skip, when it is missing). Anaheim and Chicago Sketch are `#[ignore]`d here and run in release
//!   by `.ci/run`.
//!
//! - `run`: `corridor compare`, `restore` and `run` through the binary: answers, errors, and
//!   every output byte-identical at `--threads 1` and `--threads 2` (the manifest's timings aside).
//!
//! - `critical`: bridges, articulation points and betweenness of the bundled network against a
//!   networkx fixture (`tests/fixtures/networkx/`), `corridor critical`'s answers, thread-count
//!   independence.
//!
//! - `determinism`: every command (one line each in `COMMANDS`) twice at `--threads 1`, then at
//!   2 and 4, byte for byte; a `corridor run` SIGKILLed after seeded random delays leaves `--out`
//!   as one whole generation, old or new.
//! - `formats`: every command in every `--format` (JSON parses, CSV has a header and even rows,
//!   tables are no Markdown), JSON errors on standard error with the exit code, a suggestion
//!   for a mistyped scenario, `--top` in every format, refused and honoured options.
//! - `hostile`: hostile inputs (ids that are paths, output folders that are files, read-only or
//!   symbolic links, `1e308`/`-0`/`NaN`, a million positions, deep nesting, 200 MB, combining
//!   marks, CRLF, duplicate keys), exit codes and messages, a closed stdout, inputs never written,
//!   and the regressions the fuzzers found (`tests/fixtures/fuzz/`). `docs/ROBUSTNESS.md` is
//!   their table.
//! - `simulate`: the freight assignment on the hand-drawn `freight` fixture (a class denied transit
//!   detours while another passes; a saturated crossing splits the flow at equal costs), tonnes
//!   conserved at every place on the bundled data, the Monte Carlo acceptance tests (identical at
//!   any thread count, closure probability 0 equals the deterministic result, P(reachable) within
//!   3 standard errors of 1 - p), and `corridor simulate` byte-identical at `--threads 1` and 2.
//!
//! - `shard`: `--shard I/N` and `corridor merge` for `critical`, `simulate`, `restore` and
//!   `compare` on the bundled data (and `critical` on the Isle of Man road graph): N = 1, 2, 3, 7
//!   merged byte-identical to the unsharded run; every refused set of parts; the Snakemake
//!   workflow for `critical` at N = 3.
//!
//! - `synth`: `corridor synth grid` folders load and check clean, byte-identical by seed; synthetic
//!   projects (on a grid and on the Isle of Man import) are restored exactly as built.
//!
//! - `data`: the bundled data against the corrected fact sheet (caucasus-facts §12), one test per
//!   item: statuses, published lengths along routes, the Çetinkaya junction, the eastern
//!   North–South route, no straight piece over 60 km, aliases. (`check` caps the bundled data's
//!   length warnings and checks the data README explains each.)
//!
//! - `places`: places, scenarios and routes as people type them (`route naxcivan BAKI`,
//!   `route Ереван Тбилиси`, `route 40.18,44.51 tbilisi`, `--scenario meghri-rial`), aliases in
//!   other scripts on a copy of `tiny`, and suggestions ranked by similarity.
//! - `progress`: the library's progress signal reaches each stage's total (draws, critical's
//!   pairs and link sets, restore's routes) and changes no answer.
//! - `face`: `--version` (package version, git commit, build date) and the shell completion
//!   scripts of `corridor completions`.
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
mod cch;
mod check;
mod critical;
mod data;
mod determinism;
mod face;
mod formats;
mod hostile;
mod osm;
mod output;
mod places;
mod policy;
mod progress;
mod restore;
mod routing;
mod run;
mod schema;
mod shard;
mod simulate;
mod synth;
