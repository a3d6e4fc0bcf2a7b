use entente_model::CountryId;

use super::*;

fn cap(id: &str, year: i32, v: [Option<f64>; 6]) -> Capability {
    Capability {
        country: Some(CountryId::new(id).unwrap()),
        cow: 0,
        year,
        cinc: None,
        cinc_published: None,
        milex: v[0],
        milper: v[1],
        irst: v[2],
        pec: v[3],
        tpop: v[4],
        upop: v[5],
    }
}

/// The worked example of docs/methodology.md, section 3.
#[test]
fn worked_example() {
    let s = Some;
    let mut rows = vec![
        cap(
            "AAA",
            2000,
            [s(60.0), s(30.0), s(50.0), s(40.0), s(100.0), s(20.0)],
        ),
        cap(
            "BBB",
            2000,
            [s(40.0), s(70.0), s(50.0), s(60.0), s(300.0), None],
        ),
    ];
    compute_cinc(&mut rows);
    // A: (0.6 + 0.3 + 0.5 + 0.4 + 0.25 + 1.0) / 6 = 0.508333...
    // B: (0.4 + 0.7 + 0.5 + 0.6 + 0.75) / 5 = 0.59 (urban population missing: left out)
    assert!((rows[0].cinc.unwrap() - 3.05 / 6.0).abs() < 1e-15);
    assert!((rows[1].cinc.unwrap() - 0.59).abs() < 1e-15);
}

#[test]
fn concentration_bounds() {
    assert_eq!(concentration(&[0.5, 0.5]), Some(0.0));
    assert_eq!(concentration(&[1.0, 0.0, 0.0]), Some(1.0));
    assert_eq!(concentration(&[1.0]), None);
    // Two states with 0.75 and 0.25: HHI 0.625, sqrt((0.625-0.5)/0.5) = 0.5.
    assert!((concentration(&[0.75, 0.25]).unwrap() - 0.5).abs() < 1e-15);
}
