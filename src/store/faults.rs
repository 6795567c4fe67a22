//! Fault injection for tests of the failure paths: the next writes fail as a full or broken
//! disk would. Checked on every write, and compiled only into test builds (`cfg(test)`, or the
//! `test-hooks` feature the integration tests turn on); elsewhere the check is nothing.

use super::StoreError;

#[cfg(any(test, feature = "test-hooks"))]
#[derive(Default)]
pub(super) struct Faults {
    /// This many writes fail with an I/O error.
    failing_writes: std::sync::atomic::AtomicU32,
}

#[cfg(any(test, feature = "test-hooks"))]
impl Faults {
    pub(super) fn fail_next(&self, n: u32) {
        self.failing_writes
            .store(n, std::sync::atomic::Ordering::SeqCst);
    }

    /// An injected failure, if one is due.
    pub(super) fn check(&self) -> Result<(), StoreError> {
        use std::sync::atomic::Ordering;
        let failing = self
            .failing_writes
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        match failing {
            Ok(_) => Err(StoreError::Sled(sled::Error::Io(std::io::Error::other(
                "injected write failure",
            )))),
            Err(_) => Ok(()),
        }
    }
}

#[cfg(not(any(test, feature = "test-hooks")))]
#[derive(Default)]
pub(super) struct Faults;

#[cfg(not(any(test, feature = "test-hooks")))]
impl Faults {
    #[inline(always)]
    pub(super) fn check(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

#[cfg(any(test, feature = "test-hooks"))]
impl super::Store {
    /// Makes the next `n` writes fail as a full or broken disk would; for failure-path tests.
    #[doc(hidden)]
    pub fn fail_next_writes(&self, n: u32) {
        self.faults.fail_next(n);
    }
}
