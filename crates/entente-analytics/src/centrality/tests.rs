use super::*;

fn graph(edges: &[(&str, &str, f64)]) -> Graph {
    Graph::from_edges(
        edges
            .iter()
            .map(|&(s, t, w)| (s.to_owned(), t.to_owned(), w)),
    )
    .unwrap()
}

fn assert_close(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() < tol, "index {i}: got {g}, want {w}");
    }
}

/// The worked example of docs/methodology.md, section 5: A→B, A→C, B→C, C→A,
/// all of weight 1.
#[test]
fn worked_example() {
    let g = graph(&[
        ("A", "B", 1.0),
        ("A", "C", 1.0),
        ("B", "C", 1.0),
        ("C", "A", 1.0),
    ]);
    let pr = pagerank(&g, &PagerankOptions::default()).unwrap();
    // x_A = 0.05 + 0.85 x_C, x_B = 0.05 + 0.425 x_A, x_C = 0.05 + 0.85 (0.5 x_A + x_B)
    // solve to 686/1769, 380/1769, 703/1769.
    assert_close(
        &pr,
        &[686.0 / 1769.0, 380.0 / 1769.0, 703.0 / 1769.0],
        1e-15,
    );

    // λ x_A = x_C, λ x_B = x_A, λ x_C = x_A + x_B: λ³ = λ + 1, the plastic
    // number ρ, and x ∝ (ρ, 1, ρ²).
    let rho = 1.324_717_957_244_746_f64;
    assert!((rho.powi(3) - rho - 1.0).abs() < 1e-15);
    let norm = (rho * rho + 1.0 + rho.powi(4)).sqrt();
    let ev = eigenvector(&g, &EigenvectorOptions::default()).unwrap();
    assert_close(&ev, &[rho / norm, 1.0 / norm, rho * rho / norm], 1e-15);
    // networkx 3.6.1, eigenvector_centrality(G, tol=1e-15), for the record:
    assert_close(
        &ev,
        &[0.5484317579318062, 0.4139988855231331, 0.7265173980555679],
        1e-15,
    );

    let rows = centrality(&g, &CentralityOptions::default()).unwrap();
    let nodes: Vec<&str> = rows.iter().map(|r| r.node.as_str()).collect();
    assert_eq!(nodes, ["A", "B", "C"]);
    assert_eq!(rows[2].pagerank, pr[2]);
    assert_eq!(rows[2].eigenvector, Some(ev[2]));
}

/// a→b with b dangling: b's mass is spread over both nodes, so
/// x_a = 0.075 + 0.425 x_b and x_a + x_b = 1: x_a = 20/57.
#[test]
fn dangling_mass_is_spread_uniformly() {
    let g = graph(&[("a", "b", 3.0)]);
    let pr = pagerank(&g, &PagerankOptions::default()).unwrap();
    assert_close(&pr, &[20.0 / 57.0, 37.0 / 57.0], 1e-15);
}

#[test]
fn pagerank_sums_to_one_and_zero_weights_are_dangling() {
    let g = graph(&[
        ("a", "b", 1.0),
        ("b", "c", 2.0),
        ("c", "a", 0.5),
        ("c", "d", 0.0),
        ("d", "e", 0.0),
    ]);
    let pr = pagerank(&g, &PagerankOptions::default()).unwrap();
    assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-14);
    // d and e have no weighted in-flow: both get the floor (1 − α)/N + α D/N.
    assert_eq!(pr[3], pr[4]);
    assert!(pr.iter().all(|v| v.is_finite() && *v > 0.0));

    let all_zero = graph(&[("a", "b", 0.0), ("b", "c", 0.0)]);
    assert_close(
        &pagerank(&all_zero, &PagerankOptions::default()).unwrap(),
        &[1.0 / 3.0; 3],
        1e-15,
    );
    let ev = eigenvector(&all_zero, &EigenvectorOptions::default()).unwrap();
    assert_close(&ev, &[1.0 / 3f64.sqrt(); 3], 1e-15);
}

/// Subnormal weights: 1 / S would overflow, w / S does not.
#[test]
fn tiny_weights_behave_like_any_scale() {
    let tiny = graph(&[("a", "b", 1e-310), ("b", "a", 3e-310), ("a", "c", 2e-310)]);
    let unit = graph(&[("a", "b", 1.0), ("b", "a", 3.0), ("a", "c", 2.0)]);
    let pr = pagerank(&tiny, &PagerankOptions::default()).unwrap();
    assert!(pr.iter().all(|v| v.is_finite()));
    assert_close(
        &pr,
        &pagerank(&unit, &PagerankOptions::default()).unwrap(),
        1e-12,
    );
}

