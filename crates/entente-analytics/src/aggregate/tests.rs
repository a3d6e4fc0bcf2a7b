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
