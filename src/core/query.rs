//! What a question asks, as a closed type: the one thing `answer` reads. A typed question is
//! built from the parser's `Parsed` and the question's form ([`Form`]: ja/nej, "i dag", a wish)
//! by [`query_of`]; a slash command, the notifier and the status board build one directly. No
//! adapter builds a `Parsed`.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::core::catalogue::{AreaId, Group};
use crate::core::understand::{self, default_parser, Intent, Parsed, SmallTalk};
use crate::core::year_month::YearMonth;

/// A question, as the answer needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Areas named, or a group's members: what is asked of them.
    Areas { scope: Scope, ask: AreaAsk },
    /// The general monthly release (datapakker, then DAP cubes), no area named.
    Release(ReleaseAsk),
    /// Every area, one line each, problems first.
    Overview(OverviewAsk),
    /// Only the areas with problems, of the whole catalogue or of a scope.
    Problems {
        scope: Option<Scope>,
        ask: ProblemsAsk,
    },
    /// What the bot can answer. `plain`: the text asks that and nothing else (not "kan nogen
    /// hjælpe mig med min printer?"), so it is answered in a question channel too.
    Help { plain: bool },
    /// Said to the bot, not asked: one friendly line.
    Talk(Talk),
    /// A status or release question naming only words that are no area.
    UnknownArea {
        words: Vec<String>,
        suggestions: Vec<AreaId>,
    },
    /// Not about FLIS data.
    Unknown,
}

/// The areas a question names: areas by themselves, and groups (whose members are taken from
/// the live catalogue when answering), in the order named.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub areas: Vec<AreaId>,
    pub groups: Vec<Group>,
}

impl Scope {
    pub fn area(id: AreaId) -> Scope {
        Scope {
            areas: vec![id],
            groups: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty() && self.groups.is_empty()
    }
}

/// What is asked of areas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaAsk {
    /// "status X", "hvor langt er X?".
    Status,
    /// "er X opdateret?", "er der nyt i X?": ja or nej on the data being what the rules expect.
    Updated,
    /// "er X nede?": ja, nej or delvist on the state.
    Down,
    /// "virker X?": ja, nej or delvist on running to plan.
    Works,
    /// "hvorfor mangler X?": the drift note first.
    Why,
    /// "hvornår kommer X?": the date first (or why there is none).
    When,
    /// "kommer X i dag?": ja or nej on a release of X today.
    Today,
    /// "hvor ofte opdateres X?": the cadence.
    HowOften,
    /// A named month: "hvornår kommer maj-data for KRL?", "er juni-data for YR kommet?",
    /// "kommer KY i september?".
    Month(MonthAsk),
}

/// What is asked of the general release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseAsk {
    /// "hvornår kommer datapakkerne / næste udgivelse?".
    When,
    /// "er datapakkerne ude?", "er månedens data ude?": ja or nej on the latest release.
    Out,
    /// "kommer der nyt i dag?": ja or nej on a release today.
    Today,
    /// "hvor ofte kommer der nye data?": the catalogue's cadences.
    HowOften,
    /// A named month: "hvornår kommer juni-tallene?", "kommer der nyt i oktober?".
    Month(MonthAsk),
}

/// What is asked of all areas at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverviewAsk {
    /// "oversigt".
    Plain,
    /// "er data opdateret (i dag)?", "er alle data opdateret?": ja or nej.
    Updated,
}

/// What a problem question asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemsAsk {
    /// "er der problemer?": ja when there are.
    Any,
    /// "virker alt?": nej when there are.
    AllWork,
}

/// Said to the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Talk {
    /// A bare greeting, or nothing to read.
    Greeting,
    Thanks,
    /// "god weekend alle sammen": the wishes back.
    Wish(Vec<Wish>),
}

/// What people wish each other; `responses/wish.md` words each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wish {
    Weekend,
    Christmas,
    NewYear,
    Easter,
    Summer,
    Holiday,
    Night,
}

/// A month the question names, and what it asks of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct MonthAsk {
    pub month: AskedMonth,
    pub question: MonthQuestion,
}

/// What is asked of a named month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthQuestion {
    /// When it comes, or what came ("hvornår kommer maj-data?", "hvad kom der i september?").
    What,
    /// Ja or nej: is it out ("er juni-data kommet?", "er oktober-udgivelsen ude?").
    IsOut,
    /// Ja or nej: does something come then ("kommer der nyt i oktober?").
    Comes,
}

