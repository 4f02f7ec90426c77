//! The words the name detector knows: personal names (shipped as data) and the English words
//! found around names, such as roles, departments, places, days and months.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};

/// The list of given names and surnames; its header says where it comes from.
const NAMES: &str = include_str!("../../rules/names.txt");

/// How sure a capitalised given name is to be a name: many are ordinary words too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Given {
    /// "Sarah": a name wherever it has a capital.
    Always,
    /// "Frank": a word that can open a sentence, a name inside one.
    MidSentence,
    /// "May", "Grace", "Florence": a name only next to a role, a title or a surname.
    InContext,
}

pub(super) struct Lexicon {
    given: HashMap<String, Given>,
    surnames: HashSet<String>,
}

pub(super) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::parse(NAMES)
        .expect("the embedded rules/names.txt parses: `names_list_parses` checks it")
});

impl Lexicon {
    fn parse(source: &str) -> Result<Self, String> {
        let mut given = HashMap::new();
        let mut surnames = HashSet::new();
        let mut section: Option<Option<Given>> = None;
        for (index, line) in source.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(match name {
                    "names" => Some(Given::Always),
                    "mid-sentence" => Some(Given::MidSentence),
                    "in-context" => Some(Given::InContext),
                    "surnames" => None,
                    other => return Err(format!("line {}: no section [{other}]", index + 1)),
                });
                continue;
            }
            match section {
                None => return Err(format!("line {}: a name before any [section]", index + 1)),
                Some(Some(tier)) => {
                    if given.insert(key(line), tier).is_some_and(|was| was != tier) {
                        return Err(format!("line {}: {line} is in two sections", index + 1));
                    }
                }
                Some(None) => {
                    surnames.insert(key(line));
                }
            }
        }
        Ok(Self { given, surnames })
    }

    /// The given name `key` (from [`key`]), or the first part of a hyphenated one ("Jean-Paul").
    pub fn given(&self, key: &str) -> Option<Given> {
        self.given.get(key).copied().or_else(|| {
            key.split_once('-')
                .and_then(|(first, _)| self.given.get(first).copied())
        })
    }

    pub fn is_surname(&self, key: &str) -> bool {
        self.surnames.contains(key)
    }
}

/// How a word is looked up: lower case, without accents or apostrophes ("O’Brien" is "obrien").
pub(super) fn key(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '\'' | '’' | '\u{300}'..='\u{36f}'))
        .flat_map(char::to_lowercase)
        .map(unaccented)
        .collect()
}

