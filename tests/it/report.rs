//! The report on the bundled data: face validity of the scores, snapshots of
//! what a reader sees, and thread-count independence.

use std::sync::OnceLock;

use entente_model::{CountryId, PartnershipScore};
use xtask::report::{Generated, ReportArgs, generate};

/// A fixed generation time, so snapshots do not depend on the clock.
const WHEN: &str = "2026-01-01T00:00:00Z";

fn bundled() -> &'static Generated {
    static G: OnceLock<Generated> = OnceLock::new();
    G.get_or_init(|| generate(&ReportArgs::default(), WHEN).expect("the bundled report builds"))
}

fn file(name: &str) -> String {
    let (_, bytes) = bundled()
        .files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"));
    String::from_utf8(bytes.clone()).unwrap()
}

fn id(s: &str) -> CountryId {
    CountryId::new(s).unwrap()
}

/// Partnership rows of a year from the CSV table the report writes.
fn year_rows(year: i32) -> Vec<(String, String, f64, u32)> {
    file("tables/partnership.csv")
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0] == year.to_string() && !f[7].is_empty()).then(|| {
                (
                    f[1].to_owned(),
                    f[2].to_owned(),
                    f[3].parse().unwrap(),
                    f[7].parse().unwrap(),
                )
            })
        })
        .collect()
}

fn rank_share(year: i32, a: &str, b: &str) -> f64 {
    let rows = year_rows(year);
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    let r = rows
        .iter()
        .find(|r| r.0 == x && r.1 == y)
        .unwrap_or_else(|| panic!("{x}-{y} {year}"));
    f64::from(r.3) / rows.len() as f64
}

#[test]
fn face_validity_of_partnership() {
    assert!(
        rank_share(2010, "USA", "GBR") <= 0.10,
        "USA-GBR not in the top 10% in 2010"
    );
    assert!(
        rank_share(2010, "USA", "PRK") >= 0.90,
        "USA-PRK not in the bottom 10% in 2010"
    );
    let score = |y: i32| {
        year_rows(y)
            .into_iter()
            .find(|r| r.0 == "CHN" && r.1 == "RUS")
            .unwrap()
            .2
    };
    assert!(
        score(2014) > score(1995),
        "RUS-CHN 2014 {} <= 1995 {}",
        score(2014),
        score(1995)
    );
}

#[test]
fn every_channel_of_rus_chn_is_visible() {
    let d = bundled()
        .report
        .dossiers
        .iter()
        .find(|d| (d.a, d.b) == (id("CHN"), id("RUS")))
        .unwrap();
    let y2014: &PartnershipScore = d.series.iter().find(|s| s.period.year() == 2014).unwrap();
    for c in &y2014.channels[..4] {
        assert!(
            c.contribution.is_some_and(|x| x > 0.0),
            "{:?} missing in 2014",
            c.channel
        );
    }
    // The 2024 score rests on events (curated scenario and GDELT), with an interval.
    let y2024 = d.series.iter().find(|s| s.period.year() == 2024).unwrap();
    assert!(y2024.ci_low.is_some() && y2024.channels[4].value.is_some());
}

#[test]
fn regional_leaders_are_recognisable() {
    let report = &bundled().report;
    let leader = |region: &str, year: i32| {
        report
            .regions
            .iter()
            .find(|r| r.region == region)
            .and_then(|r| r.shares.iter().find(|s| s.year == year && s.rank == 1))
            .map(|s| s.power.to_string())
    };
    assert_eq!(
        leader("Latin America and the Caribbean", 2014).as_deref(),
        Some("USA")
    );
    assert_eq!(
        leader("Latin America and the Caribbean", 2010).as_deref(),
        Some("USA")
    );
    let europe = leader("Europe", 2014).unwrap();
    assert!(
        ["DEU", "FRA", "USA", "GBR"].contains(&europe.as_str()),
        "{europe}"
    );
}

#[test]
fn every_file_is_written() {
    let names: Vec<&str> = bundled().files.iter().map(|(n, _)| n.as_str()).collect();
    for f in [
        "index.html",
        "report.md",
        "report.json",
        "ingest.json",
        "tables/capabilities.csv",
        "tables/influence.csv",
        "tables/regional_influence.csv",
        "tables/partnership.csv",
    ] {
        assert!(names.contains(&f), "{f} missing");
    }
    assert_eq!(file("tables/capabilities.csv").lines().count(), 17_121 + 1);
    let json: serde_json::Value = serde_json::from_str(&file("report.json")).unwrap();
    assert_eq!(json["schema_version"], 1);
}

#[test]
fn report_markdown_snapshot() {
    insta::assert_snapshot!("bundled_report_md", file("report.md"));
}

#[test]
fn report_json_snapshot() {
    insta::assert_snapshot!("bundled_report_json", file("report.json"));
}

/// The same report, byte for byte, from pools of 1, 2, 3 and 8 threads.
#[test]
fn identical_for_any_thread_count() {
    let reference = &bundled().files;
    for n in [1, 3, 8] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap();
        let g = pool.install(|| generate(&ReportArgs::default(), WHEN).unwrap());
        for ((name, a), (_, b)) in reference.iter().zip(&g.files) {
            assert!(a == b, "{name} differs with {n} threads");
        }
    }
}
