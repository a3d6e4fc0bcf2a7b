use super::*;

/// The fields of a line split the plain way.
fn naive(line: &[u8]) -> Vec<&[u8]> {
    line.split(|&b| b == b'\t').collect()
}

fn check<const K: usize>(line: &[u8]) {
    let want = naive(line);
    let tabs = Tabs::<K>::new(line);
    assert_eq!(tabs.n + 1, want.len(), "column count of {line:?}");
    // Fields 0 to K - 1 are the ones a reader may ask for.
    for (i, field) in want.iter().enumerate().take(K) {
        assert_eq!(tabs.field(i), *field, "field {i} of {line:?}");
    }
    assert_eq!(count_tabs(line), want.len() - 1);
}

/// The word-at-a-time tab scan finds the same fields as a plain split, for
/// lines of every length and tab density (empty fields, runs of tabs, more
/// tabs than kept, tabs at word edges).
#[test]
fn tab_scan_equals_a_plain_split() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let len = (next() % 700) as usize;
        // From almost no tabs to almost only tabs.
        let density = next() % 100;
        let line: Vec<u8> = (0..len)
            .map(|_| {
                if next() % 100 < density {
                    b'\t'
                } else {
                    b'a' + (next() % 26) as u8
                }
            })
            .collect();
        check::<CORE_TABS>(&line);
        check::<ALL_TABS>(&line);
    }
    check::<CORE_TABS>(b"");
    check::<CORE_TABS>(&[b'\t'; 200]);
    check::<ALL_TABS>(&[b'\t'; 61]);
}
