//! Hostile strings from data never become code in a report: HTML is escaped,
//! only http(s) URLs become links, CSV formula cells are neutralised, and
//! output paths stay inside the output folder.

use entente_model::{Actor, CameoCode, CountryId, Date, Event, Provenance};
use entente_report::{Meta, Report, ReportConfig, ReportInput};

fn hostile_event(desc: &str, url: &str) -> Event {
    let c = |s: &str| Some(CountryId::new(s).unwrap());
    Event {
        id: Some("=1+1".into()),
        date: Date::parse("2024-05-16").unwrap(),
        source: Actor {
            country: c("RUS"),
            sector: None,
        },
        target: Actor {
            country: c("CHN"),
            sector: None,
        },
        code: CameoCode::parse("042").unwrap(),
        goldstein: 1.9,
        mentions: None,
        sources: None,
        articles: None,
        tone: None,
        source_url: Some(url.into()),
        description: Some(desc.into()),
        provenance: Provenance {
            dataset: "=HYPERLINK(\"http://evil\")".into(),
            row: 1,
        },
    }
}

fn render(events: Vec<Event>) -> Vec<(String, String)> {
    let cfg = ReportConfig::parse(
        "title = \"<script>alert('title')</script>\"\nfocus_dyads = [\"RUS-CHN\"]\nyears = [2024]\nbloc_year = 2024\n",
    )
    .unwrap();
    let input = ReportInput {
        key_events: events,
        ..Default::default()
    };
    render_input(&input, &cfg, "<img src=x onerror=alert(1)>")
}

#[test]
fn hostile_strings_stay_text() {
    let files = render(vec![
        hostile_event(
            "<script>alert(\"x\")</script> & \"quotes\" 'single'",
            "javascript:alert(1)",
        ),
        hostile_event("normal", "https://example.org/a?b=\"><script>"),
        hostile_event("ok", "https://example.org/ok"),
        hostile_event("tab\there", " https://leading.space"),
    ]);
    let get = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
            .unwrap()
    };
    let html = get("index.html");
    assert!(!html.contains("<script"), "raw <script> in HTML");
    assert!(!html.contains("<img"), "raw <img> in HTML");
    assert!(
        !html.contains("href=\"javascript:"),
        "javascript: link in HTML"
    );
    assert!(!html.contains("href=\" https"), "link with leading space");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(html.contains("href=\"https://example.org/ok\""));
    // A URL with quotes and angle brackets is shown as text, not linked.
    assert!(!html.contains("href=\"https://example.org/a?b="));

    let md = get("report.md");
    assert!(!md.contains("<script>"), "raw <script> in Markdown");
    assert!(
        !md.contains("<javascript:"),
        "javascript: autolink in Markdown"
    );

    let csv = get("tables/key_events.csv");
    assert!(
        csv.contains("'=HYPERLINK"),
        "formula cell not neutralised:\n{csv}"
    );
    for line in csv.lines().skip(1) {
        for cell in line.split(',') {
            let c = cell.trim_start_matches('"');
            assert!(
                !c.starts_with('=') && !c.starts_with('@') && !c.starts_with('+'),
                "{cell}"
            );
        }
    }
}

#[test]
fn output_paths_cannot_escape() {
    let dir = std::env::temp_dir().join(format!("entente-safety-{}", std::process::id()));
    let out = dir.join("report");
    for bad in ["../outside.txt", "/tmp/abs.txt", "tables/../../x.csv"] {
        let files = vec![(bad.to_owned(), b"x".to_vec())];
        assert!(
            entente_report::write::write_atomic(&out, &files, None).is_err(),
            "{bad}"
        );
    }
    assert!(!dir.join("outside.txt").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_errors_are_clear() {
    let err =
        ReportConfig::parse("focus_dyads = [\"RUS-CHM\"]\nyears = [2014]\nbloc_year = 2014\n")
            .unwrap_err();
    assert!(
        err.to_string().contains("RUS-CHM") || err.to_string().contains("CHM"),
        "{err}"
    );
    let err = ReportConfig::parse(
        "focus_dyads = [\"RUS-CHN\"]\nyears = [2014]\nbloc_year = 2014\nweigths = 1\n",
    )
    .unwrap_err();
    assert!(err.to_string().contains("weigths"), "{err}");
}

/// The worked example of docs/methodology.md section 2, rendered: the
/// snapshots show the numbers the unit test checks (0.85, 0.25, 0).
fn fixture_report() -> Vec<(String, String)> {
    use entente_analytics::partnership::{
        EventChannels, PartnershipOptions, Structural, partnership,
    };
    use entente_model::{AlignmentScore, AllianceYear, IgoYear, TradeYear};
    let id = |s: &str| CountryId::new(s).unwrap();
    let (a, b, c) = (id("CHN"), id("RUS"), id("USA"));
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
            s_score: 0.8,
            kappa: Some(0.5),
            pi: Some(0.4),
        },
        AlignmentScore {
            year: 2000,
            a,
            b: c,
            votes: 10,
            agreement: 0.5,
            s_score: 0.2,
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
    let scores = partnership(&s, &EventChannels::default(), &opts);
    let cfg = ReportConfig::parse(
        "title = \"fixture\"\nfocus_dyads = [\"RUS-CHN\"]\nyears = [2000]\nbloc_year = 2000\n",
    )
    .unwrap();
    let input = ReportInput {
        partnership: scores,
        alignment: alignment.to_vec(),
        ..Default::default()
    };
    render_input(&input, &cfg, "fixture data")
}

/// Every output file of a report on `input`, as text, with a fixed clock.
fn render_input(
    input: &ReportInput,
    cfg: &entente_report::Resolved,
    data_limit: &str,
) -> Vec<(String, String)> {
    let meta = Meta {
        generated_at: "2026-01-01T00:00:00Z".into(),
        entente_version: "test".into(),
        inputs: Vec::new(),
        data_limits: vec![data_limit.into()],
    };
    let report = Report::build(input, cfg, meta);
    entente_report::render_all(input, &report, &cfg.powers)
        .unwrap()
        .into_iter()
        .map(|(n, b)| (n, String::from_utf8(b).unwrap()))
        .collect()
}

/// The visible text of an HTML page: tags dropped, entities kept.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let body = html.split("</style>").nth(1).unwrap_or(html);
    for ch in body.chars() {
        match ch {
            '<' => {
                in_tag = true;
                out.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn fixture_report_snapshots() {
    let files = fixture_report();
    let get = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    insta::assert_snapshot!("fixture_report_md", get("report.md"));
    insta::assert_snapshot!("fixture_report_json", get("report.json"));
    insta::assert_snapshot!("fixture_partnership_csv", get("tables/partnership.csv"));
    insta::assert_snapshot!(
        "fixture_partnership_channels_csv",
        get("tables/partnership_channels.csv")
    );
    insta::assert_snapshot!("fixture_html_text", html_text(&get("index.html")));
}
