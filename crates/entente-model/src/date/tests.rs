use super::*;

fn check_date(input: &str, expected: Option<&str>) {
    let got = Date::parse(input).ok().map(|d| d.to_string());
    assert_eq!(got.as_deref(), expected, "input {input:?}");
}

#[test]
fn parses_iso_and_compact_dates() {
    check_date("2024-05-16", Some("2024-05-16"));
    check_date("20240516", Some("2024-05-16"));
    check_date("2024-02-29", Some("2024-02-29"));
    check_date("2023-02-29", None);
    check_date("20240230", None);
    check_date("1900-02-29", None);
    check_date("2000-02-29", Some("2000-02-29"));
    check_date("2024-13-01", None);
    check_date("2024-1-01", None);
    check_date("", None);
    check_date("0999-01-01", None);
    check_date("２０２４-01-01", None);
}

#[test]
fn epoch_days_match_known_values() {
    assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
    assert_eq!(
        Date::parse("2000-03-01").unwrap().days_since_epoch(),
        11_017
    );
    assert_eq!(Date::parse("1969-12-31").unwrap().days_since_epoch(), -1);
    assert_eq!(
        Date::parse("2024-05-16").unwrap().days_since_epoch(),
        19_859
    );
}

#[test]
fn periods_round_trip_and_coarsen() {
    let d = Date::parse("2024-05-16").unwrap();
    for (kind, text) in [
        (PeriodKind::Day, "2024-05-16"),
        (PeriodKind::Month, "2024-05"),
        (PeriodKind::Quarter, "2024-Q2"),
        (PeriodKind::Year, "2024"),
    ] {
        let p = d.period(kind);
        assert_eq!(p.to_string(), text);
        assert_eq!(Period::parse(text).unwrap(), p);
        assert_eq!(p.kind(), kind);
    }
    let month = d.period(PeriodKind::Month);
    assert_eq!(
        month.coarsen(PeriodKind::Quarter).unwrap().to_string(),
        "2024-Q2"
    );
    assert_eq!(month.coarsen(PeriodKind::Day), None);
    assert_eq!(month.previous().unwrap().to_string(), "2024-04");
    assert_eq!(
        Period::parse("2024-01")
            .unwrap()
            .previous()
            .unwrap()
            .to_string(),
        "2023-12"
    );
    assert_eq!(
        Period::parse("2024-Q1")
            .unwrap()
            .previous()
            .unwrap()
            .to_string(),
        "2023-Q4"
    );
    assert_eq!(
        Period::parse("2024-03-01")
            .unwrap()
            .previous()
            .unwrap()
            .to_string(),
        "2024-02-29"
    );
    assert!(Period::parse("2024-Q5").is_err());
    assert!(Period::parse("2024-00").is_err());
}

/// `from_days_since_epoch` inverts `days_since_epoch` on every day a `Date`
/// allows, and gives `None` just outside.
#[test]
fn days_since_epoch_round_trips() {
    let first = Date::new(MIN_YEAR, 1, 1).unwrap().days_since_epoch();
    let last = Date::new(MAX_YEAR, 12, 31).unwrap().days_since_epoch();
    for days in first..=last {
        let d = Date::from_days_since_epoch(days).unwrap();
        assert_eq!(d.days_since_epoch(), days);
    }
    assert_eq!(Date::from_days_since_epoch(first - 1), None);
    assert_eq!(Date::from_days_since_epoch(last + 1), None);
    assert_eq!(Date::from_days_since_epoch(0), Date::new(1970, 1, 1).ok());
    assert_eq!(Date::from_days_since_epoch(i64::MAX), None);
}