/// A month as named: without a year it means what the user means ([`AskedMonth::resolve`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct AskedMonth {
    /// 1–12.
    pub month: u32,
    pub year: Option<i32>,
    pub of: MonthOf,
}

/// What a named month is the month of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthOf {
    /// The data's month: "maj-data".
    Data,
    /// A release's month: "i oktober", "oktober-udgivelsen".
    Release,
}

impl AskedMonth {
    /// A release month without a year is the coming one (this month included); a data month
    /// the latest that can exist (not after this month).
    pub fn resolve(self, today: NaiveDate) -> YearMonth {
        let this = YearMonth::of_date(today);
        let year = self.year.unwrap_or(match self.of {
            MonthOf::Data if self.month <= this.month() => this.year(),
            MonthOf::Data => this.year() - 1,
            MonthOf::Release if self.month >= this.month() => this.year(),
            MonthOf::Release => this.year() + 1,
        });
        YearMonth::new(year, self.month).unwrap_or(this)
    }
}

impl Query {
    /// The intent it falls under, for counting (metrics).
    pub fn intent(&self) -> Intent {
        match self {
            Query::Areas { ask, .. } => match ask {
                AreaAsk::When | AreaAsk::Today | AreaAsk::HowOften => Intent::NextRelease,
                AreaAsk::Month(m) if m.question != MonthQuestion::IsOut => Intent::NextRelease,
                _ => Intent::Status,
            },
            Query::Release(_) => Intent::NextRelease,
            Query::Overview(_) | Query::Problems { .. } => Intent::Overview,
            Query::Help { .. } | Query::Talk(Talk::Greeting) => Intent::Help,
            Query::UnknownArea { .. } => Intent::Status,
            Query::Talk(_) | Query::Unknown => Intent::Unknown,
        }
    }

    /// In a question channel people also talk among themselves: answered there is only what is
    /// about FLIS, and a plain request for help. Said to the bot (mention, DM), all is answered.
    pub fn for_a_question_channel(&self) -> bool {
        match self {
            Query::Talk(_) | Query::Unknown => false,
            Query::Help { plain } => *plain,
            _ => true,
        }
    }
}

/// How a question is put, read from its text: what `Parsed` does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    /// It asks for ja or nej ("er …?", "kommer …?", "… høre om …").
    pub yes_no: bool,
    /// It names today ("i dag").
    pub today: bool,
    /// It is nothing but wishes ("god weekend alle sammen").
    pub wishes: Vec<Wish>,
    /// It has a letter or digit (a message of only emoji or punctuation has none).
    pub words: bool,
}

/// The words of `data/question_form.toml`.
#[derive(Deserialize)]
struct FormWords {
    yes_no_openers: Vec<String>,
    lead_in: Vec<String>,
    asks_whether: Vec<String>,
    today: Vec<String>,
    wishes: WishWords,
}

#[derive(Deserialize)]
struct WishWords {
    openers: Vec<String>,
    rest: Vec<String>,
    occasions: std::collections::BTreeMap<Wish, Vec<String>>,
}

/// Each entry as its words.
struct FormTable {
    yes_no_openers: Vec<String>,
    lead_in: Vec<String>,
    asks_whether: Vec<Vec<String>>,
    today: Vec<Vec<String>>,
    wish_openers: Vec<Vec<String>>,
    wish_rest: Vec<String>,
    occasions: Vec<(Wish, Vec<String>)>,
}

const QUESTION_FORM_TOML: &str = include_str!("../../data/question_form.toml");

fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn phrases(list: &[String]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = list.iter().map(|p| words_of(p)).collect();
    // Longest first, so "have a nice" wins over a shorter phrase it begins with.
    out.sort_by_key(|p| std::cmp::Reverse(p.len()));
    out
}

fn form_table() -> &'static FormTable {
    static TABLE: OnceLock<FormTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is embedded and checked by a test; should it ever not parse, no question
        // is read as a yes/no question or a wish, and nothing else changes.
        let words: Option<FormWords> = toml::from_str(QUESTION_FORM_TOML)
            .map_err(|e| tracing::error!(error = %e, "data/question_form.toml does not parse"))
            .ok();
        let Some(w) = words else {
            return FormTable {
                yes_no_openers: Vec::new(),
                lead_in: Vec::new(),
                asks_whether: Vec::new(),
                today: Vec::new(),
                wish_openers: Vec::new(),
                wish_rest: Vec::new(),
                occasions: Vec::new(),
            };
        };
        let mut occasions: Vec<(Wish, Vec<String>)> = w
            .wishes
            .occasions
            .iter()
            .flat_map(|(wish, list)| phrases(list).into_iter().map(|p| (*wish, p)))
            .collect();
        occasions.sort_by_key(|(_, p)| std::cmp::Reverse(p.len()));
        FormTable {
            yes_no_openers: w.yes_no_openers,
            lead_in: w.lead_in,
            asks_whether: phrases(&w.asks_whether),
            today: phrases(&w.today),
            wish_openers: phrases(&w.wishes.openers),
            wish_rest: w.wishes.rest,
            occasions,
        }
    })
}

