package org.coursebatch.core.publish;

import akka.Done;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where published events go (a Kafka topic, webhook receivers). The publication projection hands a
 * sink the events of one tag in journal order and stores its offset only after the returned stage
 * completes, so a sink must complete it only once every event was acknowledged by its receiver,
 * and fail it otherwise (the projection then retries the same events: at least once).
 */
public interface EventSink {

  /** Names the sink's projection and its meters: {@code kafka}, {@code webhook}. */
  String name();

  /** Delivers {@code events}, in order for each {@link OutboundEvent#key}. */
  CompletionStage<Done> deliver(List<OutboundEvent> events);
}
