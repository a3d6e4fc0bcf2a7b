use super::*;

fn reg() -> &'static Countries {
    Countries::global()
}

fn id(c: &Country) -> &str {
    c.id.as_str()
}

#[test]
fn names_fold_case_and_accents() {
    assert_eq!(normalize_name("Côte d’Ivoire"), "cote divoire");
    assert_eq!(normalize_name("  TÜRKİYE "), normalize_name("Turkiye"));
    assert_eq!(normalize_name("Korea, Rep."), "korea rep");
}

#[test]
fn every_code_spell_round_trips() {
    for c in reg().all() {
        for s in &c.codes {
            let date = s.start.or(s.end).or(c.start);
            let got = reg()
                .by_code(s.system, &s.code, date)
                .unwrap_or_else(|e| panic!("{} {}: {e}", c.id, s.code));
            assert_eq!(got.id, c.id, "{:?} {} on {date:?}", s.system, s.code);
        }
    }
}