/// Whether `words` begins with `phrase`.
fn starts_with(words: &[&str], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && words.len() >= phrase.len()
        && words.iter().zip(phrase).all(|(w, p)| *w == p.as_str())
}

/// Whether `phrase` occurs anywhere in `words`.
fn contains(words: &[&str], phrase: &[String]) -> bool {
    (0..words.len()).any(|i| starts_with(&words[i..], phrase))
}

/// The wishes `words` consists of: openers each followed by an occasion, with only the table's
/// other words between; empty when anything else is said. An opener may be glued to its
/// occasion ("godnat", "godweekend").
fn wishes(words: &[&str], t: &FormTable) -> Vec<Wish> {
    let mut split = Vec::with_capacity(words.len());
    for w in words {
        match glued_opener(w, t) {
            Some(at) => split.extend([&w[..at], &w[at..]]),
            None => split.push(*w),
        }
    }
    let words = split.as_slice();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if t.wish_rest.iter().any(|r| r == words[i]) {
            i += 1;
            continue;
        }
        let Some(opener) = t.wish_openers.iter().find(|p| starts_with(&words[i..], p)) else {
            return Vec::new();
        };
        let at = i + opener.len();
        let Some((wish, occasion)) = t
            .occasions
            .iter()
            .find(|(_, p)| starts_with(&words[at..], p))
        else {
            return Vec::new();
        };
        if !out.contains(wish) {
            out.push(*wish);
        }
        i = at + occasion.len();
    }
    out
}

/// Where the occasion begins in a word that is a one-word opener and a one-word occasion.
fn glued_opener(word: &str, t: &FormTable) -> Option<usize> {
    t.wish_openers.iter().find_map(|opener| {
        let [opener] = opener.as_slice() else {
            return None;
        };
        let rest = word.strip_prefix(opener.as_str())?;
        t.occasions
            .iter()
            .any(|(_, p)| matches!(p.as_slice(), [one] if one == rest))
            .then_some(opener.len())
    })
}

impl Form {
    /// Reads how `text` is put. Never panics, whatever the text; bounded work per word.
    pub fn read(text: &str) -> Form {
        let t = form_table();
        let all = words_of(text);
        // Numbers are no words here: a mention ("<@123>") or a count says nothing of the form.
        let words: Vec<&str> = all
            .iter()
            .map(String::as_str)
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
            .collect();
        let opener = words.iter().find(|w| !t.lead_in.iter().any(|l| l == *w));
        let yes_no = opener.is_some_and(|w| t.yes_no_openers.iter().any(|o| o == w))
            || t.asks_whether.iter().any(|p| contains(&words, p));
        Form {
            yes_no,
            today: t.today.iter().any(|p| contains(&words, p)),
            wishes: wishes(&words, t),
            words: !all.is_empty(),
        }
    }
}

fn asked_month(parsed: &Parsed) -> Option<AskedMonth> {
    parsed.month.map(|m| AskedMonth {
        month: m.month,
        year: m.year,
        of: match m.role {
            understand::MonthRole::Data => MonthOf::Data,
            understand::MonthRole::Release => MonthOf::Release,
        },
    })
}

fn scope_of(parsed: &Parsed) -> Scope {
    if parsed.groups.is_empty() {
        Scope {
            areas: parsed.areas.clone(),
            groups: Vec::new(),
        }
    } else {
        Scope {
            areas: parsed.named.clone(),
            groups: parsed.groups.clone(),
        }
    }
}

/// A "when" question about a month, today or in general, as `form` puts it.
fn when(month: Option<AskedMonth>, form: &Form) -> When {
    match (month, form.yes_no) {
        (Some(m), yes_no) => When::Month(MonthAsk {
            month: m,
            question: if yes_no {
                MonthQuestion::Comes
            } else {
                MonthQuestion::What
            },
        }),
        (None, true) if form.today => When::Today,
        (None, _) => When::Next,
    }
}

