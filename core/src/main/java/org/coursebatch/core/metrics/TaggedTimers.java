package org.coursebatch.core.metrics;

import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The timers of one metric by the values of its tags, each resolved from the registry once.
 *
 * <p>Micrometer's {@link MeterProvider#withTags} builds, sorts and hashes the tags and looks the
 * meter up in the registry on every call: on the hot paths that was about 2 % of a node's CPU per
 * metric. Here the values alone are the key. The callers' tag values come from fixed sets (route
 * templates, methods, statuses, class names), so the map stays as small as the registry's series.
 */
public final class TaggedTimers {

  private final MeterProvider<Timer> registered;
  private final String[] keys;
  private final ConcurrentMap<List<String>, Timer> known = new ConcurrentHashMap<>();

  /** @param keys the tag keys, in the order {@link #with} is given their values */
  public TaggedTimers(MeterProvider<Timer> registered, String... keys) {
    this.registered = registered;
    this.keys = keys.clone();
  }

  /** The timer tagged with {@code values}, one per key. */
  public Timer with(String... values) {
    List<String> key = Arrays.asList(values);
    Timer timer = known.get(key); // the usual case: no lock taken
    return timer != null ? timer : known.computeIfAbsent(List.of(values), k -> registered.withTags(tags(values)));
  }

  private String[] tags(String[] values) {
    if (values.length != keys.length) {
      throw new IllegalArgumentException("expected " + keys.length + " tag values, got " + values.length);
    }
    String[] tags = new String[keys.length * 2];
    for (int i = 0; i < keys.length; i++) {
      tags[2 * i] = keys[i];
      tags[2 * i + 1] = values[i];
    }
    return tags;
  }
}
