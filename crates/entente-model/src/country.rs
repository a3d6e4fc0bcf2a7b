//! Country identity across code systems, aware of time (like R's countrycode,
//! with validity periods).
//!
//! The tables are compiled in from `reference/countries.csv` (one row per
//! entity), `reference/country_codes.csv` (one row per code spell: a code in a
//! system, valid from a start date to an end date) and
//! `reference/cameo_pseudo.csv` (CAMEO's regional and sub-national codes).
//! docs/data-formats.md documents them; data/reference/NOTES-countries.md lists
//! the deliberate differences from countrycode.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::{Date, ModelError};

const COUNTRIES: &str = include_str!("../reference/countries.csv");
const CODES: &str = include_str!("../reference/country_codes.csv");
const PSEUDO: &str = include_str!("../reference/cameo_pseudo.csv");

/// entente's key for a country: an upper-case three-letter id, ISO 3166-1
/// alpha-3 where one exists (`RUS`, `CHN`), and ISO 3166-3 style ids for
/// historical states (`SUN`, `YUG`, `SCG`, `CSK`, `DDR`, `YMD`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryId([u8; 3]);

impl CountryId {
    /// Checks the shape only (three ASCII upper-case letters); use
    /// [`Countries::get`] to know whether the id exists.
    pub fn new(s: &str) -> Result<CountryId, ModelError> {
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_uppercase) {
            Ok(CountryId([b[0], b[1], b[2]]))
        } else {
            Err(ModelError::InvalidCountryId(s.to_owned()))
        }
    }
    /// An id from three bytes, if they are ASCII upper-case letters.
    #[inline]
    pub fn from_bytes(b: [u8; 3]) -> Option<CountryId> {
        b.iter().all(u8::is_ascii_uppercase).then_some(CountryId(b))
    }
    /// The id as three ASCII upper-case letters.
    #[inline]
    pub fn as_bytes(&self) -> [u8; 3] {
        self.0
    }
    /// The id as text.
    #[inline]
    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored, so this never fails
        // (and the check is three byte comparisons).
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Debug for CountryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Display for CountryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl FromStr for CountryId {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CountryId::new(s)
    }
}
impl TryFrom<String> for CountryId {
    type Error = ModelError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CountryId::new(&s)
    }
}
impl From<CountryId> for String {
    fn from(c: CountryId) -> String {
        c.as_str().to_owned()
    }
}

/// A country code system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeSystem {
    /// ISO 3166-1 alpha-3.
    Iso3,
    /// ISO 3166-1 alpha-2.
    Iso2,
    /// ISO 3166-1 numeric, which is the UN M49 country code (three digits).
    M49,
    /// Correlates of War state number.
    Cow,
    /// Correlates of War state abbreviation.
    Cowc,
    /// Gleditsch and Ward state number.
    Gw,
    /// Gleditsch and Ward state abbreviation.
    Gwc,
    /// CAMEO actor country code (GDELT `Actor1CountryCode`, ICEWS).
    Cameo,
    /// FIPS 10-4 (GDELT's `*Geo_CountryCode` columns).
    Fips,
}

impl CodeSystem {
    /// Every system, in the order records print them.
    pub const ALL: [CodeSystem; 9] = [
        CodeSystem::Iso3,
        CodeSystem::Iso2,
        CodeSystem::M49,
        CodeSystem::Cow,
        CodeSystem::Cowc,
        CodeSystem::Gw,
        CodeSystem::Gwc,
        CodeSystem::Cameo,
        CodeSystem::Fips,
    ];
    /// The name used in tables and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeSystem::Iso3 => "iso3",
            CodeSystem::Iso2 => "iso2",
            CodeSystem::M49 => "m49",
            CodeSystem::Cow => "cow",
            CodeSystem::Cowc => "cowc",
            CodeSystem::Gw => "gw",
            CodeSystem::Gwc => "gwc",
            CodeSystem::Cameo => "cameo",
            CodeSystem::Fips => "fips",
        }
    }
    /// Numeric systems compare codes as numbers (`"004"` equals `"4"`).
    fn is_numeric(self) -> bool {
        matches!(self, CodeSystem::M49 | CodeSystem::Cow | CodeSystem::Gw)
    }
    /// The canonical key of a code in this system.
    fn key(self, code: &str) -> String {
        let code = code.trim();
        if self.is_numeric() {
            match code.parse::<u32>() {
                Ok(n) => n.to_string(),
                Err(_) => code.to_owned(),
            }
        } else {
            code.to_ascii_uppercase()
        }
    }
}

