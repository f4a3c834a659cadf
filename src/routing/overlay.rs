//! A scenario as a view over the compiled graph: which arcs are usable, extra time and money on
//! arcs, and the access policy. Building one is O(arcs); switching scenarios never touches the
//! compiled graph.

use crate::network::{LinkId, NodeId};
use crate::scenario::{PolicyRule, ResolvedScenario};

use super::csr::NONE;
use super::graph::{CompiledGraph, Layer};

/// A scenario laid over a [`CompiledGraph`].
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The scenario's id.
    pub scenario: String,
    link_open: Vec<bool>,
    crossing_open: Vec<[bool; 2]>,
    /// Usable arcs: the link is open and the crossing it enters is open for its mode.
    arc_open: Vec<bool>,
    /// Extra hours and USD/t per arc (empty until the first override).
    extra: Vec<[f64; 2]>,
    /// Access rules in order; the last matching rule wins.
    pub policy: Vec<PolicyRule>,
}

impl Overlay {
    /// Lays `scenario` over `graph`.
    ///
    /// # Complexity
    /// O(arcs).
    pub fn new(graph: &CompiledGraph, scenario: &ResolvedScenario) -> Overlay {
        let mut o = Overlay {
            scenario: scenario.id.clone(),
            link_open: scenario.link_open.clone(),
            crossing_open: scenario.crossing_open.clone(),
            arc_open: vec![false; graph.arcs.len()],
            extra: Vec::new(),
            policy: scenario.policy.clone(),
        };
        for a in 0..graph.arcs.len() as u32 {
            o.refresh(graph, a);
        }
        o
    }

    fn refresh(&mut self, graph: &CompiledGraph, arc: u32) {
        self.arc_open[arc as usize] =
            self.arc_link_open(graph, arc) && self.arc_crossing_open(graph, arc);
    }

    /// Whether the link an arc runs along is open (true for arcs of no link: transfers).
    pub fn arc_link_open(&self, graph: &CompiledGraph, arc: u32) -> bool {
        let info = graph.arc(arc);
        info.link_ix == NONE
            || self
                .link_open
                .get(info.link_ix as usize)
                .copied()
                .unwrap_or(false)
    }

    /// Whether the crossing an arc enters is open for its mode (true when it enters none).
    pub fn arc_crossing_open(&self, graph: &CompiledGraph, arc: u32) -> bool {
        let info = graph.arc(arc);
        match info.crossing {
            None => true,
            Some(node) => {
                let i = if info.to_layer == Layer::Road { 1 } else { 0 };
                self.crossing_open
                    .get(node.index())
                    .is_some_and(|modes| modes[i])
            }
        }
    }

    /// Whether an arc is usable in this scenario (before the access policy).
    #[inline]
    pub fn is_open(&self, arc: u32) -> bool {
        self.arc_open[arc as usize]
    }

    pub fn is_link_open(&self, link: LinkId) -> bool {
        self.link_open.get(link.index()).copied().unwrap_or(false)
    }

    /// Opens or closes a link (all its arcs), as a restoration or criticality analysis does.
    ///
    /// # Complexity
    /// O(arcs of the link).
    pub fn set_link_open(&mut self, graph: &CompiledGraph, link: LinkId, open: bool) {
        if let Some(x) = self.link_open.get_mut(link.index()) {
            *x = open;
            for &a in graph.arcs_of_link(link) {
                self.refresh(graph, a);
            }
        }
    }

    /// Opens or closes a crossing for rail (`road = false`) or road.
    ///
    /// # Complexity
    /// O(arcs).
    pub fn set_crossing_open(
        &mut self,
        graph: &CompiledGraph,
        node: NodeId,
        road: bool,
        open: bool,
    ) {
        if let Some(x) = self.crossing_open.get_mut(node.index()) {
            x[usize::from(road)] = open;
            for a in 0..graph.arcs.len() as u32 {
                if graph.arc(a).crossing == Some(node) {
                    self.refresh(graph, a);
                }
            }
        }
    }

    /// Adds time and money to one arc (a longer dwell, a toll), on top of the compiled costs.
    ///
    /// # Units
    /// `hours` hours, `usd_per_t` USD per tonne; both must be `>= 0` so that A*'s bound stays a
    /// lower bound (negative values are clamped to 0).
    pub fn add_cost(&mut self, graph: &CompiledGraph, arc: u32, hours: f64, usd_per_t: f64) {
        if self.extra.is_empty() {
            self.extra = vec![[0.0; 2]; graph.arcs.len()];
        }
        if let Some(e) = self.extra.get_mut(arc as usize) {
            e[0] += hours.max(0.0);
            e[1] += usd_per_t.max(0.0);
        }
    }

    /// Extra hours and USD/t on an arc.
    #[inline]
    pub fn extra(&self, arc: u32) -> [f64; 2] {
        self.extra.get(arc as usize).copied().unwrap_or([0.0; 2])
    }
}
