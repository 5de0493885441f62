package org.coursebatch.node.publish;

import akka.Done;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.coursebatch.core.publish.EventSink;
import org.coursebatch.core.publish.OutboundEvent;
import org.coursebatch.core.publish.OutboundJson;
import org.coursebatch.core.publish.SunbirdJobRequests;
import org.coursebatch.core.publish.SunbirdJobRequests.Kind;

/**
 * Sends outbound events to Kafka with Apache Kafka's own producer (ADR 19): each event as JSON
 * ({@link OutboundJson}) to the events topic, keyed by {@link OutboundEvent#key} so that one
 * entity's events land on one partition in journal order, with the headers {@code eventId} and
 * {@code type}; and the Sunbird job requests the event makes ({@link SunbirdJobRequests}) to the
 * topic configured for their kind, if any. The producer is idempotent and waits for every in-sync
 * replica ({@code acks=all}); a delivery completes once every record's send was acknowledged and
 * fails if any was not, and the publication then sends the same events again.
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {

  /**
   * {@code course-batch.kafka}.
   *
   * @param bootstrapServers the brokers to start from, {@code host:port,host:port}
   * @param topic where the outbound events go
   * @param sunbirdTopics the topic of each kind of Sunbird job request that is sent (a kind not named: none)
   * @param deliveryTimeout how long a record may take from its send to its acknowledgement, retries included
   * @param properties more producer settings (security, compression), applied last but for the
   *     serializers, idempotence and acks, which this sink fixes
   */
  public record Settings(String bootstrapServers, String topic, Map<Kind, String> sunbirdTopics, Duration deliveryTimeout,
      Map<String, String> properties) {
    public Settings {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("course-batch.kafka.topic (BATCH_KAFKA_TOPIC) must name a topic");
      }
      sunbirdTopics = Map.copyOf(sunbirdTopics);
      properties = Map.copyOf(properties);
    }
  }

  private final Settings settings;
  private final Producer<String, byte[]> producer;
  /** Sends run here: a send blocks while the producer has no metadata of its topic (brokers unreachable). */
  private final ExecutorService sender;

  public KafkaEventSink(Settings settings) {
    this.settings = settings;
    this.producer = new KafkaProducer<>(producerConfig(settings), new StringSerializer(), new ByteArraySerializer());
    this.sender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "kafka-event-sink");
      t.setDaemon(true);
      return t;
    });
  }

  /** The producer's settings: the configured ones, then those the sink's guarantees rest on. */
  public static Properties producerConfig(Settings settings) {
    Properties p = new Properties();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "course-batch");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.putAll(settings.properties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    long timeout = settings.deliveryTimeout().toMillis();
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
    // delivery.timeout.ms must be at least linger.ms + request.timeout.ms.
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1, Math.min(30_000, timeout - 10))));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(60_000, timeout)));
    return p;
  }

  @Override
  public String name() {
    return "kafka";
  }

  /** The records {@code events} make, in order: each event's own, then its Sunbird job requests. */
  List<ProducerRecord<String, byte[]>> records(List<OutboundEvent> events) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (OutboundEvent e : events) {
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic(), e.key(), OutboundJson.bytes(e));
      record.headers().add("eventId", e.eventId().getBytes(StandardCharsets.UTF_8));
      record.headers().add("type", e.type().getBytes(StandardCharsets.UTF_8));
      records.add(record);
      for (SunbirdJobRequests.JobRequest request : SunbirdJobRequests.of(e)) {
        Optional.ofNullable(settings.sunbirdTopics().get(request.kind()))
            .ifPresent(topic -> records.add(new ProducerRecord<>(topic, request.key(), request.bytes())));
      }
    }
    return records;
  }

  @Override
  public CompletionStage<Done> deliver(List<OutboundEvent> events) {
    List<ProducerRecord<String, byte[]>> records = records(events);
    return CompletableFuture.supplyAsync(() -> send(records), sender)
        .thenCompose(acks -> CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)))
        .thenApply(all -> Done.getInstance());
  }

  /**
   * Sends every record in order; answers each one's acknowledgement. A send that fails at once (no
   * metadata within max.block.ms: the brokers are unreachable) fails the delivery without trying
   * the others, each of which would wait as long.
   */
  private List<CompletableFuture<Void>> send(List<ProducerRecord<String, byte[]>> records) {
    List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
    for (ProducerRecord<String, byte[]> record : records) {
      CompletableFuture<Void> ack = new CompletableFuture<>();
      acks.add(ack);
      try {
        producer.send(record, (metadata, error) -> {
          if (error == null) {
            ack.complete(null);
          } else {
            ack.completeExceptionally(error);
          }
        });
      } catch (RuntimeException e) {
        ack.completeExceptionally(e);
        break;
      }
    }
    return acks;
  }

  /** Where the sink sends, for the node's log. */
  public String describe() {
    Map<String, String> topics = new LinkedHashMap<>();
    topics.put("events", settings.topic());
    settings.sunbirdTopics().forEach((kind, topic) -> topics.put(kind.name().toLowerCase(java.util.Locale.ROOT), topic));
    return "Kafka at " + settings.bootstrapServers() + ", topics " + topics;
  }

  /** Sends what is buffered (for at most the delivery timeout) and closes the producer. */
  @Override
  public void close() {
    sender.shutdown();
    producer.close(settings.deliveryTimeout());
    try {
      sender.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
