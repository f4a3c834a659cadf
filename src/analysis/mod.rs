//! Analyses over a network and its scenarios: the subset lattice of unblocking projects (which
//! sets of projects restore a trade route, and each project's fair share of the benefit).

pub mod lattice;