fn unaccented(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

/// A set of words, written as one string and sorted for the reader.
pub(super) struct Words {
    list: &'static str,
    set: OnceLock<HashSet<&'static str>>,
}

impl Words {
    const fn new(list: &'static str) -> Self {
        Self {
            list,
            set: OnceLock::new(),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.set
            .get_or_init(|| self.list.split_whitespace().collect())
            .contains(key)
    }

    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = &'static str> {
        self.list.split_whitespace()
    }
}

/// Words before a name that say who the person is: "my colleague John", "Dr Okafor".
pub(super) static ROLES: Words = Words::new(
    "adviser advisor analyst apprentice assistant auditor boss caseworker ceo chair chief clerk \
     cllr co-worker colleague colleagues consultant contractor coordinator councillor \
     counterpart coworker dame deputy designer developer director dr editor engineer executive \
     friend head inspector intern lady lawyer lead leader lord manager member mentor minister \
     miss mr mrs ms mx officer official planner prof professor receptionist researcher rev \
     secretary sir solicitor specialist spokesman spokesperson spokeswoman staffer successor \
     supervisor teammate trainee volunteer writer",
);

/// Abbreviations whose full stop does not end a sentence: "Dr. Okafor", "St. Mary's".
pub(super) static ABBREVIATIONS: Words = Words::new("cllr dr mr mrs ms mt mx prof rev st");

/// Where a person works, after "from", "in" or "at": "Priya from legal".
pub(super) static DEPARTMENTS: Words = Words::new(
    "accounts admin administration audit branch comms communications compliance data department \
     dept design desk digital directorate division engineering estates events facilities \
     finance governance helpdesk hr it legal marketing media office operations ops payroll \
     policy press procurement reception research sales section security service services \
     strategy support team translation unit web",
);

/// Words after a capitalised word that make it the name of a place, a body or an event:
/// "Victoria Station", "Grace Period", "May Day". None of them is in the surname list.
pub(super) static BODIES: Words = Words::new(
    "academy agency airport alert app authority avenue award awards bank board building campus \
     cathedral center centre chapel city clinic club college commission committee council \
     county crescent day department directorate district drive estate festival foundation \
     fund gallery garden gardens group holiday holidays hospital hotel institute island islands \
     library line lodge mail memorial ministry museum network news office park period place \
     plan platform portal prize program programme project road room scheme school service \
     services society square station street surgery team terrace theater theatre town trust \
     unit university valley warning way week weekend",
);

/// Words before a capitalised word that make it a thing or a place: "the Bill", "St Mary's".
pub(super) static NOT_BEFORE_NAMES: Words = Words::new(
    "a an any cape each el every fort her his its king la lake las le los mount mt my new no \
     old our port prince princess queen saint san santa sao some st ste that the their these \
     this those your",
);

/// Words that put a place or a thing, not a person, before "in comms": "on Facebook in comms".
pub(super) static NOT_BEFORE_PEOPLE: Words = Words::new(
    "across after at before during in into on onto over per since through until using via",
);

/// Days and months that are never given names (May, June, April and August can be).
pub(super) static CALENDAR: Words = Words::new(
    "apr aug dec december feb february fri friday january jul july jun mar march mon monday nov \
     november oct october sat saturday sep sept september sun sunday thu thur thurs thursday \
     tue tues tuesday wed wednesday",
);

/// Given names that are also months, or a month's abbreviation.
pub(super) static MONTHS: Words = Words::new("april august jan june may");

/// Words before a month: "in May", "by early June".
pub(super) static BEFORE_DATES: Words = Words::new(
    "about after around before between by during early end every from in last late mid next of \
     on since this through throughout till until",
);

/// Lower-case words inside a name: "Jan van der Berg", "Sarah de Vries".
pub(super) static PARTICLES: Words =
    Words::new("al bin da das de del della den der di dos du el ibn la le ten ter van von");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_list_parses() -> Result<(), String> {
        let lexicon = Lexicon::parse(NAMES)?;
        assert!(lexicon.given.len() > 3000, "{}", lexicon.given.len());
        assert!(lexicon.surnames.len() > 2000, "{}", lexicon.surnames.len());
        let cases = [
            ("sarah", Some(Given::Always)),
            ("zoe", Some(Given::Always)),
            ("jean-pierre", Some(Given::Always)),
            ("frank", Some(Given::MidSentence)),
            ("may", Some(Given::InContext)),
            ("teams", None),
        ];
        for (name, tier) in cases {
            assert_eq!(lexicon.given(name), tier, "{name}");
        }
        assert!(lexicon.is_surname("smith") && lexicon.is_surname("obrien"));
        Ok(())
    }

    #[test]
    fn a_bad_names_list_says_where() {
        let cases = [
            ("Sarah\n", "line 1: a name before any [section]"),
            ("[given]\nSarah\n", "line 1: no section [given]"),
            (
                "[names]\nMay\n[in-context]\nMAY\n",
                "line 4: MAY is in two sections",
            ),
        ];
        for (source, expected) in cases {
            assert_eq!(Lexicon::parse(source).err().as_deref(), Some(expected));
        }
    }

    #[test]
    fn word_lists_keep_to_their_roles() {
        // "Sarah Hall" is a person: a surname never turns a name into a place.
        let surnames: Vec<&str> = BODIES.iter().filter(|b| LEXICON.is_surname(b)).collect();
        assert_eq!(surnames, Vec::<&str>::new());
        assert!(ROLES.has("colleague") && !ROLES.has("colleagu"));
        assert_eq!(key("O’Brien"), "obrien");
        assert_eq!(key("Zoë"), "zoe");
        assert_eq!(key("Zoe\u{308}"), "zoe");
    }
}
