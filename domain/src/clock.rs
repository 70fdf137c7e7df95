//! Time as the domain sees it: Unix seconds, with an offset tests can move forward.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
    /// The wall second this clock stands still at, or 0 while it follows the wall.
    frozen_at: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> i64 {
        let frozen = self.frozen_at.load(Ordering::Relaxed);
        let base = if frozen != 0 { frozen } else { wall() };
        base + self.offset.load(Ordering::Relaxed)
    }

    /// Moves this clock (and every clone of it) forward; used by tests of expiry rules.
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }

    /// Stops this clock (and every clone of it) at the current second; only `advance` moves it
    /// after that. For tests of an exact boundary ("valid for the last second of the limit"),
    /// which would otherwise fail whenever the wall clock ticks between two steps.
    pub fn freeze(&self) {
        self.frozen_at.store(wall(), Ordering::Relaxed);
    }
}

fn wall() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let clock = Clock::system();
        let copy = clock.clone();
        clock.freeze();
        let at = copy.now();
        std::thread::sleep(std::time::Duration::from_millis(1_100));
        assert_eq!(copy.now(), at, "the wall clock moved a frozen clock");
        clock.advance(7);
        assert_eq!(copy.now(), at + 7);
    }
}
