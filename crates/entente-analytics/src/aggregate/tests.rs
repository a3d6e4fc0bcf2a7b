use entente_model::{Actor, CameoCode, Date, Provenance};

use super::*;

fn ev(date: &str, a: &str, b: Option<&str>, code: &str, tone: f64, articles: u32) -> Event {
    let c = |s: &str| Some(CountryId::new(s).unwrap());
    Event {
        id: None,
        date: Date::parse(date).unwrap(),
        source: Actor {
            country: c(a),
            sector: None,
        },
        target: Actor {
            country: b.and_then(c),
            sector: None,
        },
        code: CameoCode::parse(code).unwrap(),
        goldstein: CameoCode::parse(code).unwrap().goldstein(),
        mentions: None,
        sources: None,
        articles: Some(articles),
        tone: Some(tone),
        source_url: None,
        description: None,
        provenance: Provenance {
            dataset: "t".into(),
            row: 1,
        },
    }
}

fn sample() -> Vec<Event> {
    vec![
        ev("2024-05-16", "RUS", Some("CHN"), "042", 2.5, 10),
        ev("2024-05-16", "CHN", Some("RUS"), "043", 1.5, 4),
        ev("2024-05-20", "RUS", Some("CHN"), "0311", -0.5, 1),
        ev("2024-05-23", "CHN", Some("TWN"), "150", -6.0, 7),
        ev("2024-06-01", "RUS", Some("RUS"), "010", 0.0, 1),
        ev("2024-06-02", "RUS", None, "010", 0.0, 1),
    ]
}

#[test]
fn hand_computed_month_table() {
    let mut t = EventTable::new(AggregateOptions::default());
    sample().iter().for_each(|e| t.add(e));
    let rows = t.rows();
    let view: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} {} n={} g={} q={:?} tone={:?} art={}",
                r.period,
                r.source,
                r.target,
                r.events,
                r.goldstein_sum,
                r.quad,
                r.tone_mean(),
                r.articles
            )
        })
        .collect();
    assert_eq!(
        view,
        [
            "2024-05 CHN RUS n=1 g=2.8 q=[1, 0, 0, 0] tone=Some(1.5) art=4",
            "2024-05 CHN TWN n=1 g=-7.2 q=[0, 0, 0, 1] tone=Some(-6.0) art=7",
            "2024-05 RUS CHN n=2 g=7.1 q=[2, 0, 0, 0] tone=Some(1.0) art=11",
        ]
    );
    assert_eq!(
        t.skipped(),
        Skipped {
            self_dyad: 1,
            non_state: 1
        }
    );
    assert_eq!(t.volume(Period::parse("2024-06").unwrap()), 2);
}

#[test]
fn undirected_view_folds_both_directions() {
    let mut t = EventTable::new(AggregateOptions {
        directed: false,
        ..Default::default()
    });
    sample().iter().for_each(|e| t.add(e));
    let rows = t.rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0].source.as_str(),
            rows[0].target.as_str(),
            rows[0].events
        ),
        ("CHN", "RUS", 3)
    );
}

#[test]
fn merging_any_split_equals_one_pass() {
    let events = sample();
    let mut whole = EventTable::new(AggregateOptions::default());
    events.iter().for_each(|e| whole.add(e));
    for cut in 0..=events.len() {
        let parts = vec![events[..cut].to_vec(), events[cut..].to_vec()];
        let merged = aggregate_par(&parts, AggregateOptions::default());
        assert_eq!(merged.rows(), whole.rows(), "cut at {cut}");
        assert_eq!(merged.skipped(), whole.skipped());
    }
}

#[test]
fn narrow_counters_carry_exactly() {
    let e = &sample()[0];
    let mut t = EventTable::new(AggregateOptions::default());
    t.add(e);
    let root = usize::from(e.code.root() - 1);
    {
        let c = &mut t.pages[0][0];
        c.events = u32::MAX;
        c.roots[root] = u32::MAX;
        c.goldstein = i64::MAX - 1;
        c.tone = i64::MIN + 1;
    }
    t.add(e);
    // A second table with the same wrapped state, merged in, carries again.
    let mut u = t.clone();
    u.merge(t.clone());
    for (table, times) in [(&t, 1i128), (&u, 2)] {
        let r = &table.rows()[0];
        let g = i128::from(i64::MAX - 1) + i128::from(fixed(e.goldstein));
        let tone = i128::from(i64::MIN + 1) + i128::from(fixed(e.tone.unwrap()));
        assert_eq!(r.events, ((i128::from(u32::MAX) + 1) * times) as u64);
        assert_eq!(r.roots[root], r.events);
        assert_eq!(r.quad.iter().sum::<u64>(), r.events);
        assert_eq!(r.goldstein_sum, unfixed(g * times));
        assert_eq!(r.tone_sum, unfixed(tone * times));
    }
}

