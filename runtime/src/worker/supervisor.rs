//! Watches a started runtime's workers and stops it: when asked to, when a worker fails, and
//! at once when told to abandon in-flight jobs.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::task::{JoinError, JoinHandle};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::RuntimeError;
use super::metrics::{Health, Stopping};
use crate::text::{panic_message, truncate};

/// The most characters of a panic message a [`RuntimeError`] carries.
const PANIC_MESSAGE_LIMIT: usize = 300;

/// Everything the supervisor of one started runtime owns.
pub(crate) struct Supervised {
    /// Each worker's activation loop, with its job type.
    pub(crate) workers: Vec<(String, JoinHandle<()>)>,
    /// The in-flight jobs of every worker.
    pub(crate) tracker: TaskTracker,
    pub(crate) health: Arc<Health>,
    /// How long in-flight jobs may run once the workers stopped.
    pub(crate) grace: Duration,
    /// The workers' stop; cancelled by a requested stop or by the supervisor on a failure.
    pub(crate) stop: CancellationToken,
    /// Ends the wait for in-flight jobs at once.
    pub(crate) abandon: CancellationToken,
    pub(crate) management: Option<ManagementTask>,
}

/// The running management server and its stop.
pub(crate) struct ManagementTask {
    pub(crate) stop: CancellationToken,
    pub(crate) task: JoinHandle<()>,
}

/// A worker that ended without being asked to.
struct WorkerFailure {
    job_type: String,
    reason: String,
}

/// How the wait for in-flight jobs ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drained {
    Finished,
    GraceEnded,
    Abandoned,
}

/// Waits for the workers to stop, then for in-flight jobs within the grace period, then stops
/// the management server. A worker that fails stops the others gracefully and makes this an
/// error.
pub(crate) async fn supervise(supervised: Supervised) -> Result<(), RuntimeError> {
    let Supervised {
        workers,
        tracker,
        health,
        grace,
        stop,
        abandon,
        management,
    } = supervised;

    let failure = watch(workers, &stop, &health).await;
    health.stopping(Stopping::Requested);

    let drained = drain(&tracker, grace, &abandon).await;

    if let Some(management) = management {
        stop_management(management, drained, &abandon).await;
    }
    outcome(failure, drained)
}

/// Waits until every worker ended; the first one to end unasked is the failure, and it stops
/// the others.
async fn watch(
    workers: Vec<(String, JoinHandle<()>)>,
    stop: &CancellationToken,
    health: &Health,
) -> Option<WorkerFailure> {
    let mut running: FuturesUnordered<_> = workers
        .into_iter()
        .map(|(job_type, task)| async move { (job_type, task.await) })
        .collect();
    let mut failure = None;

    while let Some((job_type, ended)) = running.next().await {
        let reason = match ended {
            Ok(()) if stop.is_cancelled() => continue,
            Ok(()) => "it stopped activating jobs without being asked to".to_owned(),
            Err(err) => task_failure(err),
        };
        tracing::error!(job.type = %job_type, reason = %reason, "a worker failed; stopping the other workers gracefully");
        health.stopping(Stopping::WorkerFailed);
        stop.cancel();
        failure.get_or_insert(WorkerFailure { job_type, reason });
    }
    failure
}

/// Why a task ended in a [`JoinError`]: its panic message (cut to a bounded length), or that
/// it was cancelled.
pub(crate) fn task_failure(err: JoinError) -> String {
    if !err.is_panic() {
        return "it was cancelled".to_owned();
    }
    let payload = err.into_panic();
    match panic_message(payload.as_ref()) {
        Some(message) => format!("it panicked: {}", truncate(message, PANIC_MESSAGE_LIMIT)),
        None => "it panicked".to_owned(),
    }
}

/// Waits for in-flight jobs until they finish, the grace period ends or `abandon` fires.
async fn drain(tracker: &TaskTracker, grace: Duration, abandon: &CancellationToken) -> Drained {
    tracker.close();
    let in_flight = tracker.len();
    if in_flight > 0 {
        tracing::info!(
            jobs = in_flight,
            grace.ms = u64::try_from(grace.as_millis()).unwrap_or(u64::MAX),
            "waiting for in-flight jobs"
        );
    }

    // Biased towards the jobs: a second signal when none is left abandons nothing.
    tokio::select! {
        biased;
        finished = tokio::time::timeout(grace, tracker.wait()) => {
            if finished.is_ok() {
                return Drained::Finished;
            }
            tracing::warn!(
                jobs = tracker.len(),
                "the grace period ended with jobs still running; the engine re-activates them after their timeout"
            );
            Drained::GraceEnded
        }
        () = abandon.cancelled() => {
            tracing::warn!(
                jobs = tracker.len(),
                "stopping at once: in-flight jobs are abandoned; the engine re-activates them after their timeout"
            );
            Drained::Abandoned
        }
    }
}

