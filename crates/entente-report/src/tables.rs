//! The tidy CSV tables of `tables/`.

use std::fmt::Write;

use entente_model::{CountryId, RegimeClass};

use crate::csv::{cell, num, opt};
use crate::doc::{Report, ReportInput};

fn iso(c: CountryId) -> String {
    cell(c.as_str())
}

/// Every table, as (file name, contents).
pub fn render(input: &ReportInput, report: &Report) -> Vec<(String, String)> {
    let mut out = Vec::new();

    let mut t = String::from("year,a,b,score,ci_low,ci_high,change,rank\n");
    for s in &input.partnership {
        let _ = writeln!(
            t,
            "{},{},{},{},{},{},{},{}",
            s.period,
            iso(s.a),
            iso(s.b),
            opt(s.score),
            opt(s.ci_low),
            opt(s.ci_high),
            opt(s.change),
            s.rank.map_or(String::new(), |r| r.to_string())
        );
    }
    out.push(("partnership.csv".to_owned(), t));

    let mut t = String::from("year,a,b,channel,value,weight,contribution\n");
    for s in &input.partnership {
        for c in &s.channels {
            if c.value.is_some() {
                let _ = writeln!(
                    t,
                    "{},{},{},{},{},{},{}",
                    s.period,
                    iso(s.a),
                    iso(s.b),
                    c.channel.as_str(),
                    opt(c.value),
                    num(c.weight),
                    opt(c.contribution)
                );
            }
        }
    }
    out.push(("partnership_channels.csv".to_owned(), t));

    let mut t = String::from("year,a,b,input,value\n");
    for d in &report.dossiers {
        for s in &d.series {
            for c in &s.channels {
                for (k, v) in &c.inputs {
                    let _ = writeln!(
                        t,
                        "{},{},{},{},{}",
                        s.period,
                        iso(s.a),
                        iso(s.b),
                        cell(k),
                        num(*v)
                    );
                }
            }
        }
    }
    out.push(("focus_inputs.csv".to_owned(), t));

    let mut t = String::from("year,channel,factor,spearman\n");
    for s in &input.sensitivity {
        let _ = writeln!(
            t,
            "{},{},{},{}",
            s.year,
            s.channel.as_str(),
            num(s.factor),
            opt(s.spearman)
        );
    }
    out.push(("sensitivity.csv".to_owned(), t));

    let mut t = String::from("iso3,cow,year,cinc,cinc_published,milex,milper,irst,pec,tpop,upop\n");
    for c in &input.capabilities {
        let _ = writeln!(
            t,
            "{},{},{},{},{},{},{},{},{},{},{}",
            c.country.map_or(String::new(), iso),
            c.cow,
            c.year,
            opt(c.cinc),
            opt(c.cinc_published),
            opt(c.milex),
            opt(c.milper),
            opt(c.irst),
            opt(c.pec),
            opt(c.tpop),
            opt(c.upop)
        );
    }
    out.push(("capabilities.csv".to_owned(), t));

    let mut t = String::from("year,concentration\n");
    for (y, c) in &input.concentration {
        let _ = writeln!(t, "{y},{}", num(*c));
    }
    out.push(("concentration.csv".to_owned(), t));

    let mut t = String::from("year,from,to,bandwidth,dependence,influence\n");
    for s in &input.influence {
        let _ = writeln!(
            t,
            "{},{},{},{},{},{}",
            s.year,
            iso(s.from),
            iso(s.to),
            num(s.bandwidth),
            num(s.dependence),
            num(s.influence)
        );
    }
    out.push(("influence.csv".to_owned(), t));

    let mut t = String::from("year,country,outward,inward\n");
    for s in &input.influence_totals {
        let _ = writeln!(
            t,
            "{},{},{},{}",
            s.year,
            iso(s.country),
            num(s.outward),
            num(s.inward)
        );
    }
    out.push(("influence_totals.csv".to_owned(), t));

    let mut t = String::from("year,region,power,influence,share,rank\n");
    for s in &input.regional {
        let _ = writeln!(
            t,
            "{},{},{},{},{},{}",
            s.year,
            cell(&s.region),
            iso(s.power),
            num(s.influence),
            num(s.share),
            s.rank
        );
    }
    out.push(("regional_influence.csv".to_owned(), t));

    let mut t = String::from("year,country_a,country_b,votes,agreement,s_score,kappa,pi\n");
    for s in &input.alignment {
        let _ = writeln!(
            t,
            "{},{},{},{},{},{},{},{}",
            s.year,
            iso(s.a),
            iso(s.b),
            s.votes,
            num(s.agreement),
            num(s.s_score),
            opt(s.kappa),
            opt(s.pi)
        );
    }
    out.push(("alignment.csv".to_owned(), t));

    let mut t = String::from("year,country,regime,with_usa,with_chn,with_rus,lean\n");
    for p in &input.poles {
        let _ = writeln!(
            t,
            "{},{},{},{},{},{},{}",
            p.year,
            iso(p.country),
            p.regime.map_or("", |g| g.as_str()),
            opt(p.with_usa),
            opt(p.with_chn),
            opt(p.with_rus),
            opt(p.lean)
        );
    }
    out.push(("poles.csv".to_owned(), t));

    let mut t = String::from("year,modularity,communities,edges\n");
    for p in &input.polarisation {
        let _ = writeln!(
            t,
            "{},{},{},{}",
            p.year,
            num(p.modularity),
            p.communities,
            p.edges
        );
    }
    out.push(("polarisation.csv".to_owned(), t));

    let mut t = String::from("period,country,community,regime\n");
    for b in &input.blocs {
        let _ = writeln!(
            t,
            "{},{},{},{}",
            b.period,
            iso(b.country),
            b.community,
            b.regime.map_or("", RegimeClass::as_str)
        );
    }
    out.push(("blocs.csv".to_owned(), t));

    let mut t = String::from(
        "period,source,target,events,goldstein_sum,goldstein_mean,quad1,quad2,quad3,quad4,tone_mean,articles\n",
    );
    for r in &input.pulse {
        let _ = writeln!(
            t,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            r.period,
            iso(r.source),
            iso(r.target),
            r.events,
            num(r.goldstein_sum),
            opt(r.goldstein_mean()),
            r.quad[0],
            r.quad[1],
            r.quad[2],
            r.quad[3],
            opt(r.tone_mean()),
            r.articles
        );
    }
    out.push(("event_pulse.csv".to_owned(), t));

    let mut t = String::from(
        "date,source,target,cameo_code,goldstein,description,source_url,dataset,row\n",
    );
    for d in &report.dossiers {
        for e in &d.events {
            let _ = writeln!(
                t,
                "{},{},{},{},{},{},{},{},{}",
                e.date,
                e.source.country.map_or(String::new(), iso),
                e.target.country.map_or(String::new(), iso),
                e.code,
                num(e.goldstein),
                cell(e.description.as_deref().unwrap_or("")),
                cell(e.source_url.as_deref().unwrap_or("")),
                cell(&e.provenance.dataset),
                e.provenance.row
            );
        }
    }
    out.push(("key_events.csv".to_owned(), t));
    out
}
