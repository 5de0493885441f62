package org.coursebatch.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Times each command a service sends an entity, from the ask to the answer, by entity type, command
 * and outcome: the reply's kind ({@code accepted}, {@code rejected}, {@code expired}, {@code granted},
 * ...), {@code timeout} when no answer came in time, {@code failed} otherwise. Every tag comes from a
 * class name or a fixed word, so the series stay few whatever the requests name.
 */
public final class EntityCommandMeter {

  public static final String NAME = "coursebatch.entity.commands";

  private static final ClassValue<String> KIND = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      return type.getSimpleName().toLowerCase(Locale.ROOT);
    }
  };

  private final TaggedTimers timers;
  private final Predicate<Throwable> timedOut;

  /** @param timedOut whether a failure is an answer that did not come in time */
  public EntityCommandMeter(MeterRegistry registry, Predicate<Throwable> timedOut) {
    this.timers = new TaggedTimers(Timer.builder(NAME).description("Commands sent to entities, from the ask to the answer")
        .withRegistry(registry), "entity", "command", "outcome");
    this.timedOut = timedOut;
  }

  /** {@code answer}, timed from now until it completes. */
  public <R> CompletionStage<R> timed(String entityType, Object command, CompletionStage<R> answer) {
    long start = System.nanoTime();
    String name = command == null ? "unknown" : command.getClass().getSimpleName();
    return answer.whenComplete((reply, error) -> timers
        .with(entityType, name, outcome(reply, error))
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }

  private String outcome(Object reply, Throwable error) {
    if (error != null) {
      return timedOut.test(error) ? "timeout" : "failed";
    }
    return reply == null ? "none" : KIND.get(reply.getClass());
  }
}