impl FromStr for CodeSystem {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CodeSystem::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| ModelError::UnknownCodeSystem(s.to_owned()))
    }
}

/// The regions that entente's reports use. South America is a sub-region of
/// Latin America and the Caribbean (see [`Country::is_south_america`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Region {
    /// Sub-Saharan Africa.
    Africa,
    /// The Arab states of North Africa and the Middle East, with Israel, Iran and Turkey.
    #[serde(rename = "Middle East and North Africa")]
    MiddleEastNorthAfrica,
    /// Europe, including the Baltic states.
    Europe,
    /// The former Soviet republics other than the Baltic states.
    #[serde(rename = "Post-Soviet Eurasia")]
    PostSovietEurasia,
    /// South Asia, including Afghanistan.
    #[serde(rename = "South Asia")]
    SouthAsia,
    /// East Asia.
    #[serde(rename = "East Asia")]
    EastAsia,
    /// Southeast Asia.
    #[serde(rename = "Southeast Asia")]
    SoutheastAsia,
    /// Oceania.
    Oceania,
    /// The United States and Canada.
    #[serde(rename = "North America")]
    NorthAmerica,
    /// Latin America and the Caribbean.
    #[serde(rename = "Latin America and the Caribbean")]
    LatinAmerica,
}

impl Region {
    /// Every region, in report order.
    pub const ALL: [Region; 10] = [
        Region::Africa,
        Region::MiddleEastNorthAfrica,
        Region::Europe,
        Region::PostSovietEurasia,
        Region::SouthAsia,
        Region::EastAsia,
        Region::SoutheastAsia,
        Region::Oceania,
        Region::NorthAmerica,
        Region::LatinAmerica,
    ];
    /// The name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Africa => "Africa",
            Region::MiddleEastNorthAfrica => "Middle East and North Africa",
            Region::Europe => "Europe",
            Region::PostSovietEurasia => "Post-Soviet Eurasia",
            Region::SouthAsia => "South Asia",
            Region::EastAsia => "East Asia",
            Region::SoutheastAsia => "Southeast Asia",
            Region::Oceania => "Oceania",
            Region::NorthAmerica => "North America",
            Region::LatinAmerica => "Latin America and the Caribbean",
        }
    }
}

impl FromStr for Region {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| ModelError::UnknownRegion(s.to_owned()))
    }
}

/// Whether an entity is a sovereign state or a dependent territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryKind {
    /// A state (including states with limited recognition such as Taiwan and Kosovo).
    State,
    /// A dependent territory (Hong Kong, Puerto Rico, ...).
    Territory,
}

/// A code valid over a span of time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSpell {
    /// The system.
    pub system: CodeSystem,
    /// The code as written in that system.
    pub code: String,
    /// First day of validity; `None` for "since the entity began".
    pub start: Option<Date>,
    /// Last day of validity; `None` for "still valid".
    pub end: Option<Date>,
}

impl CodeSpell {
    fn covers(&self, date: Date) -> bool {
        self.start.is_none_or(|s| s <= date) && self.end.is_none_or(|e| date <= e)
    }
}