/// Stops the management server: within its own bound, or at once after abandoning jobs or
/// when `abandon` fires meanwhile.
async fn stop_management(
    mut management: ManagementTask,
    drained: Drained,
    abandon: &CancellationToken,
) {
    if drained == Drained::Abandoned {
        management.task.abort();
    } else {
        management.stop.cancel();
    }

    let stopped = tokio::select! {
        stopped = &mut management.task => stopped,
        () = abandon.cancelled() => {
            management.task.abort();
            (&mut management.task).await
        }
    };
    match stopped {
        Err(err) if err.is_panic() => {
            tracing::error!(reason = %task_failure(err), "the management server failed");
        }
        _ => {}
    }
}

/// A worker's failure, else whether a second signal cut in-flight jobs short.
fn outcome(failure: Option<WorkerFailure>, drained: Drained) -> Result<(), RuntimeError> {
    match failure {
        None if drained == Drained::Abandoned => {
            tracing::info!("runtime stopped");
            Err(RuntimeError::Interrupted)
        }
        None => {
            tracing::info!("runtime stopped");
            Ok(())
        }
        Some(WorkerFailure { job_type, reason }) => {
            tracing::error!(job.type = %job_type, reason = %reason, "runtime stopped because a worker failed");
            Err(RuntimeError::WorkerFailed { job_type, reason })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn supervised(workers: Vec<(String, JoinHandle<()>)>, stop: &CancellationToken) -> Supervised {
        Supervised {
            workers,
            tracker: TaskTracker::new(),
            health: Arc::new(Health::default()),
            grace: Duration::from_secs(5),
            stop: stop.clone(),
            abandon: CancellationToken::new(),
            management: None,
        }
    }

    /// A worker that runs until `stop`, like the real activation loop.
    fn obedient(stop: &CancellationToken) -> JoinHandle<()> {
        let stop = stop.clone();
        tokio::spawn(async move { stop.cancelled().await })
    }

    #[tokio::test]
    async fn a_panicking_worker_stops_the_others_after_their_jobs_and_is_an_error() {
        let stop = CancellationToken::new();
        let mut supervised = supervised(Vec::new(), &stop);
        let job_done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let done = job_done.clone();
        supervised.tracker.spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let doomed = tokio::spawn(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            panic!("a bug in the token cache");
        });
        supervised.workers = vec![("fine".into(), obedient(&stop)), ("doomed".into(), doomed)];
        let health = supervised.health.clone();

        let result = tokio::time::timeout(Duration::from_secs(5), supervise(supervised))
            .await
            .expect("the runtime stops on its own");

        let Err(RuntimeError::WorkerFailed { job_type, reason }) = result else {
            panic!("expected a worker failure, got {result:?}");
        };
        assert_eq!(job_type, "doomed");
        assert!(reason.contains("a bug in the token cache"), "{reason}");
        assert!(stop.is_cancelled(), "the other workers were told to stop");
        assert!(
            job_done.load(std::sync::atomic::Ordering::SeqCst),
            "the in-flight job finished first"
        );
        assert_eq!(health.liveness().0.as_u16(), 503);
    }

    #[tokio::test]
    async fn a_worker_that_ends_unasked_is_a_failure_too() {
        let stop = CancellationToken::new();
        let quitter = tokio::spawn(async {});
        let supervised = supervised(vec![("quitter".into(), quitter)], &stop);

        let result = supervise(supervised).await;

        assert!(
            matches!(result, Err(RuntimeError::WorkerFailed { ref job_type, .. }) if job_type == "quitter"),
            "{result:?}"
        );
    }

    #[tokio::test]
    async fn abandoning_when_no_job_is_left_is_a_clean_stop() {
        let stop = CancellationToken::new();
        let mut supervised = supervised(Vec::new(), &stop);
        supervised.workers = vec![("a".into(), obedient(&stop))];
        let abandon = supervised.abandon.clone();

        stop.cancel();
        abandon.cancel();
        let result = supervise(supervised).await;

        assert!(result.is_ok(), "{result:?}");
    }

    #[tokio::test]
    async fn abandoning_ends_the_wait_for_jobs_at_once_and_says_so() {
        let stop = CancellationToken::new();
        let mut supervised = supervised(Vec::new(), &stop);
        supervised.workers = vec![("a".into(), obedient(&stop))];
        supervised
            .tracker
            .spawn(tokio::time::sleep(Duration::from_secs(60)));
        let abandon = supervised.abandon.clone();
        let running = tokio::spawn(supervise(supervised));

        stop.cancel();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = Instant::now();
        abandon.cancel();
        let result = running.await.unwrap();

        assert!(
            matches!(result, Err(RuntimeError::Interrupted)),
            "{result:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[tokio::test]
    async fn a_long_panic_message_is_cut() {
        let err = tokio::spawn(async { panic!("{}", "x".repeat(10_000)) })
            .await
            .unwrap_err();

        let reason = task_failure(err);

        assert!(
            reason.chars().count() < PANIC_MESSAGE_LIMIT + 20,
            "{reason}"
        );
    }
}
