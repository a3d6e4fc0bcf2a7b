use super::*;

#[test]
fn leading_zeros_are_kept_and_looked_up() {
    let c = CameoCode::parse("0311").unwrap();
    assert_eq!(c.as_str(), "0311");
    assert_eq!(c.root(), 3);
    assert_eq!(c.goldstein(), 5.2);
    assert_eq!(c.name(), "Express intent to cooperate economically");
    assert!(CameoCode::parse("311").is_err(), "`311` is not `0311`");
    assert!(CameoCode::parse("99").is_err());
    assert!(CameoCode::parse("").is_err());
    assert!(CameoCode::parse("1a").is_err());
    assert!(CameoCode::parse("01234").is_err());
}

#[test]
fn codebook_is_complete() {
    assert_eq!(CameoCode::all().count(), 311);
    for c in CameoCode::all() {
        assert_eq!(CameoCode::parse(c.as_str()), Ok(c));
        assert!((-10.0..=10.0).contains(&c.goldstein()), "{c}");
        assert!((1..=20).contains(&c.root()), "{c}");
    }
}

#[test]
fn quad_schemes_differ_only_on_roots_9_and_14() {
    for root in 1..=20u8 {
        let g = QuadScheme::Gdelt.classify(root);
        let d = QuadScheme::DuvalThompson.classify(root);
        assert_eq!(g == d, root != 9 && root != 14, "root {root}");
    }
    assert_eq!(
        CameoCode::parse("190").unwrap().quad(QuadScheme::Gdelt),
        QuadClass::MaterialConflict
    );
}

#[test]
fn plover_mapping_is_embedded() {
    let m = CameoCode::parse("0311").unwrap().plover().unwrap();
    assert_eq!(
        (m.event.as_str(), m.context.as_str()),
        ("AGREE", "economic")
    );
    let s = CameoCode::parse("163").unwrap().plover().unwrap();
    assert_eq!((s.event.as_str(), s.mode.as_str()), ("COERCE", "restrict"));
}