/// One country or historical state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Country {
    /// entente's key.
    pub id: CountryId,
    /// Short English name.
    pub name: String,
    /// Official name.
    pub official_name: String,
    /// State or territory.
    pub kind: CountryKind,
    /// First day of existence, when known.
    pub start: Option<Date>,
    /// Last day of existence; `None` while it exists.
    pub end: Option<Date>,
    /// The entity that succeeded or continued it.
    pub successor: Option<CountryId>,
    /// UN M49 region.
    pub un_region: String,
    /// UN M49 sub-region (intermediate region in the Americas).
    pub un_subregion: String,
    /// entente's analyst region.
    pub region: Region,
    /// Other names seen in data.
    pub aliases: Vec<String>,
    /// Every code spell, sorted by system then start.
    pub codes: Vec<CodeSpell>,
}

impl Country {
    /// The code valid at `date` (or the latest one when `date` is `None`).
    pub fn code(&self, system: CodeSystem, date: Option<Date>) -> Option<&str> {
        let mut spells = self.codes.iter().filter(|s| s.system == system);
        match date {
            Some(d) => spells.find(|s| s.covers(d)).map(|s| s.code.as_str()),
            None => spells.next_back().map(|s| s.code.as_str()),
        }
    }
    /// Whether the entity existed on `date`.
    pub fn exists_on(&self, date: Date) -> bool {
        self.start.is_none_or(|s| s <= date) && self.end.is_none_or(|e| date <= e)
    }
    /// Whether the country is in the UN's South America sub-region.
    pub fn is_south_america(&self) -> bool {
        self.un_subregion == "South America"
    }
}

/// A CAMEO actor code that is not a state: a region (`AFR`, `EUR`, `WST`) or a
/// place within one (`GZS`, `WSB`, `BAG`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PseudoCode {
    /// The CAMEO code.
    pub code: String,
    /// CAMEO's label.
    pub label: String,
    /// `region`, `subnational` or `other`.
    pub kind: String,
    /// The state it is part of, for sub-national codes.
    pub maps_to: Option<CountryId>,
}

/// The outcome of resolving a code or name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved<'a> {
    /// A country.
    Country(&'a Country),
    /// A CAMEO code that names no state.
    NotAState(&'a PseudoCode),
}

/// The compiled-in country registry.
#[derive(Debug)]
pub struct Countries {
    countries: Vec<Country>,
    by_id: HashMap<CountryId, usize>,
    /// (system, key) to (country index, spell index) for every spell.
    by_code: HashMap<(CodeSystem, String), Vec<(usize, usize)>>,
    by_name: HashMap<String, Vec<usize>>,
    pseudo: Vec<PseudoCode>,
    /// Every three-letter CAMEO code, resolved once: the hot path of event readers.
    cameo_dense: Vec<CameoSlot>,
}

/// What a three-letter CAMEO actor country code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameoSlot {
    /// A state (the most recent holder of the code).
    State(CountryId),
    /// A regional or sub-national code; `Some` when it lies within one state.
    NotAState(Option<CountryId>),
    /// Not a CAMEO country code.
    Unknown,
}

#[inline]
fn dense_index(code: &[u8]) -> Option<usize> {
    if code.len() != 3 || !code.iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    Some(
        code.iter()
            .fold(0usize, |acc, b| acc * 26 + usize::from(b - b'A')),
    )
}

static REGISTRY: LazyLock<Countries> = LazyLock::new(|| {
    Countries::from_tables(COUNTRIES, CODES, PSEUDO).expect("embedded country tables are valid")
});

/// Folds a name for matching: lower case, accents removed, punctuation to spaces.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = true;
    for ch in name.chars().flat_map(char::to_lowercase) {
        let folded = match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => 'i',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ś' | 'š' | 'ş' | 'ș' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ř' => 'r',
            'ţ' | 'ț' | 'ť' => 't',
            'ğ' => 'g',
            'ł' => 'l',
            'đ' | 'ď' => 'd',
            '’' | '\'' | '\u{200b}' | '\u{0300}'..='\u{036f}' => continue,
            c => c,
        };
        if folded.is_alphanumeric() {
            out.push(folded);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn opt_date(s: &str, what: &str) -> Result<Option<Date>, ModelError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        Date::parse(s.trim())
            .map(Some)
            .map_err(|_| ModelError::InvalidTable(format!("bad {what} date `{s}`")))
    }
}

