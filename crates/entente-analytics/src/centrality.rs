//! Network centrality on weighted directed graphs: PageRank (Brin and Page
//! 1998) and eigenvector centrality (Bonacich 1987).
//!
//! Both follow networkx 3.6 (`pagerank` and `eigenvector_centrality`) and are
//! tested against its results in `tests/fixtures/centrality`:
//!
//! - PageRank: power iteration from the uniform vector, a dangling node's
//!   (zero out-weight) mass spread uniformly over all nodes, stop when the L1
//!   change is below `N · tol`, no renormalisation of the result.
//! - Eigenvector centrality scores a node by its in-edges (the left
//!   eigenvector of the weight matrix `W`): power iteration on `Wᵀ + I`, each
//!   iterate scaled to unit Euclidean norm, same stopping rule; `None` when it
//!   does not converge.
//!
//! Each iteration runs in parallel over nodes; a node's new value sums its
//! in-edges sequentially in source-name order, and the norms are sequential
//! sums, so the results are bitwise identical for any rayon thread count.
//! docs/methodology.md (section 5) has the formulas and a worked example.

use std::collections::{BTreeMap, BTreeSet};

use entente_model::{Centrality, ModelError};
use rayon::prelude::*;

/// Below this many nodes per rayon task, splitting costs more than it saves.
const MIN_NODES_PER_TASK: usize = 256;

/// A weighted directed graph with string node names.
///
/// Nodes are the names that occur in the edges, ordered by name (byte order),
/// and indexed `0..node_count()` in that order. Edges are stored by target,
/// each target's in-edges ordered by source. Weights are finite and
/// non-negative; a self-loop is an ordinary edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    names: Vec<String>,
    /// In-edges of node `v` are `in_ptr[v]..in_ptr[v + 1]`.
    in_ptr: Vec<usize>,
    in_src: Vec<usize>,
    in_weight: Vec<f64>,
    /// Weighted out-degree of each node.
    out_weight: Vec<f64>,
}

/// Checks one edge's weight and names: both names non-empty, the weight finite
/// and non-negative.
pub(crate) fn check_edge(source: &str, target: &str, weight: f64) -> Result<(), ModelError> {
    if source.is_empty() || target.is_empty() {
        return Err(ModelError::InvalidValue {
            field: "node",
            reason: format!("edge `{source}` -> `{target}` has an empty node name"),
        });
    }
    if !weight.is_finite() || weight < 0.0 {
        return Err(ModelError::InvalidValue {
            field: "weight",
            reason: format!(
                "edge `{source}` -> `{target}` has weight `{weight}`; weights must be finite and non-negative"
            ),
        });
    }
    Ok(())
}

/// The error for a graph whose total weight is not a finite number.
pub(crate) fn overflow_error() -> ModelError {
    ModelError::InvalidValue {
        field: "weight",
        reason: "the total edge weight overflows (exceeds `f64::MAX`)".to_owned(),
    }
}

impl Graph {
    /// Builds a graph from `(source, target, weight)` edges.
    ///
    /// Duplicate `(source, target)` pairs are merged by summing their weights
    /// (in input order). Weights must be finite and non-negative, node names
    /// non-empty, and the total weight finite; otherwise this returns
    /// [`ModelError::InvalidValue`] naming the edge. A zero-weight edge adds a
    /// node but carries nothing.
    pub fn from_edges(
        edges: impl IntoIterator<Item = (String, String, f64)>,
    ) -> Result<Graph, ModelError> {
        let mut merged: BTreeMap<(String, String), f64> = BTreeMap::new();
        for (source, target, weight) in edges {
            check_edge(&source, &target, weight)?;
            *merged.entry((source, target)).or_insert(0.0) += weight;
        }
        let names: Vec<String> = merged
            .keys()
            .flat_map(|(s, t)| [s, t])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .cloned()
            .collect();
        let index = |name: &str| names.binary_search_by(|n| n.as_str().cmp(name)).ok();
        let n = names.len();
        let mut out_weight = vec![0.0; n];
        let mut total = 0.0;
        // (target, source, weight); `merged` is ordered by (source, target).
        let mut by_target: Vec<(usize, usize, f64)> = Vec::with_capacity(merged.len());
        for ((s, t), w) in &merged {
            let (Some(si), Some(ti)) = (index(s), index(t)) else {
                unreachable!("every edge endpoint is in `names`");
            };
            out_weight[si] += w;
            total += w;
            by_target.push((ti, si, *w));
        }
        if !f64::is_finite(total) {
            return Err(overflow_error());
        }
        by_target.sort_by_key(|&(t, s, _)| (t, s));
        let mut in_ptr = vec![0; n + 1];
        for &(t, _, _) in &by_target {
            in_ptr[t + 1] += 1;
        }
        for v in 0..n {
            in_ptr[v + 1] += in_ptr[v];
        }
        Ok(Graph {
            names,
            in_ptr,
            in_src: by_target.iter().map(|e| e.1).collect(),
            in_weight: by_target.iter().map(|e| e.2).collect(),
            out_weight,
        })
    }

