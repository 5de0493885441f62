package org.coursebatch.core.exhaust;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.metrics.NodeMeters;

/**
 * Runs report jobs, one at a time, on every node that has one: polls the job table, claims the
 * oldest runnable job (atomically: of several workers exactly one gets it), writes its file while
 * telling the table it is alive and how far it got, and stores the file or records the failure.
 * A job whose worker stopped giving signs of life for the lease (its node died) is claimed again
 * by whichever worker polls next; the claim's attempt number fences the old worker out.
 */
public final class ExhaustWorker {

  /**
   * @param pollInterval how often an idle worker looks for work
   * @param lease how long a PROCESSING job without a sign of life stays its worker's
   * @param maxAttempts attempts before a job is FAILED
   * @param retryDelay how long a failed attempt waits before the next
   * @param retention how long a finished file can be downloaded
   */
  public record Settings(Duration pollInterval, Duration lease, int maxAttempts, Duration retryDelay, Duration retention) {
    public Settings {
      if (pollInterval.isNegative() || pollInterval.isZero() || lease.compareTo(Duration.ofSeconds(1)) < 0
          || maxAttempts < 1 || retryDelay.isNegative() || retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("exhaust: poll-interval and retention must be positive, lease at least 1s,"
            + " max-attempts at least 1, retry-delay not negative");
      }
    }

    /** How often a running job's worker gives a sign of life: a third of the lease. */
    Duration heartbeat() {
      return lease.dividedBy(3);
    }
  }

  /** How often expired files are deleted. */
  static final Duration PURGE_INTERVAL = Duration.ofHours(1);

  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private enum Beat implements Command { INSTANCE }

  private enum Purge implements Command { INSTANCE }

  private record Claimed(Optional<ClaimedJob> claim) implements Command {}

  private record Resolved(ClaimedJob claim, BatchView batch, Course course) implements Command {}

  private record Generated(ClaimedJob claim, ExhaustGenerator.Report report) implements Command {}

  private record AttemptFailed(ClaimedJob claim, Throwable error) implements Command {}

  private record Alive(ClaimedJob claim, boolean ours) implements Command {}

  /** A database step of the loop failed; the worker polls again later. */
  private record StepFailed(String step, Throwable error) implements Command {}

  private enum Done implements Command { INSTANCE }

  private enum Ignored implements Command { INSTANCE }

  /** Starts the node's worker (supervised: restarted after a crash, its job then reclaimed when the lease ends). */
  public static ActorRef<Command> start(ActorSystem<?> system, ExhaustJobs jobs, ExhaustGenerator generator,
      BatchService batches, CourseCatalog catalog, Settings settings, Clock clock) {
    return system.systemActorOf(
        Behaviors.supervise(create(jobs, generator, batches, catalog, settings, clock)).onFailure(SupervisorStrategy.restart()),
        "exhaust-worker", Props.empty());
  }

