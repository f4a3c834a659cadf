//! # corridor
//!
//! A transport corridor route planner and simulator: it builds a multimodal network (rail, road,
//! ferry, border crossings, breaks of gauge) from GeoJSON, applies scenarios (which links and
//! borders are open, which cargo may transit which country), and answers which unblocked links
//! restore which trade routes, at what cost.
//!
//! ## The pipeline
//! 1. [`network`]: load and validate a data folder into a [`network::Network`] of typed places and links.
//! 2. [`scenario`]: read scenarios and trade routes; resolve a scenario into masks and an access policy.
//!
//! 3. [`sim`]: traffic assignment (user equilibrium by Frank-Wolfe and its conjugate variants) on
//!    a network imported from TNTP files ([`network::tntp`]).
//!
//! Each module uses only the modules listed before it.
//!
//! ## Glossary
//! - **link**: a rail section, road section or ferry between two places.
//! - **crossing**: a border node where the links of two countries meet; open or closed per mode.
//! - **break of gauge**: where 1520 mm and 1435 mm rail meet; wagons change bogies or are transloaded.
//! - **transshipment**: moving cargo between rail and road at a terminal.
//! - **scenario**: a diff over a base scenario: links and crossings opened or closed, access rules.
//! - **project**: a scenario marked as one unblocking project, a candidate for restoration analysis.
//! - **zone**: a node where demand starts and ends; in a TNTP network, never passed through.
//! - **relative gap**: `(TSTT - SPTT) / TSTT`, how far link flows are from user equilibrium.
//! - **trade route**: a named origin-destination pair with the origin country of its cargo.
//! - **cargo origin / transit**: access rules apply to the country where cargo comes from, when it
//!   enters a country that is neither the route's origin nor its destination.

pub mod analysis;
pub mod network;
pub mod scenario;
pub mod sim;
pub mod util;
