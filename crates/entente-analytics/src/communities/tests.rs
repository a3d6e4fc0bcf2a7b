use super::*;

fn graph(edges: &[(&str, &str, f64)]) -> UndirectedGraph {
    UndirectedGraph::from_edges(
        edges
            .iter()
            .map(|&(u, v, w)| (u.to_owned(), v.to_owned(), w)),
    )
    .unwrap()
}

fn names(groups: &[&[&str]]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}

/// Two triangles joined by one edge.
fn barbell() -> UndirectedGraph {
    graph(&[
        ("a", "b", 1.0),
        ("b", "c", 1.0),
        ("a", "c", 1.0),
        ("c", "d", 1.0),
        ("d", "e", 1.0),
        ("e", "f", 1.0),
        ("d", "f", 1.0),
    ])
}

/// The worked example of docs/methodology.md, section 7: m = 7, each
/// triangle has L_c = 3 and d_c = 7, so Q = 2 (3/7 − (7/14)²) = 5/14.
#[test]
fn worked_example() {
    let g = barbell();
    let split = names(&[&["a", "b", "c"], &["d", "e", "f"]]);
    let q = modularity(&g, &split, 1.0).unwrap();
    assert!((q - 5.0 / 14.0).abs() < 1e-15, "{q}");
    // At γ = 2: 2 (3/7 − 2 · 1/4) = −1/7.
    let q2 = modularity(&g, &split, 2.0).unwrap();
    assert!((q2 + 1.0 / 7.0).abs() < 1e-15, "{q2}");
    let part = louvain(&g, &LouvainOptions::default()).unwrap();
    assert_eq!(part.communities, split);
    assert!((part.modularity - 5.0 / 14.0).abs() < 1e-15);
}

/// Checked with networkx 3.6.1: `modularity` of {a, b} and of {a}, {b} on
/// a–a (1), a–b (1) is 0 and −0.125: a self-loop counts once in L_c and
/// twice in the degree.
#[test]
fn self_loops_follow_networkx() {
    let g = graph(&[("a", "a", 1.0), ("a", "b", 1.0)]);
    assert_eq!(g.total_weight(), 2.0);
    assert_eq!(g.degrees(), [3.0, 1.0]);
    assert_eq!(g.edge_count(), 2);
    assert_eq!(modularity(&g, &names(&[&["a", "b"]]), 1.0).unwrap(), 0.0);
    assert_eq!(
        modularity(&g, &names(&[&["b"], &["a"]]), 1.0).unwrap(),
        -0.125
    );
}

#[test]
fn resolution_zero_merges_everything() {
    let opts = LouvainOptions {
        resolution: 0.0,
        ..Default::default()
    };
    let part = louvain(&barbell(), &opts).unwrap();
    assert_eq!(part.communities, names(&[&["a", "b", "c", "d", "e", "f"]]));
    assert_eq!(part.modularity, 1.0);
}

#[test]
fn duplicate_and_reversed_edges_are_summed() {
    let g = graph(&[("b", "a", 1.0), ("a", "b", 2.0), ("c", "b", 0.5)]);
    let h = graph(&[("a", "b", 3.0), ("b", "c", 0.5)]);
    assert_eq!(g, h);
    assert_eq!(g.nodes(), ["a", "b", "c"]);
    assert_eq!(g.index("c"), Some(2));
    assert_eq!(g.total_weight(), 3.5);
    let err = UndirectedGraph::from_edges([("a".to_owned(), "b".to_owned(), -1.0)])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("invalid value for `weight`"), "{err}");
}

#[test]
fn from_directed_sums_both_directions() {
    let d = Graph::from_edges([
        ("a".to_owned(), "b".to_owned(), 1.0),
        ("b".to_owned(), "a".to_owned(), 2.0),
        ("b".to_owned(), "c".to_owned(), 0.5),
        ("c".to_owned(), "c".to_owned(), 4.0),
    ])
    .unwrap();
    let u = UndirectedGraph::from_directed(&d).unwrap();
    assert_eq!(
        u,
        graph(&[("a", "b", 3.0), ("b", "c", 0.5), ("c", "c", 4.0)])
    );
}

