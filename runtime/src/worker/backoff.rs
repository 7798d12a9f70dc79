//! Exponential backoff with jitter, so a failing engine is never polled in a hot loop and
//! many workers do not retry in lockstep.

use std::time::Duration;

/// Exponential backoff: each delay doubles up to `max`, and is drawn at random from its upper
/// half (jitter).
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    base: Duration,
    max: Duration,
    attempt: u32,
}

impl Backoff {
    pub(crate) fn new(base: Duration, max: Duration) -> Self {
        Backoff {
            base,
            max,
            attempt: 0,
        }
    }

    /// The next delay.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let ceiling = self.ceiling();
        self.attempt = self.attempt.saturating_add(1);
        ceiling / 2 + (ceiling / 2).mul_f64(fastrand::f64())
    }

    /// The longest the next delay may be.
    pub(crate) fn ceiling(&self) -> Duration {
        let factor = 2u32.saturating_pow(self.attempt.min(20));
        self.base.saturating_mul(factor).min(self.max)
    }

    pub(crate) fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_with_jitter_and_stay_under_the_cap() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));

        let delays: Vec<Duration> = (0..10).map(|_| backoff.next_delay()).collect();

        assert!(delays[0] >= Duration::from_millis(50) && delays[0] <= Duration::from_millis(100));
        assert!(delays[2] >= Duration::from_millis(200));
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(1)));
        assert!(delays[9] >= Duration::from_millis(500), "{delays:?}");
    }

    #[test]
    fn reset_starts_over() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));
        (0..5).for_each(|_| {
            backoff.next_delay();
        });

        backoff.reset();

        assert_eq!(backoff.ceiling(), Duration::from_millis(100));
    }
}
