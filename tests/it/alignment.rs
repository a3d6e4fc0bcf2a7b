//! UN General Assembly voting alignment on the bundled unvotes data
//! (data/unvotes): how the reader resolves the historical members, the seat
//! rules, face validity of the scores, the poles, and thread-count
//! independence.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use entente_analytics::alignment::{
    Alignment, AlignmentOptions, AlignmentSkipped, alignment, pole_states, poles,
};
use entente_ingest::tables::{read_roll_calls, read_un_votes};
use entente_model::{AlignmentScore, CountryId, RollCall, UnVote};

use crate::common::data;

struct UnData {
    votes: Vec<UnVote>,
    calls: Vec<RollCall>,
    all: Alignment,
}

/// The bundled data, read and scored once for the whole test binary.
fn un() -> &'static UnData {
    static DATA: OnceLock<UnData> = OnceLock::new();
    DATA.get_or_init(|| {
        let votes = read_un_votes(&data("unvotes/un_votes.csv.gz")).unwrap();
        let calls = read_roll_calls(&data("unvotes/un_roll_calls.csv.gz")).unwrap();
        assert!(
            votes.accounting.rejected.is_empty(),
            "{:?}",
            votes.accounting
        );
        assert!(
            calls.accounting.rejected.is_empty(),
            "{:?}",
            calls.accounting
        );
        assert_eq!(votes.accounting.accepted, 870_109);
        assert_eq!(calls.accounting.accepted, 6_203);
        let all = alignment(&votes.rows, &calls.rows, &AlignmentOptions::default());
        UnData {
            votes: votes.rows,
            calls: calls.rows,
            all,
        }
    })
}

fn c(s: &str) -> CountryId {
    CountryId::new(s).unwrap()
}

/// First and last year in which each state appears in a dyad.
fn year_spans(scores: &[AlignmentScore]) -> BTreeMap<CountryId, (i32, i32)> {
    let mut spans: BTreeMap<CountryId, (i32, i32)> = BTreeMap::new();
    for s in scores {
        for id in [s.a, s.b] {
            let e = spans.entry(id).or_insert((s.year, s.year));
            e.0 = e.0.min(s.year);
            e.1 = e.1.max(s.year);
        }
    }
    spans
}

#[test]
fn alignment_reader_labels_need_the_seat_rules() {
    // What the reader gives for the historical members (it resolves names
    // without a date): the unvotes data labels the Soviet Union "Russia" and
    // every Yugoslav state "Yugoslavia", so today the reader returns `RUS`
    // from 1946 and `SCG` from 1946 to 2020; the ROC is already "Taiwan" up
    // to 1971. The seat rules give the right state whichever id of a seat the
    // reader picks, so only each seat's span is pinned here.
    let d = un();
    let date: BTreeMap<u32, i32> = d.calls.iter().map(|r| (r.rcid, r.date.year())).collect();
    let raw_span = |ids: &[&str]| {
        let ids: Vec<CountryId> = ids.iter().map(|s| c(s)).collect();
        let years: Vec<i32> = d
            .votes
            .iter()
            .filter(|v| ids.contains(&v.country))
            .map(|v| date[&v.rcid])
            .collect();
        (years.iter().min().copied(), years.iter().max().copied())
    };
    assert_eq!(raw_span(&["SUN", "RUS"]), (Some(1946), Some(2020)));
    assert_eq!(raw_span(&["YUG", "SCG", "SRB"]), (Some(1946), Some(2020)));
    assert_eq!(raw_span(&["TWN"]), (Some(1946), Some(1971)));
    assert_eq!(raw_span(&["CHN"]), (Some(1971), Some(2020)));

    // After the seat rules.
    let spans = year_spans(&d.all.scores);
    let span = |s: &str| spans.get(&c(s)).copied();
    assert_eq!(span("SUN"), Some((1946, 1991)));
    assert_eq!(span("RUS"), Some((1992, 2020)));
    assert_eq!(span("TWN"), Some((1946, 1971)));
    assert_eq!(span("CHN"), Some((1971, 2020)));
    // The two 1992 "Yugoslavia" votes (August and September) were cast by
    // the Federal Republic, before the Assembly barred it in September 1992.
    assert_eq!(span("YUG"), Some((1946, 1991)));
    assert_eq!(span("SCG"), Some((1992, 2006)));
    assert_eq!(span("SRB"), Some((2006, 2020)));
    assert_eq!(span("DEU"), Some((1973, 2020)));
    assert_eq!(span("DDR"), Some((1973, 1989)));
    assert_eq!(span("YEM"), Some((1947, 2019)));
    assert_eq!(span("YMD"), Some((1967, 1989)));
    assert_eq!(span("CSK"), Some((1946, 1992)));
    assert_eq!(span("CZE"), Some((1993, 2020)));
    assert_eq!(span("UKR"), Some((1946, 2020)));
    assert_eq!(span("BLR"), Some((1946, 2020)));
    assert_eq!(d.all.skipped, AlignmentSkipped::default());

    let no_ssr = alignment(
        &d.votes,
        &d.calls,
        &AlignmentOptions {
            exclude_soviet_republics_before_1991: true,
            focus: vec![c("UKR"), c("BLR")],
            ..AlignmentOptions::default()
        },
    );
    let spans = year_spans(&no_ssr.scores);
    assert_eq!(spans.get(&c("UKR")), Some(&(1991, 2020)));
    assert_eq!(spans.get(&c("BLR")), Some(&(1991, 2020)));
    assert!(no_ssr.skipped.soviet_republic > 6_000);
}

