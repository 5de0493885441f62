package org.coursebatch.core.publish;

import akka.Done;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where published events go (a Kafka topic, webhook receivers). The publication projection hands a
 * sink the events of one tag in journal order and stores its offset only after the returned stage
 * completes, so a sink must complete it only once every event was acknowledged by its receiver,
 * and fail it otherwise (the projection then retries the same events: at least once).
 *
 * <p>Each tag's instance calls {@link #deliver} again only after the previous stage completed, but
 * the instances of different tags call it concurrently. A stage not completed within
 * {@code course-batch.publish.deliver-timeout} counts as failed; a stage that fails restarts the
 * instance with backoff (see {@code EventPublication} in the persistence module and docs/events.md).
 */
public interface EventSink {

  /**
   * Names the sink's projection ({@code publish-<name>}, under which its offsets are stored) and its
   * meters: {@code kafka}, {@code webhook}. One name per sink, kept across releases: a sink under a
   * new name starts a new publication (from {@code BATCH_PUBLISH_FROM}).
   */
  String name();

  /** Delivers {@code events}, in order for each {@link OutboundEvent#key}. */
  CompletionStage<Done> deliver(List<OutboundEvent> events);
}
