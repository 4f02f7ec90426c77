//! Reading a query as people type it: words, "phrases", -exclusions and OR.
//!
//! Anything more (fields, wildcards, brackets, AND, NOT, +) is left to tantivy's query parser,
//! which reads it as before; this reading is what graded matching and the thesaurus work on.

/// One thing to look for: a word (possibly read as several tokens) or a quoted phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) text: String,
    pub(crate) quoted: bool,
}

/// What a query asks for: clauses of alternatives (joined by OR), and parts to leave out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Reading {
    pub(crate) wanted: Vec<Vec<Part>>,
    pub(crate) unwanted: Vec<Part>,
}

/// Characters that make a word search syntax beyond this reading.
const SYNTAX: &[char] = &[':', '*', '(', ')', '[', ']', '{', '}', '^', '~', '+', '\\'];

/// Reads `text`, or `None` when it uses syntax this reading leaves to the query parser.
pub(crate) fn read(text: &str) -> Option<Reading> {
    let mut reading = Reading::default();
    let mut join_next = false;
    let mut chars = text.char_indices().peekable();
    while let Some(&(_, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-';
        if negated {
            chars.next();
        }
        let quoted = chars.peek().is_some_and(|&(_, c)| c == '"');
        let part = if quoted {
            chars.next();
            let mut phrase = String::new();
            let mut closed = false;
            for (_, c) in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                phrase.push(c);
            }
            // An unclosed quote is the parser's to read leniently, and to say so.
            if !closed {
                return None;
            }
            phrase
        } else {
            let mut word = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            word
        };
        if !quoted {
            if part.contains(SYNTAX) || matches!(part.as_str(), "AND" | "NOT" | "&&" | "||") {
                return None;
            }
            if part == "OR" && !negated {
                join_next = !reading.wanted.is_empty();
                continue;
            }
        }
        if part.trim().is_empty() {
            continue;
        }
        let part = Part { text: part, quoted };
        if negated {
            reading.unwanted.push(part);
        } else if join_next && let Some(last) = reading.wanted.last_mut() {
            last.push(part);
        } else {
            reading.wanted.push(vec![part]);
        }
        join_next = false;
    }
    Some(reading)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Part {
        Part {
            text: text.to_owned(),
            quoted: false,
        }
    }

    #[test]
    fn reads_words_phrases_exclusions_and_alternatives() {
        let reading = read("wrong \"distribution list\" -draft sms OR text -\"out of office\"");
        assert_eq!(
            reading,
            Some(Reading {
                wanted: vec![
                    vec![word("wrong")],
                    vec![Part {
                        text: "distribution list".to_owned(),
                        quoted: true
                    }],
                    vec![word("sms"), word("text")],
                ],
                unwanted: vec![
                    word("draft"),
                    Part {
                        text: "out of office".to_owned(),
                        quoted: true
                    }
                ],
            })
        );
    }

    #[test]
    fn hyphens_inside_words_are_words_not_exclusions() {
        let reading = read("reply-all e-mail");
        assert_eq!(
            reading.map(|r| r.wanted),
            Some(vec![vec![word("reply-all")], vec![word("e-mail")]])
        );
    }

    #[test]
    fn other_syntax_goes_to_the_parser() {
        for text in [
            "title:embargo",
            "emb*",
            "(a b)",
            "a AND b",
            "NOT a",
            "+a",
            "a^2",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
        assert_eq!(read("\"unclosed"), None);
        assert_eq!(read("OR"), Some(Reading::default()), "a lone OR is nothing");
    }
}