    /// Node names, ordered by name; a node's index is its position here.
    pub fn nodes(&self) -> &[String] {
        &self.names
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.names.len()
    }

    /// Number of distinct `(source, target)` edges.
    pub fn edge_count(&self) -> usize {
        self.in_src.len()
    }

    /// Whether the graph has no node.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The index of the node called `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()
    }

    /// The weighted out-degree of each node (sum of its out-edge weights).
    pub fn out_weights(&self) -> &[f64] {
        &self.out_weight
    }

    /// Edges as `(source index, target index, weight)`, ordered by target and
    /// then source.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        (0..self.node_count()).flat_map(move |v| {
            self.in_range(v)
                .map(move |e| (self.in_src[e], v, self.in_weight[e]))
        })
    }

    fn in_range(&self, v: usize) -> std::ops::Range<usize> {
        self.in_ptr[v]..self.in_ptr[v + 1]
    }
}

/// Options of [`pagerank`]. The default is networkx's damping with a much
/// tighter tolerance than networkx's default `1e-6`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PagerankOptions {
    /// Damping factor α in `[0, 1]`: the probability of following an edge
    /// rather than jumping to a uniformly random node. Default 0.85.
    pub damping: f64,
    /// Stopping tolerance per node: iteration stops when the L1 change of the
    /// vector is below `N · tol`. Must be positive. Default `1e-15`.
    pub tol: f64,
    /// Maximum number of iterations. Default 1000 (the error shrinks by a
    /// factor α per iteration, so about 220 suffice at the defaults).
    pub max_iter: usize,
}

impl Default for PagerankOptions {
    fn default() -> Self {
        PagerankOptions {
            damping: 0.85,
            tol: 1e-15,
            max_iter: 1000,
        }
    }
}

/// Options of [`eigenvector`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EigenvectorOptions {
    /// Stopping tolerance per node: iteration stops when the L1 change of the
    /// unit-norm vector is below `N · tol`. Default `1e-15`.
    pub tol: f64,
    /// Maximum number of iterations. Default 10 000: convergence is geometric
    /// with rate `|1 + λ₂| / (1 + λ₁)`, which can be close to 1.
    pub max_iter: usize,
}

impl Default for EigenvectorOptions {
    fn default() -> Self {
        EigenvectorOptions {
            tol: 1e-15,
            max_iter: 10_000,
        }
    }
}

/// Options of [`centrality`]: one set per measure.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CentralityOptions {
    /// PageRank options.
    pub pagerank: PagerankOptions,
    /// Eigenvector centrality options.
    pub eigenvector: EigenvectorOptions,
}

/// PageRank of every node, indexed like [`Graph::nodes`].
///
/// Power iteration from `x = 1/N`:
/// `x'_v = α (Σ_{u→v} x_u w_uv / S_u + D/N) + (1 − α)/N`, where `S_u` is the
/// weighted out-degree of `u` and `D = Σ_{S_u = 0} x_u` the mass on dangling
/// nodes, which is spread uniformly (networkx's default). Stops when
/// `Σ_v |x'_v − x_v| < N · tol` and returns `x'` as it is (it sums to 1 up to
/// rounding). An empty graph gives an empty vector.
///
/// Errors with [`ModelError::InvalidValue`] when `damping` is not in `[0, 1]`,
/// `tol` is not positive, or the iteration has not converged after `max_iter`
/// steps.
pub fn pagerank(graph: &Graph, opts: &PagerankOptions) -> Result<Vec<f64>, ModelError> {
    let PagerankOptions {
        damping,
        tol,
        max_iter,
    } = *opts;
    if !(0.0..=1.0).contains(&damping) {
        return Err(ModelError::InvalidValue {
            field: "damping",
            reason: format!("`{damping}` is not in [0, 1]"),
        });
    }
    if tol.is_nan() || tol <= 0.0 {
        return Err(ModelError::InvalidValue {
            field: "tol",
            reason: format!("`{tol}` is not positive"),
        });
    }
    let n = graph.node_count();
    if n == 0 {
        return Ok(Vec::new());
    }
    let nf = n as f64;
    let inv_n = 1.0 / nf;
    let teleport = (1.0 - damping) * inv_n;
    // Transition probability of each in-edge, w_uv / S_u (at most 1, even
    // for subnormal weights, where networkx's w_uv · (1 / S_u) overflows); an
    // edge out of a dangling node (all its out-edges weigh 0) carries nothing.
    let prob: Vec<f64> = graph
        .in_src
        .iter()
        .zip(&graph.in_weight)
        .map(|(&u, &w)| {
            let s = graph.out_weight[u];
            if s == 0.0 { 0.0 } else { w / s }
        })
        .collect();
    let dangling: Vec<usize> = (0..n).filter(|&u| graph.out_weight[u] == 0.0).collect();
    let mut x = vec![inv_n; n];
    let mut next = Vec::with_capacity(n);
    for _ in 0..max_iter {
        let dangling_mass: f64 = dangling.iter().map(|&u| x[u]).sum();
        let spread = dangling_mass * inv_n;
        (0..n)
            .into_par_iter()
            .with_min_len(MIN_NODES_PER_TASK)
            .map(|v| {
                let mut s = 0.0;
                for e in graph.in_range(v) {
                    s += x[graph.in_src[e]] * prob[e];
                }
                damping * (s + spread) + teleport
            })
            .collect_into_vec(&mut next);
        let err = l1_distance(&next, &x);
        std::mem::swap(&mut x, &mut next);
        if err < nf * tol {
            return Ok(x);
        }
    }
    Err(ModelError::InvalidValue {
        field: "max_iter",
        reason: format!(
            "pagerank did not converge within `{max_iter}` iterations at tolerance `{tol}`"
        ),
    })
}