#[test]
fn duplicate_edges_are_summed_and_nodes_sorted() {
    let split = graph(&[("b", "a", 1.0), ("a", "b", 2.0), ("b", "a", 0.5)]);
    let merged = graph(&[("a", "b", 2.0), ("b", "a", 1.5)]);
    assert_eq!(split, merged);
    assert_eq!(split.nodes(), ["a", "b"]);
    assert_eq!(split.edge_count(), 2);
    assert_eq!(split.out_weights(), [2.0, 1.5]);
    assert_eq!(split.index("b"), Some(1));
    assert_eq!(split.index("c"), None);
    let edges: Vec<_> = split.edges().collect();
    assert_eq!(edges, [(1, 0, 1.5), (0, 1, 2.0)]);
}

#[test]
fn bad_edges_are_rejected() {
    let one = |s: &str, t: &str, w: f64| Graph::from_edges([(s.to_owned(), t.to_owned(), w)]);
    for w in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = one("a", "b", w).unwrap_err().to_string();
        assert!(
            err.starts_with("invalid value for `weight`: edge `a` -> `b`"),
            "{err}"
        );
    }
    let err = one("", "b", 1.0).unwrap_err().to_string();
    assert!(err.contains("empty node name"), "{err}");
    let big = [
        ("a".to_owned(), "b".to_owned(), f64::MAX),
        ("b".to_owned(), "a".to_owned(), f64::MAX),
    ];
    let err = Graph::from_edges(big).unwrap_err().to_string();
    assert!(err.contains("overflows"), "{err}");
}

#[test]
fn bad_options_and_non_convergence() {
    let g = graph(&[("a", "b", 1.0), ("b", "a", 2.0), ("b", "c", 1.0)]);
    for damping in [-0.1, 1.1, f64::NAN] {
        let opts = PagerankOptions {
            damping,
            ..Default::default()
        };
        assert!(pagerank(&g, &opts).is_err());
    }
    for tol in [0.0, -1.0, f64::NAN] {
        let opts = PagerankOptions {
            tol,
            ..Default::default()
        };
        assert!(pagerank(&g, &opts).is_err());
    }
    let opts = PagerankOptions {
        max_iter: 2,
        ..Default::default()
    };
    let err = pagerank(&g, &opts).unwrap_err().to_string();
    assert!(err.contains("did not converge"), "{err}");
    let opts = EigenvectorOptions {
        max_iter: 2,
        ..Default::default()
    };
    assert_eq!(eigenvector(&g, &opts), None);
    let rows = centrality(
        &g,
        &CentralityOptions {
            eigenvector: opts,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(rows.iter().all(|r| r.eigenvector.is_none()));
}

#[test]
fn empty_graph() {
    let g = Graph::from_edges([]).unwrap();
    assert!(g.is_empty());
    assert_eq!(pagerank(&g, &PagerankOptions::default()).unwrap(), []);
    assert_eq!(
        eigenvector(&g, &EigenvectorOptions::default()),
        Some(vec![])
    );
    assert_eq!(centrality(&g, &CentralityOptions::default()).unwrap(), []);
}

#[test]
fn euclidean_norm_survives_extreme_magnitudes() {
    assert_eq!(euclidean_norm(&[3.0, 4.0]), 5.0);
    assert_eq!(euclidean_norm(&[0.0, 0.0]), 0.0);
    let big = euclidean_norm(&[3e300, 4e300]);
    assert!((big / 5e300 - 1.0).abs() < 1e-15);
    let small = euclidean_norm(&[3e-300, 4e-300]);
    assert!((small / 5e-300 - 1.0).abs() < 1e-15);
}

/// A seeded random digraph: `n` nodes, `m` edges, some dangling nodes.
fn random_graph(n: u64, m: usize, mut state: u64) -> Graph {
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let edges: Vec<(String, String, f64)> = (0..m)
        .map(|_| {
            let s = next() % n;
            // Nodes 0..10 never get an out-edge: dangling.
            let s = s.max(10);
            let t = next() % n;
            let w = (next() >> 11) as f64 / (1u64 << 53) as f64 * 10.0;
            (format!("n{s:05}"), format!("n{t:05}"), w)
        })
        .collect();
    Graph::from_edges(edges).unwrap()
}

#[test]
fn bitwise_identical_for_any_thread_count() {
    let g = random_graph(3000, 20_000, 42);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| centrality(&g, &CentralityOptions::default()).unwrap())
    };
    let bits = |rows: &[Centrality]| -> Vec<(u64, Option<u64>)> {
        rows.iter()
            .map(|r| (r.pagerank.to_bits(), r.eigenvector.map(f64::to_bits)))
            .collect()
    };
    let one = run(1);
    assert!(one.iter().all(|r| r.eigenvector.is_some()));
    for threads in [2, 3, 8] {
        assert_eq!(bits(&run(threads)), bits(&one), "{threads} threads");
    }
}