#[test]
fn modularity_rejects_non_partitions() {
    let g = barbell();
    let check = |groups: &[&[&str]], want: &str| {
        let err = modularity(&g, &names(groups), 1.0).unwrap_err().to_string();
        assert!(err.contains(want), "{err}");
    };
    check(
        &[&["a", "b", "c", "d", "e", "f", "x"]],
        "`x` is not in the graph",
    );
    check(
        &[&["a", "b", "c"], &["c", "d", "e", "f"]],
        "`c` is in more than one",
    );
    check(&[&["a", "b", "c"], &["d", "e"]], "`f` is in no community");
    let all = names(&[&["a", "b", "c", "d", "e", "f"], &[]]);
    assert!(modularity(&g, &all, 1.0).unwrap().abs() < 1e-15);
    assert!(modularity(&g, &all, f64::NAN).is_err());
}

#[test]
fn bad_options_are_rejected() {
    let g = barbell();
    let bad = [
        LouvainOptions {
            resolution: -1.0,
            ..Default::default()
        },
        LouvainOptions {
            resolution: f64::INFINITY,
            ..Default::default()
        },
        LouvainOptions {
            threshold: f64::NAN,
            ..Default::default()
        },
        LouvainOptions {
            restarts: 0,
            ..Default::default()
        },
    ];
    for opts in bad {
        assert!(louvain(&g, &opts).is_err(), "{opts:?}");
    }
}

#[test]
fn graphs_without_weight() {
    let empty = UndirectedGraph::from_edges([]).unwrap();
    let part = louvain(&empty, &LouvainOptions::default()).unwrap();
    assert_eq!(part.communities, Vec::<Vec<String>>::new());
    assert_eq!(part.modularity, 0.0);
    let zero = graph(&[("a", "b", 0.0), ("b", "c", 0.0)]);
    let part = louvain(&zero, &LouvainOptions::default()).unwrap();
    assert_eq!(part.communities, names(&[&["a"], &["b"], &["c"]]));
    assert_eq!(part.modularity, 0.0);
}

#[test]
fn splitmix64_matches_the_reference() {
    // Reference outputs of Vigna's splitmix64.c from state 0.
    let mut rng = SplitMix64 { state: 0 };
    assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
    assert_eq!(rng.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    let mut items: Vec<usize> = (0..100).collect();
    SplitMix64::new(7, 3).shuffle(&mut items);
    assert_ne!(items, (0..100).collect::<Vec<_>>());
    items.sort_unstable();
    assert_eq!(items, (0..100).collect::<Vec<_>>());
}

/// A seeded planted partition: `groups` groups of `size` nodes.
fn planted(groups: usize, size: usize, seed: u64) -> UndirectedGraph {
    let mut rng = SplitMix64::new(seed, 0);
    let n = groups * size;
    let mut edges = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let p = if i / size == j / size { 0.3 } else { 0.02 };
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            if u < p {
                let w = 1.0 + (rng.next_u64() % 400) as f64 / 100.0;
                edges.push((format!("v{i:03}"), format!("v{j:03}"), w));
            }
        }
    }
    UndirectedGraph::from_edges(edges).unwrap()
}

#[test]
fn finds_planted_groups() {
    let g = planted(4, 25, 1);
    let part = louvain(&g, &LouvainOptions::default()).unwrap();
    assert_eq!(part.communities.len(), 4);
    for c in &part.communities {
        let group = |name: &String| name[1..].parse::<usize>().unwrap() / 25;
        assert!(c.iter().all(|v| group(v) == group(&c[0])), "{c:?}");
    }
    let q = modularity(&g, &part.communities, 1.0).unwrap();
    assert!((q - part.modularity).abs() < 1e-15);
}

#[test]
fn bitwise_identical_for_any_thread_count() {
    let g = planted(6, 30, 9);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| louvain(&g, &LouvainOptions::default()).unwrap())
    };
    let one = run(1);
    for threads in [2, 3, 8] {
        let other = run(threads);
        assert_eq!(other.communities, one.communities, "{threads} threads");
        assert_eq!(other.modularity.to_bits(), one.modularity.to_bits());
    }
}