fn agreement(scores: &[AlignmentScore], year: i32, x: &str, y: &str) -> Option<f64> {
    let (a, b) = if x < y { (c(x), c(y)) } else { (c(y), c(x)) };
    scores
        .iter()
        .find(|s| s.year == year && s.a == a && s.b == b)
        .map(|s| s.agreement)
}

#[test]
fn alignment_usa_agrees_more_with_britain_than_with_russia() {
    // Every year since 1991; in 1991 the Soviet seat was still the USSR's
    // (the last 1991 roll call is dated 1991-12-06).
    let scores = &un().all.scores;
    for year in 1991..=2019 {
        let russia = if year == 1991 { "SUN" } else { "RUS" };
        let gbr = agreement(scores, year, "USA", "GBR").unwrap();
        let rus = agreement(scores, year, "USA", russia).unwrap();
        assert!(gbr > rus, "{year}: USA-GBR {gbr} <= USA-{russia} {rus}");
    }
}

#[test]
fn alignment_russia_china_closer_in_the_2010s_than_after_1991() {
    let scores = &un().all.scores;
    let mean = |years: std::ops::RangeInclusive<i32>| {
        let v: Vec<f64> = years
            .map(|y| agreement(scores, y, "CHN", "RUS").unwrap())
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let (early, late) = (mean(1992..=1995), mean(2010..=2019));
    assert!(late > early, "2010-2019 {late} <= 1992-1995 {early}");
}

#[test]
fn alignment_poles_cover_the_swing_states() {
    let d = un();
    let focused = alignment(
        &d.votes,
        &d.calls,
        &AlignmentOptions {
            focus: pole_states(),
            ..AlignmentOptions::default()
        },
    );
    // The focused run gives exactly the pole dyads of the full run.
    let poles_only: Vec<&AlignmentScore> = d
        .all
        .scores
        .iter()
        .filter(|s| pole_states().contains(&s.a) || pole_states().contains(&s.b))
        .collect();
    assert_eq!(focused.scores.iter().collect::<Vec<_>>(), poles_only);

    let rows = poles(&focused.scores);
    assert!(
        rows.windows(2)
            .all(|w| (w[0].year, w[0].country) < (w[1].year, w[1].country))
    );
    for r in &rows {
        if let Some(lean) = r.lean {
            assert!((-1.0..=1.0).contains(&lean), "{r:?}");
        }
    }
    let lean = |year: i32, s: &str| {
        rows.iter()
            .find(|r| r.year == year && r.country == c(s))
            .and_then(|r| r.lean)
    };
    for s in ["HUN", "SRB", "TUR", "IND", "BRA", "SAU", "ZAF"] {
        for year in 2006..=2019 {
            assert!(lean(year, s).is_some(), "{s} {year}");
        }
    }
    // Face validity of the ordering.
    for year in 1992..=2019 {
        // The index is relative: with the United States often voting almost
        // alone, even Britain's lean is near zero (−0.13 to 0.23 over these
        // years), but the order of the states is stable.
        let l = |s: &str| lean(year, s).unwrap();
        assert!(l("ISR") > l("GBR") && l("GBR") > l("TUR"), "{year}");
        assert!(l("TUR") > l("IND") && l("GBR") > l("CUB"), "{year}");
    }
    // Before 1971 the People's Republic had no seat, so there is no lean.
    assert_eq!(lean(1965, "IND"), None);
    let ind_1965 = rows
        .iter()
        .find(|r| r.year == 1965 && r.country == c("IND"))
        .unwrap();
    assert!(ind_1965.with_usa.is_some() && ind_1965.with_rus.is_some());
}

#[test]
fn alignment_identical_for_any_thread_count() {
    let d = un();
    let reference: Vec<_> = d.all.scores.iter().map(bits).collect();
    assert!(reference.len() > 500_000, "{}", reference.len());
    for threads in [1, 2, 3, 8] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let out = pool.install(|| alignment(&d.votes, &d.calls, &AlignmentOptions::default()));
        let got: Vec<_> = out.scores.iter().map(bits).collect();
        assert!(got == reference, "{threads} threads");
    }
}

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

fn bits(s: &AlignmentScore) -> Bits {
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
}
