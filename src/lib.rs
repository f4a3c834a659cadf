//! # corridor
//!
//! A transport corridor route planner and simulator: it builds a multimodal network (rail, road,
//! ferry, border crossings, breaks of gauge) from GeoJSON, applies scenarios (which links and
//! borders are open, which cargo may transit which country), and answers which unblocked links
//! restore which trade routes, at what cost.
//!
//! ## The pipeline
//! 1. [`network`]: load and validate a data folder into a [`network::Network`] of typed places and links
//!    (or import one from OpenStreetMap with [`network::osm`], or reload it from [`network::cache`]).
//! 2. [`scenario`]: read scenarios and trade routes; resolve a scenario into masks and an access policy.
//! 3. [`routing`]: compile the network into a state-expanded graph (place x rail gauge / road
//!    layer), lay a scenario over it, and search it (Dijkstra, bidirectional, A*, alternatives).
//! 4. [`sim`]: traffic assignment (user equilibrium by Frank-Wolfe and its conjugate variants) on
//!    the routing core, for networks imported from TNTP files ([`network::tntp`]); the freight
//!    assignment of a data folder's demand ([`sim::freight`]), Monte Carlo disruptions and route
//!    reliability ([`sim::reliability`]), and a whole simulation plan ([`sim::simulation`]).
//! 5. [`analysis`]: compare scenarios, find which projects restore which routes (Pareto labels,
//!    subset lattice, Shapley values), judge the seed's claims, connectivity and betweenness, and
//!    which links cost most to lose ([`analysis::critical`], on the [`analysis::link_loss`] engine).
//! 6. [`output`]: write what a run found for people and GIS: GeoJSON layers with QGIS styles and a
//!    project, charts and a quick-look map, the files of each question and the run manifest,
//!    each file written atomically. Computation never writes a file; only this layer does.
//!
//! Each module uses only the modules listed before it. Beside the pipeline: [`bench`](mod@bench), the timing
//! harness of `corridor bench` (on [`routing`]); [`synth`], synthetic data folders (a
//! seeded grid, seeded projects and routes for any network) for measuring at scale; [`format`](mod@format), numbers and words for people
//! (thousands, rounding, plurals), which every layer may use; [`names`], names folded for matching
//! in any case, spelling or script and a did-you-mean for any set of ids (used by [`network`] and
//! [`scenario`]); [`util`], a seeded generator; [`build_info`], which source this build came from.
//!
//! ## Glossary
//! - **link**: a rail section, road section or ferry between two places.
//! - **crossing**: a border node where the links of two countries meet; open or closed per mode.
//! - **break of gauge**: where 1520 mm and 1435 mm rail meet; wagons change bogies or are transloaded.
//! - **transshipment**: moving cargo between rail and road at a terminal.
//! - **scenario**: a diff over a base scenario: links and crossings opened or closed, access rules.
//! - **project**: a scenario marked as one unblocking project, a candidate for restoration analysis:
//!   a *link* project (works: opens links and crossings) or a *policy* project (a political lever:
//!   adds `allow` rules, opens nothing).
//! - **access rule**: `(cargo origin, destination country, transit country or crossing, mode) ->
//!   allow | deny | penalty`, checked during the search.
//! - **zone**: a node where demand starts and ends; in a TNTP network, never passed through.
//! - **relative gap**: `(TSTT - SPTT) / TSTT`, how far link flows are from user equilibrium.
//! - **trade route**: a named origin-destination pair with the origin country of its cargo.
//! - **layer**: what cargo rides on at a place in the compiled graph: rail 1520 mm, rail 1435 mm
//!   or road; a **state** is a place in a layer, and transfers are arcs between layers.
//! - **overlay**: a scenario laid over the compiled graph as a mask and a policy, not a copy.
//! - **metric**: what a search minimises: time (h), distance (km), money (USD/t) or generalized
//!   cost (USD/t plus value of time x hours).
//! - **cargo origin / transit**: access rules apply to the country where cargo comes from, when it
//!   enters a country that is neither the route's origin nor its destination.

pub mod analysis;
pub mod bench;
pub mod build_info;
pub mod format;
pub mod names;
pub mod network;
pub mod output;
pub mod routing;
pub mod scenario;
pub mod sim;
pub mod synth;
pub mod util;