#[test]
fn keys_sort_like_periods_and_ids() {
    for kind in [
        PeriodKind::Day,
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Year,
    ] {
        let mut t = EventTable::new(AggregateOptions {
            period: kind,
            ..Default::default()
        });
        for (d, a, b) in [
            ("2024-12-31", "ZWE", "AFG"),
            ("1999-01-01", "USA", "CHN"),
            ("2024-01-01", "AFG", "ZWE"),
            ("2024-01-01", "AFG", "ALB"),
            ("2023-06-15", "RUS", "CHN"),
        ] {
            t.add(&ev(d, a, Some(b), "042", 1.0, 1));
        }
        let rows = t.rows();
        let keys: Vec<(Period, CountryId, CountryId)> = rows
            .iter()
            .map(|r| (r.period, r.source, r.target))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{kind:?}");
        assert_eq!(rows.len(), 5);
        let p = Date::parse("2024-01-01").unwrap().period(kind);
        assert!(t.volume(p) >= 2, "{kind:?}");
        let mut batched = Vec::new();
        t.for_each_batch(2, |b| batched.extend_from_slice(b));
        assert_eq!(batched, rows);
    }
}

/// Runs taken at any point, kept in memory or spilled to bytes, merge to the
/// one-pass table: the path `cargo xtask aggregate` takes to bound memory.
#[test]
fn spilled_runs_merge_to_the_one_pass_table() {
    let mut events = sample();
    // More keys, so runs overlap in some keys and not in others.
    for (i, (a, b)) in [
        ("USA", "GBR"),
        ("GBR", "USA"),
        ("RUS", "CHN"),
        ("FRA", "DEU"),
    ]
    .iter()
    .enumerate()
    {
        for day in 1..=3 {
            let date = format!("2024-0{}-0{day}", 4 + i % 3);
            events.push(ev(&date, a, Some(b), "057", f64::from(day) - 1.5, day));
        }
    }
    let mut whole = EventTable::new(AggregateOptions::default());
    events.iter().for_each(|e| whole.add(e));
    let want = whole.rows();
    for every in 1..=events.len() {
        for spill_mask in [0u32, 0b0101, u32::MAX] {
            let mut t = EventTable::new(AggregateOptions::default());
            let mut runs = Vec::new();
            let mut taken = 0;
            for (i, e) in events.iter().enumerate() {
                t.add(e);
                if (i + 1) % every == 0 {
                    let run = t.take_run();
                    assert!(t.is_empty());
                    runs.push(if spill_mask >> (taken % 32) & 1 == 1 {
                        let mut bytes = Vec::new();
                        let s = run.spill(&mut bytes).unwrap();
                        assert_eq!(bytes.len(), s.len as usize * CELL_BYTES);
                        Run::Spilled(s, bytes)
                    } else {
                        Run::Memory(run)
                    });
                    taken += 1;
                }
            }
            assert_eq!(t.volume(want[0].period), whole.volume(want[0].period));
            let mut got = Vec::new();
            t.merge_runs(runs, 3, |b| {
                assert!(b.len() <= 3);
                got.extend_from_slice(b);
                Ok(())
            })
            .unwrap();
            assert_eq!(
                got, want,
                "a run every {every} events, spill mask {spill_mask:b}"
            );
            assert_eq!(t.skipped(), whole.skipped());
        }
    }
}

/// A spilled run cut short is an error, not a short table.
#[test]
fn truncated_spill_is_an_error() {
    let mut t = EventTable::new(AggregateOptions::default());
    sample().iter().for_each(|e| t.add(e));
    let mut bytes = Vec::new();
    let s = t.take_run().spill(&mut bytes).unwrap();
    bytes.truncate(bytes.len() - 1);
    let r = t.merge_runs(vec![Run::Spilled(s.clone(), bytes.as_slice())], 10, |_| {
        Ok(())
    });
    assert_eq!(r.unwrap_err().kind(), std::io::ErrorKind::UnexpectedEof);
    let r = t.merge_runs_par(
        vec![Run::Spilled(s, bytes.as_slice())],
        2,
        |_| (),
        |()| Ok(()),
    );
    assert_eq!(r.unwrap_err().kind(), std::io::ErrorKind::UnexpectedEof);
}

/// Counters that wrapped carry exactly through a spilled run and its ledger.
#[test]
fn wrapped_counters_survive_a_spill() {
    let e = &sample()[0];
    let mut t = EventTable::new(AggregateOptions::default());
    t.add(e);
    t.pages[0][0].events = u32::MAX;
    t.add(e);
    let want = t.rows();
    assert_eq!(want[0].events, 1 << 32);
    let mut bytes = Vec::new();
    let s = t.take_run().spill(&mut bytes).unwrap();
    t.add(e);
    let mut got = Vec::new();
    t.merge_runs(vec![Run::Spilled(s, bytes.as_slice())], 10, |b| {
        got.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    assert_eq!(got[0].events, (1 << 32) + 1);
}

/// A panic in a merge part (here in `map`) reaches the caller as a panic,
/// with parts still queued, instead of leaving the merge waiting forever.
#[test]
fn a_panicking_part_does_not_hang_the_merge() {
    let mut t = EventTable::new(AggregateOptions::default());
    sample().iter().for_each(|e| t.add(e));
    let run = t.take_run();
    assert!(run.len() >= 3);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pool.install(|| {
            // Parts of one cell: more parts than the two allowed in flight.
            t.merge_runs_par(
                vec![Run::<Vec<u8>>::Memory(run)],
                1,
                |_| -> () { panic!("boom") },
                |()| Ok(()),
            )
        })
    }));
    assert!(got.is_err());
}