  public static Behavior<Command> create(ExhaustJobs jobs, ExhaustGenerator generator, BatchService batches,
      CourseCatalog catalog, Settings settings, Clock clock) {
    return Behaviors.setup(ctx -> {
      ctx.setLoggerName(ExhaustWorker.class); // as BatchWakeUpScheduler: not akka.actor.ActorCell
      return Behaviors.withTimers(timers -> {
        ctx.getSelf().tell(Tick.INSTANCE);
        ctx.getSelf().tell(Purge.INSTANCE);
        return new ExhaustWorker(ctx, timers, jobs, generator, batches, catalog, settings, clock).behavior();
      });
    });
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ExhaustJobs jobs;
  private final ExhaustGenerator generator;
  private final BatchService batches;
  private final CourseCatalog catalog;
  private final Settings settings;
  private final Clock clock;

  /** Whether a claim is under way or a job being worked on (then {@code current}). */
  private boolean busy;
  /** The job being worked on, its generation and its progress; null while idle. */
  private ClaimedJob current;
  private ExhaustGenerator.Generation generation;
  private final AtomicInteger progress = new AtomicInteger();
  private final ExhaustMeters meters;

  private ExhaustWorker(ActorContext<Command> ctx, TimerScheduler<Command> timers, ExhaustJobs jobs,
      ExhaustGenerator generator, BatchService batches, CourseCatalog catalog, Settings settings, Clock clock) {
    this.ctx = ctx;
    this.timers = timers;
    this.jobs = jobs;
    this.generator = generator;
    this.batches = batches;
    this.catalog = catalog;
    this.settings = settings;
    this.clock = clock;
    this.meters = new ExhaustMeters(NodeMeters.registry(ctx.getSystem()));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> claim())
        .onMessage(Claimed.class, this::onClaimed)
        .onMessage(Resolved.class, this::onResolved)
        .onMessage(Beat.class, b -> beat())
        .onMessage(Alive.class, this::onAlive)
        .onMessage(Generated.class, this::onGenerated)
        .onMessage(AttemptFailed.class, this::onAttemptFailed)
        .onMessage(StepFailed.class, this::onStepFailed)
        .onMessage(Done.class, d -> idle(Duration.ZERO))
        .onMessage(Purge.class, p -> purge())
        .onMessage(Ignored.class, i -> Behaviors.same())
        .onSignal(akka.actor.typed.PostStop.class, s -> {
          cancelGeneration();
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> claim() {
    if (busy) {
      return Behaviors.same();
    }
    busy = true;
    pipe(jobs.claimNext(clock.instant(), settings.lease(), settings.maxAttempts()), Claimed::new, "claim");
    return Behaviors.same();
  }

  private Behavior<Command> onClaimed(Claimed claimed) {
    if (claimed.claim().isEmpty()) {
      return idle(settings.pollInterval());
    }
    ClaimedJob claim = claimed.claim().get();
    current = claim;
    progress.set(0);
    timers.startTimerWithFixedDelay(Beat.INSTANCE, settings.heartbeat());
    meters.started();
    ctx.getLog().info("Exhaust job {} ({} of batch {}) started, attempt {}", claim.requestId(), claim.job().dataset().id(),
        claim.job().batchId(), claim.attempt());
    JobRequest job = claim.job();
    CompletionStage<Resolved> resolved = batches.find(job.batchId()).thenCombine(catalog.findCourse(job.courseId()),
        (batch, course) -> new Resolved(claim,
            batch.orElseThrow(() -> new IllegalStateException("Batch " + job.batchId() + " does not exist")),
            course.orElseThrow(() -> new IllegalStateException("Course " + job.courseId() + " is not in the catalog"))));
    ctx.pipeToSelf(resolved, (r, e) -> e == null ? r : new AttemptFailed(claim, e));
    return Behaviors.same();
  }

  private Behavior<Command> onResolved(Resolved r) {
    if (r.claim() != current) {
      return Behaviors.same();
    }
    try {
      generation = generator.start(r.claim(), r.batch().batch(), r.course(), progress::set);
    } catch (RuntimeException e) {
      ctx.getSelf().tell(new AttemptFailed(r.claim(), e));
      return Behaviors.same();
    }
    ctx.pipeToSelf(generation.report(), (report, e) -> e == null ? new Generated(r.claim(), report) : new AttemptFailed(r.claim(), e));
    return Behaviors.same();
  }

  private Behavior<Command> beat() {
    ClaimedJob claim = current;
    if (claim != null) {
      pipe(jobs.heartbeat(claim, Math.min(99, progress.get()), clock.instant()), ours -> new Alive(claim, ours), "heartbeat");
    }
    return Behaviors.same();
  }

  private Behavior<Command> onAlive(Alive alive) {
    if (alive.claim() == current && !alive.ours()) {
      ctx.getLog().warn("Exhaust job {}: another worker took it over (attempt {} lost its lease); stopping this attempt",
          current.requestId(), current.attempt());
      cancelGeneration();
      return idle(Duration.ZERO);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onGenerated(Generated g) {
    if (g.claim() != current) {
      deleteQuietly(g.report());
      return Behaviors.same();
    }
    var now = clock.instant();
    CompletionStage<Boolean> stored = jobs.complete(g.claim(), g.report().file(), g.report().fileName(), now,
        now.plus(settings.retention()));
    stored.whenComplete((ours, e) -> deleteQuietly(g.report()));
    ctx.pipeToSelf(stored, (ours, e) -> {
      if (e != null) {
        return new AttemptFailed(g.claim(), e);
      }
      if (ours) {
        meters.finished(g.report().rows());
        ctx.getLog().info("Exhaust job {} finished: {} rows", g.claim().requestId(), g.report().rows());
      }
      return Done.INSTANCE;
    });
    return Behaviors.same();
  }

  private Behavior<Command> onAttemptFailed(AttemptFailed f) {
    if (f.claim() != current) {
      return Behaviors.same();
    }
    cancelGeneration();
    meters.failed();
    Throwable cause = Rejections.unwrap(f.error());
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    ctx.getLog().warn("Exhaust job {} attempt {} failed: {}", f.claim().requestId(), f.claim().attempt(), message);
    ctx.getLog().debug("Exhaust job {} attempt {} failed", f.claim().requestId(), f.claim().attempt(), cause);
    pipe(jobs.fail(f.claim(), message, clock.instant(), settings.maxAttempts(), settings.retryDelay()), s -> Done.INSTANCE,
        "failure record");
    timers.cancel(Beat.INSTANCE);
    return Behaviors.same();
  }

  private Behavior<Command> onStepFailed(StepFailed f) {
    ctx.getLog().warn("Exhaust worker: the {} failed", f.step(), f.error());
    return switch (f.step()) {
      case "purge", "heartbeat" -> Behaviors.same(); // the next one may succeed; the lease covers a few misses
      default -> {
        cancelGeneration();
        yield idle(settings.pollInterval());
      }
    };
  }

  private Behavior<Command> purge() {
    pipe(jobs.purgeExpired(clock.instant()), n -> {
      if (n > 0) {
        ctx.getLog().info("Deleted {} pieces of expired exhaust files", n);
      }
      return Ignored.INSTANCE;
    }, "purge");
    timers.startSingleTimer(Purge.class, Purge.INSTANCE, PURGE_INTERVAL);
    return Behaviors.same();
  }

  /** Forgets the current job and polls again after {@code delay}. */
  private Behavior<Command> idle(Duration delay) {
    busy = false;
    current = null;
    generation = null;
    timers.cancel(Beat.INSTANCE);
    if (delay.isZero()) {
      ctx.getSelf().tell(Tick.INSTANCE);
    } else {
      timers.startSingleTimer(Tick.INSTANCE, delay);
    }
    return Behaviors.same();
  }

  private void cancelGeneration() {
    if (generation != null) {
      generation.cancel();
      generation = null;
    }
  }

  /** Sends the stage's value mapped by {@code ok} (nothing when it maps to null), or a {@link StepFailed}. */
  private <T> void pipe(CompletionStage<T> stage, java.util.function.Function<T, Command> ok, String step) {
    ctx.pipeToSelf(stage, (v, e) -> e != null ? new StepFailed(step, e) : ok.apply(v));
  }

  private static void deleteQuietly(ExhaustGenerator.Report report) {
    try {
      Files.deleteIfExists(report.file());
    } catch (java.io.IOException e) {
      // a leftover temporary file is harmless
    }
  }
}