enum When {
    Next,
    Today,
    Month(MonthAsk),
}

fn is_out(month: AskedMonth) -> MonthAsk {
    MonthAsk {
        month,
        question: MonthQuestion::IsOut,
    }
}

fn area_ask(parsed: &Parsed, form: &Form) -> AreaAsk {
    use understand::Ask;
    let month = asked_month(parsed);
    let when = || match when(month, form) {
        When::Next => AreaAsk::When,
        When::Today => AreaAsk::Today,
        When::Month(m) => AreaAsk::Month(m),
    };
    match parsed.ask {
        Ask::Updated => month.map_or(AreaAsk::Updated, |m| AreaAsk::Month(is_out(m))),
        Ask::Down | Ask::Problems => AreaAsk::Down,
        Ask::Works => AreaAsk::Works,
        Ask::Why => AreaAsk::Why,
        Ask::HowOften => AreaAsk::HowOften,
        Ask::When => when(),
        Ask::Plain if parsed.intent == Intent::NextRelease => when(),
        // "er der nyt i udsatte børn?", "er DFDG tilbage?": a status asked as ja or nej is
        // whether the data is there.
        Ask::Plain if form.yes_no => match month {
            Some(m) => AreaAsk::Month(is_out(m)),
            None if form.today => AreaAsk::Today,
            None => AreaAsk::Updated,
        },
        Ask::Plain => month.map_or(AreaAsk::Status, |m| {
            AreaAsk::Month(MonthAsk {
                month: m,
                question: MonthQuestion::What,
            })
        }),
    }
}

fn release_ask(parsed: &Parsed, form: &Form) -> ReleaseAsk {
    use understand::Ask;
    let month = asked_month(parsed);
    match parsed.ask {
        Ask::HowOften => ReleaseAsk::HowOften,
        Ask::Updated | Ask::Down | Ask::Works | Ask::Why | Ask::Problems => {
            month.map_or(ReleaseAsk::Out, |m| ReleaseAsk::Month(is_out(m)))
        }
        Ask::When | Ask::Plain => match when(month, form) {
            When::Next => ReleaseAsk::When,
            When::Today => ReleaseAsk::Today,
            When::Month(m) => ReleaseAsk::Month(m),
        },
    }
}

/// The typed question `parsed` and `form` make.
pub fn query_of(parsed: &Parsed, form: &Form) -> Query {
    use understand::Ask;
    match parsed.small_talk {
        Some(SmallTalk::Thanks) => return Query::Talk(Talk::Thanks),
        Some(SmallTalk::Greeting | SmallTalk::Empty) => return Query::Talk(Talk::Greeting),
        None if parsed.greeting_only => return Query::Talk(Talk::Greeting),
        None => {}
    }
    let scope = scope_of(parsed);
    match parsed.intent {
        Intent::Help => Query::Help {
            plain: parsed.unknown_words.is_empty() && parsed.suggestions.is_empty() && form.words,
        },
        Intent::Unknown if !form.wishes.is_empty() => Query::Talk(Talk::Wish(form.wishes.clone())),
        Intent::Unknown => Query::Unknown,
        _ if parsed.ask == Ask::Problems => Query::Problems {
            scope: (!scope.is_empty()).then_some(scope),
            ask: ProblemsAsk::Any,
        },
        Intent::Overview => match parsed.ask {
            Ask::Down | Ask::Why | Ask::Problems => Query::Problems {
                scope: None,
                ask: ProblemsAsk::Any,
            },
            Ask::Works => Query::Problems {
                scope: None,
                ask: ProblemsAsk::AllWork,
            },
            Ask::When | Ask::HowOften => Query::Release(release_ask(parsed, form)),
            Ask::Updated => Query::Overview(OverviewAsk::Updated),
            Ask::Plain => Query::Overview(OverviewAsk::Plain),
        },
        Intent::Status | Intent::NextRelease if scope.is_empty() => {
            if parsed.general {
                Query::Release(release_ask(parsed, form))
            } else {
                Query::UnknownArea {
                    words: parsed.unknown_words.clone(),
                    suggestions: parsed.suggestions.clone(),
                }
            }
        }
        Intent::Status | Intent::NextRelease => Query::Areas {
            scope,
            ask: area_ask(parsed, form),
        },
    }
}

/// The question `text` asks, read by the default parser.
pub fn understand(text: &str) -> Query {
    query_of(&default_parser().parse(text), &Form::read(text))
}

