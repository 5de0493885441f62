package org.coursebatch.persistence.exhaust;

import akka.actor.typed.ActorSystem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.coursebatch.persistence.db.Database;

/**
 * Exhaust jobs by status in the whole cluster ({@code coursebatch.exhaust.jobs.by.status}):
 * submitted (waiting for a worker), processing, success and failed, counted every
 * {@link #INTERVAL} on the status index and held for scrapes (a scrape never queries the database).
 * Every node reports the same counts: take the max across nodes.
 */
public final class ExhaustJobGauges {

  static final Duration INTERVAL = Duration.ofSeconds(15);
  private static final String[] STATUSES = {"SUBMITTED", "PROCESSING", "SUCCESS", "FAILED"};

  private ExhaustJobGauges() {}

  public static void start(ActorSystem<?> system, Database db, MeterRegistry registry) {
    Map<String, AtomicLong> counts = new LinkedHashMap<>();
    for (String status : STATUSES) {
      AtomicLong count = new AtomicLong();
      counts.put(status, count);
      Gauge.builder("coursebatch.exhaust.jobs.by.status", count, AtomicLong::get)
          .description("Exhaust jobs in the cluster by status, counted every 15 s")
          .tag("status", status.toLowerCase(Locale.ROOT)).strongReference(true).register(registry);
    }
    var executor = Database.jdbcExecutor(system);
    system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(1), INTERVAL, () ->
        db.runAsync(executor, c -> {
          Map<String, Long> found = new LinkedHashMap<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM exhaust_job GROUP BY status");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.put(rs.getString(1), rs.getLong(2));
            }
          }
          return found;
        }).thenAccept(found -> counts.forEach((status, count) -> count.set(found.getOrDefault(status, 0L)))),
        system.executionContext());
  }
}