impl Countries {
    /// The embedded registry.
    pub fn global() -> &'static Countries {
        &REGISTRY
    }

    /// Builds a registry from the three tables' text (the embedded ones, or a
    /// user's replacement in the same layout).
    pub fn from_tables(
        countries: &str,
        codes: &str,
        pseudo: &str,
    ) -> Result<Countries, ModelError> {
        let table_err =
            |what: &str, e: csv::Error| ModelError::InvalidTable(format!("{what}: {e}"));
        let mut list = Vec::new();
        let mut rdr = csv::Reader::from_reader(countries.as_bytes());
        for row in rdr.deserialize::<CountryRow>() {
            let row = row.map_err(|e| table_err("countries", e))?;
            let id = CountryId::new(&row.id)?;
            list.push(Country {
                id,
                name: row.name,
                official_name: row.official_name,
                kind: match row.kind.as_str() {
                    "state" => CountryKind::State,
                    "territory" => CountryKind::Territory,
                    k => return Err(ModelError::InvalidTable(format!("{id}: bad kind `{k}`"))),
                },
                start: opt_date(&row.start, "start")?,
                end: opt_date(&row.end, "end")?,
                successor: (!row.successor.is_empty())
                    .then(|| CountryId::new(&row.successor))
                    .transpose()?,
                un_region: row.un_region,
                un_subregion: row.un_subregion,
                region: row.analyst_region.parse()?,
                aliases: row
                    .aliases
                    .split('|')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect(),
                codes: Vec::new(),
            });
        }
        list.sort_by_key(|c| c.id);
        let by_id: HashMap<CountryId, usize> =
            list.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        if by_id.len() != list.len() {
            return Err(ModelError::InvalidTable("duplicate country id".into()));
        }

        let mut rdr = csv::Reader::from_reader(codes.as_bytes());
        for row in rdr.deserialize::<CodeRow>() {
            let row = row.map_err(|e| table_err("country_codes", e))?;
            let id = CountryId::new(&row.entity)?;
            let &i = by_id.get(&id).ok_or_else(|| {
                ModelError::InvalidTable(format!("code for unknown entity `{id}`"))
            })?;
            list[i].codes.push(CodeSpell {
                system: row.system.parse()?,
                code: row.code.trim().to_owned(),
                start: opt_date(&row.start, "start")?,
                end: opt_date(&row.end, "end")?,
            });
        }
        let mut by_code: HashMap<(CodeSystem, String), Vec<(usize, usize)>> = HashMap::new();
        for (i, c) in list.iter_mut().enumerate() {
            c.codes.sort_by_key(|s| (s.system, s.start));
            for (j, s) in c.codes.iter().enumerate() {
                by_code
                    .entry((s.system, s.system.key(&s.code)))
                    .or_default()
                    .push((i, j));
            }
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in list.iter().enumerate() {
            let names = [&c.name, &c.official_name].into_iter().chain(&c.aliases);
            for n in names {
                let key = normalize_name(n);
                if key.is_empty() {
                    continue;
                }
                let v = by_name.entry(key).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }

        let mut pseudo_list = Vec::new();
        let mut rdr = csv::Reader::from_reader(pseudo.as_bytes());
        for row in rdr.deserialize::<PseudoRow>() {
            let row = row.map_err(|e| table_err("cameo_pseudo", e))?;
            pseudo_list.push(PseudoCode {
                code: row.code,
                label: row.label,
                kind: row.kind,
                maps_to: (!row.maps_to.is_empty())
                    .then(|| CountryId::new(&row.maps_to))
                    .transpose()?,
            });
        }
        pseudo_list.sort_by(|a, b| a.code.cmp(&b.code));

        let mut cameo_dense = vec![CameoSlot::Unknown; 26 * 26 * 26];
        for p in &pseudo_list {
            if let Some(i) = dense_index(p.code.as_bytes()) {
                cameo_dense[i] = CameoSlot::NotAState(p.maps_to);
            }
        }
        let mut out = Countries {
            countries: list,
            by_id,
            by_code,
            by_name,
            pseudo: pseudo_list,
            cameo_dense,
        };
        let cameo_codes: Vec<String> = out
            .countries
            .iter()
            .flat_map(|c| &c.codes)
            .filter(|s| s.system == CodeSystem::Cameo)
            .map(|s| s.code.clone())
            .collect();
        for code in cameo_codes {
            if let (Some(i), Ok(c)) = (
                dense_index(code.as_bytes()),
                out.by_code(CodeSystem::Cameo, &code, None),
            ) {
                out.cameo_dense[i] = CameoSlot::State(c.id);
            }
        }
        Ok(out)
    }

    /// Every entity, sorted by id.
    pub fn all(&self) -> &[Country] {
        &self.countries
    }

    /// The entity with this id.
    pub fn get(&self, id: CountryId) -> Option<&Country> {
        self.by_id.get(&id).map(|&i| &self.countries[i])
    }

    /// The entity with this id, or an error naming it.
    pub fn expect(&self, id: &str) -> Result<&Country, ModelError> {
        let id = CountryId::new(id)?;
        self.get(id).ok_or_else(|| ModelError::UnknownCountry {
            query: id.to_string(),
            suggestions: Vec::new(),
        })
    }

    /// Resolves a code in a system. With a date, only the spell valid on that
    /// day answers; without one, the most recent spell does.
    pub fn by_code(
        &self,
        system: CodeSystem,
        code: &str,
        date: Option<Date>,
    ) -> Result<&Country, ModelError> {
        let hits = self.by_code.get(&(system, system.key(code)));
        let pick = hits.and_then(|hits| match date {
            Some(d) => hits
                .iter()
                .find(|&&(i, j)| self.countries[i].codes[j].covers(d))
                .map(|&(i, _)| i),
            None => hits
                .iter()
                .max_by_key(|&&(i, j)| {
                    let s = &self.countries[i].codes[j];
                    (s.end.is_none(), s.end, s.start)
                })
                .map(|&(i, _)| i),
        });
        match pick {
            Some(i) => Ok(&self.countries[i]),
            None if hits.is_some() => Err(ModelError::CodeNotValidOn {
                system,
                code: code.to_owned(),
                date: date.map(|d| d.to_string()).unwrap_or_default(),
            }),
            None => Err(ModelError::UnknownCode {
                system,
                code: code.to_owned(),
            }),
        }
    }

    /// A CAMEO actor code: a state, or a recognised regional/sub-national code.
    pub fn by_cameo(&self, code: &str, date: Option<Date>) -> Result<Resolved<'_>, ModelError> {
        match self.by_code(CodeSystem::Cameo, code, date) {
            Ok(c) => Ok(Resolved::Country(c)),
            Err(e) => {
                let up = code.trim().to_ascii_uppercase();
                match self.pseudo.binary_search_by(|p| p.code.as_str().cmp(&up)) {
                    Ok(i) => Ok(Resolved::NotAState(&self.pseudo[i])),
                    Err(_) => Err(e),
                }
            }
        }
    }

    /// Resolves a raw three-letter CAMEO actor country code without allocating
    /// (the latest holder of the code; CAMEO codes do not change over time).
    #[inline]
    pub fn cameo_slot(&self, code: &[u8]) -> CameoSlot {
        dense_index(code).map_or(CameoSlot::Unknown, |i| self.cameo_dense[i])
    }

    /// CAMEO's non-state codes.
    pub fn pseudo_codes(&self) -> &[PseudoCode] {
        &self.pseudo
    }

    /// Resolves a name or alias, case- and accent-insensitively. When several
    /// entities share a name, the one that existed on `date` (or the latest) wins.
    pub fn by_name(&self, name: &str, date: Option<Date>) -> Result<&Country, ModelError> {
        let key = normalize_name(name);
        let Some(hits) = self.by_name.get(&key) else {
            let query: String = name.chars().take(80).collect();
            return Err(ModelError::UnknownCountry {
                query: if query.len() < name.len() {
                    format!("{query}...")
                } else {
                    query
                },
                suggestions: self.suggest(name),
            });
        };
        let chosen = match date {
            Some(d) => hits
                .iter()
                .copied()
                .find(|&i| self.countries[i].exists_on(d))
                .unwrap_or(hits[0]),
            None => hits
                .iter()
                .copied()
                .max_by_key(|&i| {
                    let c = &self.countries[i];
                    (c.end.is_none(), c.end, c.id)
                })
                .unwrap_or(hits[0]),
        };
        Ok(&self.countries[chosen])
    }

    /// Resolves anything: a code in any system (ISO3, ISO2, CAMEO, then
    /// numeric M49, COW) or a name.
    pub fn lookup(&self, query: &str, date: Option<Date>) -> Result<&Country, ModelError> {
        let q = query.trim();
        let systems: &[CodeSystem] = if q.bytes().all(|b| b.is_ascii_digit()) && !q.is_empty() {
            &[CodeSystem::M49, CodeSystem::Cow]
        } else if q.len() == 3 && q.bytes().all(|b| b.is_ascii_uppercase()) {
            &[CodeSystem::Iso3, CodeSystem::Cameo, CodeSystem::Cowc]
        } else if q.len() == 2 && q.bytes().all(|b| b.is_ascii_uppercase()) {
            &[CodeSystem::Iso2]
        } else {
            &[]
        };
        for &s in systems {
            if let Ok(c) = self.by_code(s, q, date) {
                return Ok(c);
            }
        }
        // Data often applies today's codes to earlier years (`DEU` for 1980):
        // a code that exists, but not on that date, falls back to its latest holder.
        for &s in systems {
            if let Ok(c) = self.by_code(s, q, None) {
                return Ok(c);
            }
        }
        self.by_name(q, date)
    }

    /// The names closest to a misspelt query (edit distance on folded names).
    pub fn suggest(&self, query: &str) -> Vec<String> {
        // No country name is longer than 60 characters: a longer query has no
        // near match, and comparing it would cost time on hostile input.
        if query.chars().count() > 64 {
            return Vec::new();
        }
        let q = normalize_name(query);
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for c in &self.countries {
            let best = [&c.name, &c.official_name]
                .into_iter()
                .chain(&c.aliases)
                .map(|n| levenshtein(&q, &normalize_name(n)))
                .min()
                .unwrap_or(usize::MAX);
            scored.push((best, &c.name));
        }
        scored.sort();
        let limit = (q.chars().count() / 3).max(1);
        scored
            .into_iter()
            .filter(|(d, _)| *d <= limit)
            .take(3)
            .map(|(_, n)| n.to_owned())
            .collect()
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[derive(Deserialize)]
struct CountryRow {
    id: String,
    name: String,
    official_name: String,
    kind: String,
    start: String,
    end: String,
    successor: String,
    un_region: String,
    un_subregion: String,
    analyst_region: String,
    aliases: String,
}

#[derive(Deserialize)]
struct CodeRow {
    entity: String,
    system: String,
    code: String,
    start: String,
    end: String,
}

#[derive(Deserialize)]
struct PseudoRow {
    code: String,
    label: String,
    kind: String,
    maps_to: String,
}

#[cfg(test)]
mod tests;