/// The areas an option of a slash command names: an area id (what autocomplete sends), else
/// the areas and groups the parser reads in it; otherwise the unknown-area reply, with a
/// "mente du …?" where a name is close.
pub fn scope_named(text: &str) -> Result<Scope, Query> {
    if let Ok(id) = text.trim().parse::<AreaId>() {
        return Ok(Scope::area(id));
    }
    let parsed = default_parser().parse(text);
    let scope = scope_of(&parsed);
    if scope.is_empty() {
        Err(Query::UnknownArea {
            words: parsed.unknown_words,
            suggestions: parsed.suggestions,
        })
    } else {
        Ok(scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(text: &str) -> Form {
        Form::read(text)
    }

    #[test]
    fn the_form_file_parses_and_every_list_has_words() {
        let w: FormWords = toml::from_str(QUESTION_FORM_TOML).unwrap();
        assert!(!w.yes_no_openers.is_empty() && !w.today.is_empty());
        assert_eq!(w.wishes.occasions.len(), 7, "every wish has its words");
    }

    #[test]
    fn a_yes_no_question_is_told_by_how_it_opens() {
        // (text, asks ja/nej, names today)
        let cases = [
            ("er der nyt i udsatte børn?", true, false),
            ("Er DFDG tilbage?", true, false),
            ("kommer der nyt i oktober?", true, false),
            ("kommer der nyt i dag?", true, true),
            ("<@123> er KY opdateret idag", true, true),
            ("hej, er KY opdateret?", true, false),
            ("jeg ville bare høre om KY er kommet", true, false),
            ("hvornår kommer KY?", false, false),
            ("hvornår kommer der data i dag?", false, true),
            ("status KY", false, false),
            ("", false, false),
        ];
        for (text, yes_no, today) in cases {
            let f = form(text);
            assert_eq!((f.yes_no, f.today), (yes_no, today), "{text:?}");
        }
    }

    #[test]
    fn wishes_are_read_only_when_nothing_else_is_said() {
        use Wish::*;
        let cases: [(&str, &[Wish]); 14] = [
            ("god weekend alle sammen", &[Weekend]),
            ("God jul alle sammen 🎄", &[Christmas]),
            ("rigtig god weekend!", &[Weekend]),
            ("god jul og godt nytår", &[Christmas, NewYear]),
            ("Happy new year everyone", &[NewYear]),
            ("<@42> god påske", &[Easter]),
            ("godnat", &[Night]),
            ("okay, god nat folkens", &[Night]),
            ("god nat søvn", &[]),
            ("godweekend alle", &[Weekend]),
            ("godt", &[]),
            ("god weekend, er KY opdateret?", &[]),
            ("god idé", &[]),
            ("god", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(form(text).wishes, want, "{text:?}");
        }
    }

    #[test]
    fn any_text_is_read_without_panicking() {
        for text in [
            "",
            "god",
            "god god god",
            "i",
            "høre om",
            "💥",
            &"god jul ".repeat(500),
        ] {
            let _ = form(text);
        }
    }

    #[test]
    fn a_month_without_a_year_means_what_the_user_means() {
        let m = |month, of| AskedMonth {
            month,
            year: None,
            of,
        };
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let ym = crate::test_support::ym;
        // (month, of, today, resolved)
        let cases = [
            (12, MonthOf::Release, "2025-11-15", "2025-12"),
            (1, MonthOf::Release, "2025-11-15", "2026-01"),
            (11, MonthOf::Release, "2025-11-15", "2025-11"),
            (10, MonthOf::Release, "2025-11-15", "2026-10"),
            (12, MonthOf::Data, "2025-11-15", "2024-12"),
            (5, MonthOf::Data, "2025-11-15", "2025-05"),
            (11, MonthOf::Data, "2025-11-15", "2025-11"),
            (1, MonthOf::Data, "2026-01-03", "2026-01"),
            (12, MonthOf::Data, "2026-01-03", "2025-12"),
        ];
        for (month, of, today, want) in cases {
            assert_eq!(
                m(month, of).resolve(d(today)),
                ym(want),
                "{month} {of:?} {today}"
            );
        }
        let with_year = AskedMonth {
            month: 12,
            year: Some(2024),
            of: MonthOf::Release,
        };
        assert_eq!(with_year.resolve(d("2025-11-15")), ym("2024-12"));
    }

    #[test]
    fn questions_become_the_query_they_ask() {
        use AreaId::*;
        let areas = |ids: &[AreaId], ask| Query::Areas {
            scope: Scope {
                areas: ids.to_vec(),
                groups: Vec::new(),
            },
            ask,
        };
        let oct = AskedMonth {
            month: 10,
            year: None,
            of: MonthOf::Release,
        };
        let may = AskedMonth {
            month: 5,
            year: None,
            of: MonthOf::Data,
        };
        let cases = [
            ("status FSIII", areas(&[Fsiii], AreaAsk::Status)),
            ("er KRL opdateret?", areas(&[Krl], AreaAsk::Updated)),
            (
                "er der nyt i udsatte børn?",
                areas(&[Udsatte], AreaAsk::Updated),
            ),
            ("er DFDG tilbage?", areas(&[Dfdg], AreaAsk::Updated)),
            ("hvorfor mangler KRL-data?", areas(&[Krl], AreaAsk::Why)),
            ("hvornår kommer DREAM-data?", areas(&[Dream], AreaAsk::When)),
            (
                "hvornår kommer maj-data for KRL?",
                areas(
                    &[Krl],
                    AreaAsk::Month(MonthAsk {
                        month: may,
                        question: MonthQuestion::What,
                    }),
                ),
            ),
            (
                "hvornår kommer næste udgivelse",
                Query::Release(ReleaseAsk::When),
            ),
            ("er datapakkerne kommet?", Query::Release(ReleaseAsk::Out)),
            (
                "kommer der nyt i oktober?",
                Query::Release(ReleaseAsk::Month(MonthAsk {
                    month: oct,
                    question: MonthQuestion::Comes,
                })),
            ),
            (
                "hvor ofte kommer der nye data?",
                Query::Release(ReleaseAsk::HowOften),
            ),
            ("oversigt", Query::Overview(OverviewAsk::Plain)),
            // Whether the month's data has come: the release, whatever each area has.
            ("er data opdateret i dag?", Query::Release(ReleaseAsk::Out)),
            (
                "er alle data opdateret?",
                Query::Overview(OverviewAsk::Updated),
            ),
            (
                "er der problemer?",
                Query::Problems {
                    scope: None,
                    ask: ProblemsAsk::Any,
                },
            ),
            ("hjælp", Query::Help { plain: true }),
            ("hej", Query::Talk(Talk::Greeting)),
            ("tak", Query::Talk(Talk::Thanks)),
            (
                "god weekend alle sammen",
                Query::Talk(Talk::Wish(vec![Wish::Weekend])),
            ),
            (
                "god jul alle sammen",
                Query::Talk(Talk::Wish(vec![Wish::Christmas])),
            ),
            ("hvad er klokken", Query::Unknown),
        ];
        for (text, want) in cases {
            assert_eq!(understand(text), want, "{text:?}");
        }
        assert!(matches!(
            understand("status qwxvk"),
            Query::UnknownArea { words, .. } if words == ["qwxvk"]
        ));
        // A group keeps its name: its members come from the live catalogue.
        assert_eq!(
            understand("status social og sundhed"),
            Query::Areas {
                scope: Scope {
                    areas: Vec::new(),
                    groups: vec![Group::SocialSundhed],
                },
                ask: AreaAsk::Status,
            }
        );
    }

    #[test]
    fn a_question_channel_hears_only_questions_about_flis() {
        // (text, answered in a question channel)
        let cases = [
            ("status FSIII", true),
            ("er KY opdateret?", true),
            ("hvornår kommer datapakkerne?", true),
            ("oversigt", true),
            ("hjælp", true),
            ("hvad kan du?", true),
            ("god jul alle sammen", false),
            ("god weekend alle sammen", false),
            ("tak for det", false),
            ("tusind tak", false),
            ("🎉🎉", false),
            ("", false),
            ("godmorgen", false),
            ("fortæl en vittighed", false),
            ("kan nogen hjælpe mig med min printer?", false),
            ("🙂", false),
        ];
        for (text, answered) in cases {
            let q = understand(text);
            assert_eq!(q.for_a_question_channel(), answered, "{text:?}: {q:?}");
        }
    }

    #[test]
    fn a_slash_command_option_names_an_area_by_id_name_or_close_word() {
        assert_eq!(scope_named("fsiii"), Ok(Scope::area(AreaId::Fsiii)));
        assert_eq!(
            scope_named("Borger Flex"),
            Ok(Scope::area(AreaId::BorgerFlex))
        );
        match scope_named("fsi") {
            Err(Query::UnknownArea { suggestions, .. }) => {
                assert_eq!(suggestions, [AreaId::Fsiii])
            }
            other => panic!("{other:?}"),
        }
    }
}
