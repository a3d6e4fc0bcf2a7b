use entente_model::{CountryId, Date};

use super::*;

fn id(s: &str) -> CountryId {
    CountryId::new(s).unwrap()
}

/// The worked example of docs/methodology.md, section 2: three dyads in one
/// year, computed by hand there.
#[test]
fn worked_example() {
    let (a, b, c) = (id("AAA"), id("BBB"), id("CCC"));
    let igo = [
        IgoYear {
            a,
            b,
            year: 2000,
            shared: 30,
        },
        IgoYear {
            a,
            b: c,
            year: 2000,
            shared: 10,
        },
        IgoYear {
            a: b,
            b: c,
            year: 2000,
            shared: 0,
        },
    ];
    let trade = [
        TradeYear {
            a,
            b,
            year: 2000,
            a_imports: Some(60.0),
            b_imports: Some(40.0),
        },
        TradeYear {
            a,
            b: c,
            year: 2000,
            a_imports: Some(5.0),
            b_imports: Some(5.0),
        },
    ];
    let alignment = [
        AlignmentScore {
            year: 2000,
            a,
            b,
            votes: 10,
            agreement: 0.9,
            s_score: 0.0,
            kappa: None,
            pi: None,
        },
        AlignmentScore {
            year: 2000,
            a,
            b: c,
            votes: 10,
            agreement: 0.5,
            s_score: 0.0,
            kappa: None,
            pi: None,
        },
    ];
    let alliances = [AllianceYear {
        a,
        b,
        year: 2000,
        defense: true,
        offense: false,
        neutrality: false,
        nonaggression: false,
        consultation: false,
    }];
    let s = Structural {
        trade: &trade,
        national_trade: &[],
        alliances: &alliances,
        alliance_years: Some((1990, 2010)),
        igo: &igo,
        alignment: &alignment,
    };
    let opts = PartnershipOptions {
        years: vec![2000],
        bootstrap: 0,
        ..Default::default()
    };
    let out = partnership(&s, &EventChannels::default(), &opts);
    let get = |x: CountryId, y: CountryId| out.iter().find(|p| p.a == x && p.b == y).unwrap();
    // A-B: diplomatic = rank of 30 among {30, 10} = 0.75; alignment 0.9;
    // economic = rank of 100 among {100, 10} = 0.75; security = 1 (defence pact).
    // Score = (0.75 + 0.9 + 0.75 + 1) / 4 = 0.85.
    let ab = get(a, b);
    assert!((ab.score.unwrap() - 0.85).abs() < 1e-12, "{ab:?}");
    assert_eq!(ab.rank, Some(1));
    // A-C: diplomatic 0.25, alignment 0.5, economic 0.25, security 0 -> 0.25.
    assert!((get(a, c).score.unwrap() - 0.25).abs() < 1e-12);
    // B-C: zero shared IGOs -> diplomatic 0; no trade row -> economic missing,
    // not zero; security 0 -> score (0 + 0) / 2 = 0.
    let bc = get(b, c);
    assert_eq!(bc.channels[2].value, None);
    assert_eq!(bc.score, Some(0.0));
    assert_eq!(bc.rank, Some(3));
}

#[test]
fn conflict_is_a_penalty_and_missing_is_not_zero() {
    let w = Weights::default();
    assert_eq!(
        combine(&[Some(1.0), None, None, None, Some(1.0)], &w),
        Some(0.0)
    );
    assert_eq!(combine(&[None, None, None, None, None], &w), None);
    assert_eq!(combine(&[Some(0.5), None, None, None, None], &w), Some(0.5));
}

#[test]
fn event_categories() {
    let cat = |c: &str| EventCategory::of(CameoCode::parse(c).unwrap());
    assert_eq!(cat("062"), EventCategory::Military);
    assert_eq!(cat("061"), EventCategory::Economic);
    assert_eq!(cat("042"), EventCategory::Diplomatic);
    assert_eq!(cat("057"), EventCategory::Diplomatic);
    assert_eq!(cat("163"), EventCategory::Conflict);
    assert_eq!(cat("010"), EventCategory::Other);
    let _ = Date::parse("2024-01-01");
}
