//! Simulation over a network: static traffic assignment (all-or-nothing, MSA, Frank-Wolfe,
//! conjugate and bi-conjugate Frank-Wolfe) with BPR link costs.
//!
//! - [`bpr`]: the link cost function, its integral and derivative.
//! - [`assign`](mod@assign): the compiled [`Problem`], the solver [`assign()`](fn@assign), and
//!   the comparison with published best-known flows.
//!
//! Shortest-path trees come from one private function (`shortest::shortest_path_tree`), to be
//! replaced by the routing layer's CSR search.

pub mod assign;
pub mod bpr;
mod shortest;

pub use assign::{
    assign, best_known_in_link_order, compare_with_best_known, fit_cost_factors, AssignError,
    AssignOptions, Assignment, Comparison, CostFactors, Direction, FactorFit, Iteration, Method,
    Problem,
};
