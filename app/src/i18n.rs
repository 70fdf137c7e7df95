//! English, Spanish and Italian. Each language is one table of key -> text; a test fails when
//! any language lacks a key another has, or when the code uses a key no table has.

mod en;
mod es;
mod it;

use std::borrow::Cow;
use std::sync::LazyLock;

use leptos::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Es,
    It,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::It];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::It => "it",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().get(..2)?.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "it" => Some(Lang::It),
            _ => None,
        }
    }

    /// The language's name in itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::It => "Italiano",
        }
    }

    fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::En => en::TEXTS,
            Lang::Es => es::TEXTS,
            Lang::It => it::TEXTS,
        }
    }
}

/// Each table as a map, built on first use: "My data" looks up a few hundred keys per page, and
/// scanning the tables' ~580 pairs for each was a measurable share of rendering it. Hashed with
/// Fx, not the standard SipHash: the keys looked up are short and the table is fixed, so there
/// is no flooding to resist, and SipHash was 2 % of the page's instructions.
static INDEX: LazyLock<[FxHashMap<&'static str, &'static str>; 3]> =
    LazyLock::new(|| Lang::ALL.map(|lang| lang.table().iter().copied().collect()));

fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    let index = match lang {
        Lang::En => 0,
        Lang::Es => 1,
        Lang::It => 2,
    };
    INDEX[index].get(key).copied()
}

/// `group` + `name` ("field." + "email") looked up without building the key on the heap; keys
/// are short, so the join fits on the stack.
fn lookup_in(lang: Lang, group: &str, name: &str) -> Option<&'static str> {
    let mut joined = [0u8; 96];
    let len = group.len() + name.len();
    if len > joined.len() {
        return lookup(lang, &format!("{group}{name}"));
    }
    joined[..group.len()].copy_from_slice(group.as_bytes());
    joined[group.len()..len].copy_from_slice(name.as_bytes());
    // Two strs joined are UTF-8, so this never fails.
    std::str::from_utf8(&joined[..len]).ok().and_then(|key| lookup(lang, key))
}

/// The text for `key`; English when the language lacks it (a test keeps that from happening).
pub fn t(lang: Lang, key: &str) -> &'static str {
    lookup(lang, key).or_else(|| lookup(Lang::En, key)).unwrap_or("…")
}

/// The text for `name` in a group of keys: `t_in(lang, "field.", "email")` is
/// `t(lang, "field.email")` without formatting the key.
pub fn t_in(lang: Lang, group: &str, name: &str) -> &'static str {
    lookup_in(lang, group, name).or_else(|| lookup_in(Lang::En, group, name)).unwrap_or("…")
}

/// The message for an outcome code from a URL. Unknown codes get a generic text: nothing from
/// the URL is ever shown.
pub fn message(lang: Lang, code: &str) -> &'static str {
    lookup(lang, &format!("msg.{code}")).unwrap_or_else(|| t(lang, "msg.invalid"))
}

/// The message for a form outcome `field.problem` ("phone.malformed"): the field's own text if
/// it has one, else the problem's general one.
pub fn field_message(lang: Lang, code: &str) -> &'static str {
    let problem = code.split_once('.').map(|(_, p)| p).unwrap_or(code);
    lookup(lang, &format!("msg.{code}"))
        .or_else(|| lookup(lang, &format!("msg.{problem}")))
        .unwrap_or_else(|| t(lang, "msg.invalid"))
}

/// The message meant for input `name` in outcome `code`, if the code is about that input.
pub fn error_for(lang: Lang, code: Option<&str>, name: &str) -> Option<&'static str> {
    let code = code?;
    let (field, _) = code.split_once('.')?;
    (field == name).then(|| field_message(lang, code))
}

/// A word from a fixed set ("status_delivered"); unknown words (a company's own statuses) are
/// shown as they are, without their prefix.
pub fn term(lang: Lang, term: &str) -> Cow<'static, str> {
    match lookup_in(lang, "term.", term) {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(term.split_once('_').map(|(_, rest)| rest).unwrap_or(term).replace('_', " ")),
    }
}

pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The request's language: the `lang` cookie, else Accept-Language, else English. In the browser
/// it is read back from `<html lang>`, which the server wrote, so hydration always agrees.
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().map(|p| from_headers(&p.headers)).unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::from_code(&l))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

#[cfg(feature = "ssr")]
pub fn from_headers(headers: &http::HeaderMap) -> Lang {
    let from_cookie = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::from_code(v));
    from_cookie.unwrap_or_else(|| {
        let header = headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        from_accept_language(header)
    })
}

/// Negotiation lives in the domain crate (mail uses it too); this maps its answer.
#[cfg(feature = "ssr")]
pub fn from_accept_language(header: &str) -> Lang {
    Lang::from_code(domain::Lang::from_accept_language(header).code()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: Lang) -> BTreeSet<&'static str> {
        lang.table().iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn every_language_has_every_key_once() {
        let en = keys(Lang::En);
        for lang in Lang::ALL {
            assert_eq!(keys(lang).len(), lang.table().len(), "{lang:?} repeats a key");
            let missing: Vec<_> = en.difference(&keys(lang)).copied().collect();
            let extra: Vec<_> = keys(lang).difference(&en).copied().collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang:?} has keys English lacks: {extra:?}");
            assert!(lang.table().iter().all(|(_, v)| !v.trim().is_empty()), "{lang:?} has an empty text");
        }
    }

    /// Every literal key passed to `t(…, "…")` in the app's source exists.
    #[test]
    fn every_key_the_code_uses_exists() {
        let en = keys(Lang::En);
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut files = vec![std::path::PathBuf::from(src)];
        let mut missing = Vec::new();
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, _) in text.match_indices("t(lang, \"") {
                let rest = &text[i + 9..];
                let key = &rest[..rest.find('"').unwrap()];
                if !en.contains(key) {
                    missing.push(format!("{}: {key}", p.display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    #[test]
    fn unknown_codes_never_echo_the_url() {
        assert_eq!(message(Lang::En, "<script>"), t(Lang::En, "msg.invalid"));
        assert_eq!(term(Lang::Es, "status_delivered"), "Entregado");
        assert_eq!(term(Lang::En, "status_refund_pending"), "refund pending");
    }

    /// The map and the joined look-up answer as the tables do, for every key of every language.
    #[test]
    fn lookups_agree_with_the_tables() {
        for lang in Lang::ALL {
            for (key, text) in lang.table() {
                assert_eq!(t(lang, key), *text, "{lang:?} {key}");
                let (group, name) = key.split_at(key.find('.').map_or(0, |i| i + 1));
                assert_eq!(t_in(lang, group, name), *text, "{lang:?} {key}");
            }
        }
        assert_eq!(t_in(Lang::It, "field.", "no_such_field"), "…");
        let long = "x".repeat(200);
        assert_eq!(t_in(Lang::En, "field.", &long), "…");
        assert_eq!(term(Lang::Es, &long), long);
    }

    /// The chosen language (cookie) wins over the browser's wish (Accept-Language).
    #[cfg(feature = "ssr")]
    #[test]
    fn cookie_beats_accept_language() {
        let mut h = http::HeaderMap::new();
        h.insert(http::header::ACCEPT_LANGUAGE, "it-IT,it;q=0.9".parse().unwrap());
        assert_eq!(from_headers(&h), Lang::It);
        h.insert(http::header::COOKIE, "a=b; lang=es".parse().unwrap());
        assert_eq!(from_headers(&h), Lang::Es);
        h.insert(http::header::COOKIE, "lang=xx".parse().unwrap());
        assert_eq!(from_headers(&h), Lang::It);
    }
}
