//! Every page that shows personal data reads the catalogue, yet it changes only when the company
//! imports a new one. Each process keeps the catalogue it read, per language, for a few seconds:
//! a change made here is seen at once (the import forgets the copy), one made through another
//! server instance on the same database within [`FRESH_FOR`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::CategoryInfo;
use crate::Lang;

pub const FRESH_FOR: Duration = Duration::from_secs(10);

#[derive(Default)]
pub struct Cache {
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    /// Bumped by every forget, so a read that began before a change cannot store what it read.
    generation: u64,
    by_lang: HashMap<Lang, (Instant, Arc<Vec<CategoryInfo>>)>,
}

impl Cache {
    /// The copy for `lang` if it is fresh, else the generation a new read must be stored under.
    pub fn get(&self, lang: Lang) -> Result<Arc<Vec<CategoryInfo>>, u64> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.by_lang.get(&lang) {
            Some((read_at, list)) if read_at.elapsed() < FRESH_FOR => Ok(list.clone()),
            _ => Err(entries.generation),
        }
    }

    /// Keeps what a read found, unless the catalogue was changed since that read began.
    pub fn put(&self, lang: Lang, generation: u64, read_at: Instant, list: Arc<Vec<CategoryInfo>>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.generation == generation {
            entries.by_lang.insert(lang, (read_at, list));
        }
    }

    pub fn forget(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.generation += 1;
        entries.by_lang.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(key: &str) -> Arc<Vec<CategoryInfo>> {
        Arc::new(vec![CategoryInfo {
            key: key.into(),
            retention_days: 1,
            texts: super::super::CategoryTexts {
                title: String::new(),
                purpose: String::new(),
                legal_basis: String::new(),
                retention: String::new(),
                source: String::new(),
                erasure_ground: String::new(),
            },
            recipients: Vec::new(),
            on_erasure: None,
        }])
    }

    #[test]
    fn a_read_is_kept_per_language_until_forgotten() {
        let cache = Cache::default();
        let generation = cache.get(Lang::En).unwrap_err();
        cache.put(Lang::En, generation, Instant::now(), list("a"));
        assert_eq!(cache.get(Lang::En).unwrap()[0].key, "a");
        assert!(cache.get(Lang::Es).is_err(), "another language is read on its own");
        cache.forget();
        assert!(cache.get(Lang::En).is_err());
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let cache = Cache::default();
        let generation = cache.get(Lang::En).unwrap_err();
        cache.forget();
        cache.put(Lang::En, generation, Instant::now(), list("old"));
        assert!(cache.get(Lang::En).is_err());
    }

    #[test]
    fn a_stale_copy_is_read_again() {
        let cache = Cache::default();
        let generation = cache.get(Lang::It).unwrap_err();
        cache.put(Lang::It, generation, Instant::now() - FRESH_FOR, list("old"));
        assert!(cache.get(Lang::It).is_err());
    }
}
