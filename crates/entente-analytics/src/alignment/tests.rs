use entente_model::Countries;

use super::*;

fn c(s: &str) -> CountryId {
    CountryId::new(s).unwrap()
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// Builds a table from a string of vote pairs such as `"YY YA NA"`.
fn table(pairs: &str) -> [[u32; 3]; 3] {
    let cat = |b: u8| match b {
        b'Y' => 0,
        b'A' => 1,
        b'N' => 2,
        _ => panic!("bad vote {b}"),
    };
    let mut t = [[0; 3]; 3];
    for p in pairs.split_whitespace() {
        let b = p.as_bytes();
        t[cat(b[0])][cat(b[1])] += 1;
    }
    t
}

/// The worked example of docs/methodology.md (section "UN voting alignment").
#[test]
fn worked_example_from_methodology() {
    let t = table("YY YY YY YY YA YN AA AY NN NA");
    assert_eq!(t, [[4, 1, 1], [1, 1, 0], [0, 1, 1]]);
    let s = similarity(&t).unwrap();
    assert_eq!(s.votes, 10);
    assert_eq!(s.agreement, 0.75);
    assert_eq!(s.s_score, 0.5);
    assert_eq!(s.kappa, Some(16.0 / 41.0));
    assert_eq!(s.pi, Some(63.0 / 163.0));
}

#[test]
fn voeten_agreement_counts_half_for_one_abstention() {
    // Identical votes count 1, yes or no against an abstention 0.5, yes against no 0.
    let check = |pairs: &str, agreement: f64, s_score: f64| {
        let s = similarity(&table(pairs)).unwrap();
        assert_eq!((s.agreement, s.s_score), (agreement, s_score), "{pairs}");
    };
    check("YY", 1.0, 1.0);
    check("AA", 1.0, 1.0);
    check("YA", 0.5, 0.0);
    check("AN", 0.5, 0.0);
    check("YN", 0.0, -1.0);
    check("NY", 0.0, -1.0);
    check("YY YN", 0.5, 0.0);
    check("YY YA AA NA", 0.75, 0.5);
}

#[test]
fn distance_scale_is_the_full_category_set() {
    // Only yes and abstain are used, yet the largest distance stays 2 (yes to
    // no), as the full category set prescribes: S = 1 − 2·1/(3·2) = 2/3, not
    // the 1/3 that a scale fitted to the observed range (d_max = 1) would give.
    let s = similarity(&table("YY YA AA")).unwrap();
    assert_eq!(s.s_score, 2.0 / 3.0);
    assert_eq!(s.agreement, 5.0 / 6.0);
    // E = Σ r_i c_j |i−j| with r = (2, 1, 0), c = (1, 2, 0): 2·2·1 + 1·1·1 = 5,
    // kappa = (E − nD)/E = (5 − 3)/5.
    assert_eq!(s.kappa, Some(0.4));
    // m = (3, 3, 0): P = 2·3·3 = 18, pi = (18 − 4·3·1)/18 = 1/3.
    assert_eq!(s.pi, Some(1.0 / 3.0));
}

#[test]
fn chance_corrected_measures_need_expected_disagreement() {
    // Both always vote yes: perfect agreement, but nothing to correct for chance.
    let s = similarity(&table("YY YY YY")).unwrap();
    assert_eq!(
        (s.agreement, s.s_score, s.kappa, s.pi),
        (1.0, 1.0, None, None)
    );
    // Always opposed: observed disagreement equals kappa's expectation.
    let s = similarity(&table("YN YN")).unwrap();
    assert_eq!((s.agreement, s.s_score, s.kappa), (0.0, -1.0, Some(0.0)));
    // Scott's pi pools the marginals: m = (2, 0, 2), P = 2·2·2·2 = 16, pi = (16 − 4·2·4)/16.
    assert_eq!(s.pi, Some(-1.0));
    assert_eq!(similarity(&[[0; 3]; 3]), None);
}

#[test]
fn kappa_and_pi_match_their_definition() {
    // 1 − D_o/D_e with D_o = D/(2n), D_e(kappa) = Σ p_i q_j |i−j|/2 on
    // proportions, D_e(pi) = Σ π_i π_j |i−j|/2 with pooled π.
    for pairs in ["YY YA AN NN YN", "AA AY YY NN NY NA YY", "YN NA AY AA"] {
        let t = table(pairs);
        let s = similarity(&t).unwrap();
        let n: f64 = t.iter().flatten().map(|&x| f64::from(x)).sum();
        let p: Vec<f64> = (0..3)
            .map(|i| t[i].iter().map(|&x| f64::from(x)).sum::<f64>() / n)
            .collect();
        let q: Vec<f64> = (0..3)
            .map(|j| (0..3).map(|i| f64::from(t[i][j])).sum::<f64>() / n)
            .collect();
        let mut d_o = 0.0;
        let mut d_k = 0.0;
        let mut d_p = 0.0;
        for i in 0..3usize {
            for j in 0..3usize {
                let w = i.abs_diff(j) as f64 / 2.0;
                d_o += f64::from(t[i][j]) / n * w;
                d_k += p[i] * q[j] * w;
                d_p += (p[i] + q[i]) / 2.0 * (p[j] + q[j]) / 2.0 * w;
            }
        }
        assert!((s.agreement - (1.0 - d_o)).abs() < 1e-12, "{pairs}");
        assert!((s.s_score - (1.0 - 2.0 * d_o)).abs() < 1e-12, "{pairs}");
        assert!(
            (s.kappa.unwrap() - (1.0 - d_o / d_k)).abs() < 1e-12,
            "{pairs}"
        );
        assert!((s.pi.unwrap() - (1.0 - d_o / d_p)).abs() < 1e-12, "{pairs}");
    }
}

#[test]
fn seat_holders() {
    let opts = AlignmentOptions::default();
    let check = |country: &str, date: &str, expected: Result<&str, Exclusion>| {
        let got = seat_holder(c(country), d(date), &opts);
        assert_eq!(got, expected.map(c), "{country} on {date}");
    };
    check("CHN", "1950-10-01", Ok("TWN"));
    check("CHN", "1971-10-25", Ok("TWN"));
    check("CHN", "1971-10-26", Ok("CHN"));
    check("TWN", "1971-11-03", Ok("CHN"));
    check("TWN", "1960-01-01", Ok("TWN"));
    check("RUS", "1946-01-01", Ok("SUN"));
    check("RUS", "1991-12-25", Ok("SUN"));
    check("RUS", "1991-12-26", Ok("RUS"));
    check("SUN", "1992-01-01", Ok("RUS"));
    check("SCG", "1946-01-01", Ok("YUG"));
    check("SCG", "1992-04-26", Ok("YUG"));
    check("YUG", "1992-04-27", Ok("SCG"));
    check("SCG", "2006-06-03", Ok("SCG"));
    check("SCG", "2006-06-04", Ok("SRB"));
    check("YUG", "2019-12-01", Ok("SRB"));
    check("DEU", "1975-01-01", Ok("DEU"));
    check("DDR", "1990-10-02", Ok("DDR"));
    check("DDR", "1990-10-03", Err(Exclusion::StateEnded));
    check("YEM", "1980-01-01", Ok("YEM"));
    check("YMD", "1990-05-21", Ok("YMD"));
    check("YMD", "1990-05-22", Err(Exclusion::StateEnded));
    check("CSK", "1992-12-31", Ok("CSK"));
    check("CSK", "1993-01-01", Err(Exclusion::StateEnded));
    check("UKR", "1950-01-01", Ok("UKR"));
    check("BLR", "1990-12-31", Ok("BLR"));
    check("USA", "1946-01-01", Ok("USA"));

    let opts = AlignmentOptions {
        exclude_soviet_republics_before_1991: true,
        ..Default::default()
    };
    let got = |country: &str, date: &str| seat_holder(c(country), d(date), &opts);
    assert_eq!(got("UKR", "1990-12-31"), Err(Exclusion::SovietRepublic));
    assert_eq!(got("BLR", "1946-01-01"), Err(Exclusion::SovietRepublic));
    assert_eq!(got("UKR", "1991-01-01"), Ok(c("UKR")));
    assert_eq!(got("BLR", "1991-09-20"), Ok(c("BLR")));
}

#[test]
fn seat_rules_agree_with_the_country_registry() {
    // The last day of each ended state in the registry is the last day its
    // votes are kept (YMD: unification on 1990-05-22, last day 1990-05-21).
    let registry = Countries::global();
    for (state, last) in [
        ("SUN", "1991-12-25"),
        ("YUG", "1992-04-26"),
        ("SCG", "2006-06-03"),
        ("DDR", "1990-10-02"),
        ("YMD", "1990-05-21"),
        ("CSK", "1992-12-31"),
    ] {
        let country = registry.get(c(state)).unwrap();
        assert_eq!(country.end, Some(d(last)), "{state}");
    }
    for id in pole_states() {
        assert!(registry.get(id).is_some(), "{id}");
    }
}

fn vote(rcid: u32, country: &str, v: Vote) -> UnVote {
    UnVote {
        rcid,
        country: c(country),
        vote: v,
    }
}

fn call(rcid: u32, date: &str) -> RollCall {
    RollCall {
        rcid,
        session: 1,
        date: d(date),
        important: false,
        short: String::new(),
    }
}

fn view(scores: &[AlignmentScore]) -> Vec<String> {
    scores
        .iter()
        .map(|s| {
            format!(
                "{} {} {} n={} a={} s={} k={:?} p={:?}",
                s.year, s.a, s.b, s.votes, s.agreement, s.s_score, s.kappa, s.pi
            )
        })
        .collect()
}

#[test]
fn dyad_years_from_votes() {
    use Vote::{Abstain as A, No as N, Yes as Y};
    let calls = vec![
        call(1, "1990-10-01"),
        call(2, "1990-09-20"),
        call(3, "1991-10-01"),
        call(4, "1991-12-20"),
        call(5, "1992-03-01"),
        call(5, "1999-03-01"),
    ];
    let votes = vec![
        vote(1, "USA", Y),
        vote(1, "RUS", N), // the Soviet seat in 1990
        vote(1, "DDR", Y),
        vote(2, "USA", A),
        vote(2, "RUS", N),
        vote(2, "DDR", Y),
        vote(2, "GBR", Y), // GBR absent on roll call 1
        vote(3, "USA", Y),
        vote(3, "RUS", Y),
        vote(3, "DDR", Y), // after East Germany ended
        vote(4, "USA", N),
        vote(4, "SUN", N),
        vote(4, "SUN", Y), // duplicate: the first vote counts
        vote(5, "RUS", Y),
        vote(5, "USA", N),
        vote(9, "USA", Y), // no such roll call
    ];
    let out = alignment(&votes, &calls, &AlignmentOptions::default());
    assert_eq!(
        view(&out.scores),
        [
            "1990 DDR GBR n=1 a=1 s=1 k=None p=None",
            "1990 DDR SUN n=2 a=0 s=-1 k=Some(0.0) p=Some(-1.0)",
            "1990 DDR USA n=2 a=0.75 s=0.5 k=Some(0.0) p=Some(-0.3333333333333333)",
            "1990 GBR SUN n=1 a=0 s=-1 k=Some(0.0) p=Some(-1.0)",
            "1990 GBR USA n=1 a=0.5 s=0 k=Some(0.0) p=Some(-1.0)",
            "1990 SUN USA n=2 a=0.25 s=-0.5 k=Some(0.0) p=Some(-0.7142857142857143)",
            "1991 SUN USA n=2 a=1 s=1 k=Some(1.0) p=Some(1.0)",
            "1992 RUS USA n=1 a=0 s=-1 k=Some(0.0) p=Some(-1.0)",
        ]
    );
    assert_eq!(
        out.skipped,
        AlignmentSkipped {
            unknown_roll_call: 1,
            state_ended: 1,
            duplicate_vote: 1,
            duplicate_roll_call: 1,
            ..Default::default()
        }
    );

    let focused = alignment(
        &votes,
        &calls,
        &AlignmentOptions {
            years: Some((1991, 1992)),
            focus: vec![c("RUS")],
            ..Default::default()
        },
    );
    assert_eq!(
        view(&focused.scores),
        ["1992 RUS USA n=1 a=0 s=-1 k=Some(0.0) p=Some(-1.0)"]
    );
    assert_eq!(focused.skipped.outside_years, 7);
}

#[test]
fn poles_and_lean() {
    let score = |year: i32, a: &str, b: &str, agreement: f64| AlignmentScore {
        year,
        a: c(a),
        b: c(b),
        votes: 10,
        agreement,
        s_score: 2.0 * agreement - 1.0,
        kappa: None,
        pi: None,
    };
    let scores = vec![
        score(1990, "HUN", "SUN", 0.5),
        score(1990, "HUN", "USA", 0.75),
        score(1990, "CHN", "HUN", 0.25),
        score(1990, "GBR", "USA", 1.0),
        score(2010, "CHN", "RUS", 0.875),
        score(2010, "CHN", "TUR", 0.5),
        score(2010, "RUS", "TUR", 0.75),
        score(2010, "TUR", "USA", 0.625),
        score(2010, "FRA", "GBR", 1.0),
    ];
    let rows: Vec<String> = poles(&scores)
        .iter()
        .map(|r| {
            format!(
                "{} {} usa={:?} chn={:?} rus={:?} lean={:?}",
                r.year, r.country, r.with_usa, r.with_chn, r.with_rus, r.lean
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "1990 GBR usa=Some(1.0) chn=None rus=None lean=None",
            "1990 HUN usa=Some(0.75) chn=Some(0.25) rus=Some(0.5) lean=Some(0.375)",
            "2010 CHN usa=None chn=None rus=Some(0.875) lean=None",
            "2010 RUS usa=None chn=Some(0.875) rus=None lean=None",
            "2010 TUR usa=Some(0.625) chn=Some(0.5) rus=Some(0.75) lean=Some(0.0)",
        ]
    );
}

/// A deterministic pseudo-random General Assembly: 120 states over 12 years.
fn synthetic() -> (Vec<UnVote>, Vec<RollCall>) {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let registry = Countries::global();
    let states: Vec<CountryId> = registry.all().iter().take(120).map(|c| c.id).collect();
    let mut calls = Vec::new();
    let mut votes = Vec::new();
    for rcid in 0..900u32 {
        let year = 1985 + (rcid / 75) as i32;
        calls.push(call(rcid, &format!("{year}-10-{:02}", 1 + rcid % 28)));
        for &s in &states {
            let v = match next() % 5 {
                0 => continue,
                1 => Vote::Abstain,
                2 => Vote::No,
                _ => Vote::Yes,
            };
            votes.push(UnVote {
                rcid,
                country: s,
                vote: v,
            });
        }
    }
    (votes, calls)
}

/// A score with its floats as bit patterns, for exact comparison.
type Bits = (
    i32,
    CountryId,
    CountryId,
    u32,
    u64,
    u64,
    Option<u64>,
    Option<u64>,
);

#[test]
fn identical_for_any_thread_count() {
    let (votes, calls) = synthetic();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let out = pool.install(|| alignment(&votes, &calls, &AlignmentOptions::default()));
        let bits: Vec<Bits> = out
            .scores
            .iter()
            .map(|s| {
                (
                    s.year,
                    s.a,
                    s.b,
                    s.votes,
                    s.agreement.to_bits(),
                    s.s_score.to_bits(),
                    s.kappa.map(f64::to_bits),
                    s.pi.map(f64::to_bits),
                )
            })
            .collect();
        let lean: Vec<Option<u64>> = poles(&out.scores)
            .iter()
            .map(|r| r.lean.map(f64::to_bits))
            .collect();
        (bits, lean, out.skipped)
    };
    let one = run(1);
    assert!(one.0.len() > 12 * 6000, "{}", one.0.len());
    assert!(
        one.0
            .windows(2)
            .all(|w| (w[0].0, w[0].1, w[0].2) < (w[1].0, w[1].1, w[1].2))
    );
    for threads in [2, 3, 8] {
        assert!(one == run(threads), "{threads} threads");
    }
}
