package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.publish.SunbirdJobRequests.Kind;
import org.coursebatch.node.publish.KafkaEventSink;
import org.coursebatch.persistence.publish.EventPublication;
import org.coursebatch.persistence.publish.EventPublication.StartFrom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code course-batch.publish} and {@code course-batch.kafka}: no Kafka by default; a new publication starts from now. */
class PublishSettingsTest {

  @TempDir
  Path tmp;

  static Config section(String path, Map<String, Object> overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load("application-test.conf")).getConfig(path);
  }

  @Test
  void theDefaults() {
    assertEquals(Optional.empty(), NodeSettings.kafka(section("course-batch.kafka", Map.of())));
    assertEquals(new EventPublication.Settings(StartFrom.NOW, 100, Duration.ofMillis(100), Duration.ofSeconds(1),
        Duration.ofSeconds(30), Duration.ofMinutes(5)), NodeSettings.publish(section("course-batch.publish", Map.of())));
  }

  @Test
  void brokersTurnKafkaOnWithTheSunbirdTopicsThatAreNamedAndTheProducerFile() throws Exception {
    Path file = tmp.resolve("producer.properties");
    Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism = PLAIN\n");
    Map<String, Object> values = new HashMap<>();
    values.put("course-batch.kafka.bootstrap-servers", " kafka-0:9092,kafka-1:9092 ");
    values.put("course-batch.kafka.sunbird.certificate-topic", "dev.issue.certificate.request");
    values.put("course-batch.kafka.sunbird.activity-topic", " ");
    values.put("course-batch.kafka.properties-file", file.toString());
    KafkaEventSink.Settings kafka = NodeSettings.kafka(section("course-batch.kafka", values)).orElseThrow();
    assertEquals("kafka-0:9092,kafka-1:9092", kafka.bootstrapServers());
    assertEquals("coursebatch.events", kafka.topic());
    assertEquals(Map.of(Kind.CERTIFICATE, "dev.issue.certificate.request"), kafka.sunbirdTopics());
    assertEquals(Duration.ofMinutes(2), kafka.deliveryTimeout());
    assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"), kafka.properties());
  }

  @Test
  void theSinksGuaranteesOverrideTheProducerFile() {
    var settings = new KafkaEventSink.Settings("k:9092", "t", Map.of(), Duration.ofSeconds(30),
        Map.of("acks", "1", "enable.idempotence", "false", "compression.type", "zstd"));
    var config = KafkaEventSink.producerConfig(settings);
    assertEquals("all", config.get("acks"));
    assertEquals("true", config.get("enable.idempotence"));
    assertEquals("zstd", config.get("compression.type"));
    assertEquals("30000", config.get("delivery.timeout.ms"));
  }

  @Test
  void badSettingsStopTheNodeFromStarting() {
    assertThrows(IllegalArgumentException.class, () -> NodeSettings.publish(section("course-batch.publish",
        Map.of("course-batch.publish.from", "yesterday"))));
    assertEquals(StartFrom.BEGINNING, NodeSettings.publish(section("course-batch.publish",
        Map.of("course-batch.publish.from", "Beginning"))).from());
    assertThrows(IllegalArgumentException.class, () -> NodeSettings.publish(section("course-batch.publish",
        Map.of("course-batch.publish.max-backoff", "100ms"))));
    assertThrows(IllegalArgumentException.class, () -> NodeSettings.kafka(section("course-batch.kafka",
        Map.of("course-batch.kafka.bootstrap-servers", "k:9092", "course-batch.kafka.topic", ""))));
    assertThrows(IllegalArgumentException.class, () -> NodeSettings.kafka(section("course-batch.kafka",
        Map.of("course-batch.kafka.bootstrap-servers", "k:9092", "course-batch.kafka.properties-file", tmp.resolve("none").toString()))));
  }
}
