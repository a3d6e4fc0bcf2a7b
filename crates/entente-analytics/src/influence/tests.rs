use super::*;

fn id(s: &str) -> CountryId {
    CountryId::new(s).unwrap()
}

fn cap(c: &str, year: i32, cinc: f64) -> Capability {
    Capability {
        country: Some(id(c)),
        cow: 0,
        year,
        cinc: Some(cinc),
        cinc_published: None,
        milex: None,
        milper: None,
        irst: None,
        pec: None,
        tpop: None,
        upop: None,
    }
}

/// The worked example of docs/methodology.md, section 4.
#[test]
fn worked_example() {
    let (usa, can, mex) = (id("USA"), id("CAN"), id("MEX"));
    let trade = [
        TradeYear {
            a: usa,
            b: can,
            year: 2010,
            a_imports: Some(60.0),
            b_imports: Some(40.0),
        },
        TradeYear {
            a: usa,
            b: mex,
            year: 2010,
            a_imports: Some(20.0),
            b_imports: Some(10.0),
        },
    ];
    let national = [
        NationalTrade {
            country: can,
            year: 2010,
            imports: Some(100.0),
            exports: Some(100.0),
        },
        NationalTrade {
            country: usa,
            year: 2010,
            imports: Some(500.0),
            exports: Some(500.0),
        },
    ];
    let caps = [
        cap("USA", 2010, 0.15),
        cap("CAN", 2010, 0.01),
        cap("MEX", 2010, 0.05),
    ];
    let inp = InfluenceInputs {
        trade: &trade,
        national_trade: &national,
        capabilities: &caps,
        ..Default::default()
    };
    let r = influence(&inp, &[2010], &[usa, can]);
    let get =
        |a: CountryId, b: CountryId| r.scores.iter().find(|s| s.from == a && s.to == b).unwrap();
    // USA over CAN: bandwidth = rank of 100 among {100, 30} = 0.75;
    // dependence = mean(100/200, 0.15/0.16) = (0.5 + 0.9375) / 2 = 0.71875;
    // influence = 0.75 * 0.71875 = 0.5390625.
    let s = get(usa, can);
    assert!((s.bandwidth - 0.75).abs() < 1e-12);
    assert!((s.dependence - 0.71875).abs() < 1e-12);
    assert!((s.influence - 0.5390625).abs() < 1e-12);
    // CAN over USA: same bandwidth, dependence = mean(100/1000, 0.01/0.16) = 0.08125.
    assert!((get(can, usa).dependence - 0.08125).abs() < 1e-12);
    // Over North America (USA, CAN): USA exerts 0.5390625 over CAN, CAN
    // 0.75 * 0.08125 = 0.0609375 over USA, and MEX 0.25 * mean(30/1000,
    // 0.05/0.20) = 0.035 over USA, so the USA's share is 0.5390625 / 0.635.
    let na: Vec<_> = r
        .regional
        .iter()
        .filter(|x| x.region == "North America")
        .collect();
    assert_eq!((na[0].power, na[0].rank), (usa, 1));
    assert!((na[0].share - 0.5390625 / 0.635).abs() < 1e-12, "{na:?}");
    assert_eq!(na.len(), 3);
}