/// Eigenvector centrality of every node (indexed like [`Graph::nodes`]), or
/// `None` when the power iteration does not converge within `max_iter` steps.
///
/// A node is central when central nodes point to it: this is the left
/// eigenvector of the weight matrix `W` for its largest eigenvalue, as in
/// networkx. Starting from `x = 1/N`, each step computes
/// `x'_v = x_v + Σ_{u→v} w_uv x_u` (power iteration on `Wᵀ + I`, whose shift
/// makes periodic graphs converge too), then scales `x'` to unit Euclidean
/// norm. Stops when `Σ_v |x'_v − x_v| < N · tol`. Values are non-negative; a
/// node that no strongly connected core reaches gets (nearly) 0. An empty
/// graph gives `Some` of an empty vector.
pub fn eigenvector(graph: &Graph, opts: &EigenvectorOptions) -> Option<Vec<f64>> {
    let n = graph.node_count();
    if n == 0 {
        return Some(Vec::new());
    }
    let nf = n as f64;
    let mut x = vec![1.0 / nf; n];
    let mut next = Vec::with_capacity(n);
    for _ in 0..opts.max_iter {
        (0..n)
            .into_par_iter()
            .with_min_len(MIN_NODES_PER_TASK)
            .map(|v| {
                let mut s = x[v];
                for e in graph.in_range(v) {
                    s += x[graph.in_src[e]] * graph.in_weight[e];
                }
                s
            })
            .collect_into_vec(&mut next);
        let norm = euclidean_norm(&next);
        if !norm.is_finite() {
            return None;
        }
        // networkx divides by `norm or 1`: an all-zero vector stays as it is.
        let norm = if norm == 0.0 { 1.0 } else { norm };
        for value in &mut next {
            *value /= norm;
        }
        let err = l1_distance(&next, &x);
        std::mem::swap(&mut x, &mut next);
        if err < nf * opts.tol {
            return Some(x);
        }
    }
    None
}

/// PageRank and eigenvector centrality of every node, sorted by node name.
///
/// `eigenvector` is `None` on every row when that iteration did not converge.
/// Errors as [`pagerank`] does.
pub fn centrality(graph: &Graph, opts: &CentralityOptions) -> Result<Vec<Centrality>, ModelError> {
    let pr = pagerank(graph, &opts.pagerank)?;
    let ev = eigenvector(graph, &opts.eigenvector);
    Ok(graph
        .names
        .iter()
        .enumerate()
        .map(|(i, node)| Centrality {
            node: node.clone(),
            pagerank: pr[i],
            eigenvector: ev.as_ref().map(|ev| ev[i]),
        })
        .collect())
}

/// `Σ |a_i − b_i|`, summed sequentially in index order.
fn l1_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| (a - b).abs()).sum()
}

/// The Euclidean norm, summed sequentially in index order; rescaled by the
/// largest magnitude when the plain sum of squares would overflow or lose
/// precision to underflow.
fn euclidean_norm(x: &[f64]) -> f64 {
    let squares: f64 = x.iter().map(|v| v * v).sum();
    if squares.is_finite() && squares >= f64::MIN_POSITIVE {
        return squares.sqrt();
    }
    let max = x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if max == 0.0 || !max.is_finite() {
        return max;
    }
    let scaled: f64 = x.iter().map(|v| (v / max) * (v / max)).sum();
    max * scaled.sqrt()
}

#[cfg(test)]
mod tests;
