package org.coursebatch.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.coursebatch.core.access.AccessRoles;
import org.coursebatch.core.enrollment.bulk.FormTokens;
import org.coursebatch.core.exhaust.ExhaustWorker;
import org.coursebatch.core.publish.SunbirdJobRequests;
import org.coursebatch.http.content.CachedCourseCatalog;
import org.coursebatch.http.content.ContentServiceSettings;
import org.coursebatch.http.content.HttpCourseCatalog;
import org.coursebatch.http.group.HttpGroupsService;
import org.coursebatch.http.outbound.ServiceCalls;
import org.coursebatch.http.user.HttpUserDirectory;
import org.coursebatch.http.webhook.WebhookSettings;
import org.coursebatch.node.cluster.ClusterFormation;
import org.coursebatch.node.logging.LogSettings;
import org.coursebatch.node.publish.KafkaEventSink;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.publish.EventPublication;
import org.coursebatch.persistence.secret.SecretsKey;
import org.coursebatch.persistence.secret.SecretsKeySource;

/** The node's own settings ({@code course-batch.*}), checked once at start-up. */
public record NodeSettings(
    Path dataDir,
    String timeZone,
    String httpHost,
    int httpPort,
    long maxBodyBytes,
    Duration askTimeout,
    Duration unbindDelay,
    Duration drainTimeout,
    int searchMaxLimit,
    DatabaseSettings database,
    SecretsKeySource secretsKey,
    String jwtSecret,
    String jwtPublicKey,
    String jwtIssuer,
    String rolesClaim,
    Duration maxTokenTtl,
    AccessRoles roles,
    Duration wakeUpMaxInterval,
    Duration stallAfter,
    Duration maxLag,
    boolean metricsEnabled,
    String otlpEndpoint,
    Bulk bulk,
    Exhaust exhaust,
    Optional<ServiceCalls.Settings> groupsService,
    Optional<ContentServiceSettings> contentService,
    CachedCourseCatalog.Settings builtInCatalogCache,
    Optional<HttpUserDirectory.Settings> userService,
    Optional<WebhookSettings> webhook,
    EventPublication.Settings publish,
    Optional<KafkaEventSink.Settings> kafka,
    ClusterFormation.Settings cluster,
    LogSettings logs) {

  /**
   * Bulk enrolment administration ({@code course-batch.bulk}).
   *
   * @param maxBodyBytes the body limit of the bulk routes (the other routes keep {@code http.max-body-bytes})
   * @param formSecret the key forms are signed with; empty: the one stored in the database
   */
  public record Bulk(int parallelism, int maxItems, Duration formTtl, long maxBodyBytes, Optional<byte[]> formSecret) {}

  /**
   * Exhaust reports ({@code course-batch.exhaust}).
   *
   * @param enabled whether this node runs a report worker
   * @param tempDir where reports are written before they are stored
   */
  public record Exhaust(boolean enabled, ExhaustWorker.Settings worker, Path tempDir) {}

  /** What the form tokens need, checked here so a short setting refuses the start by name. */
  static final int FORM_SECRET_MIN_BYTES = FormTokens.MIN_SECRET_BYTES;

  public static NodeSettings from(Config root) {
    Config c = root.getConfig("course-batch");
    Path dataDir = Path.of(c.getString("data-dir")).toAbsolutePath().normalize();
    String zone = c.getString("timezone");
    ZoneId.of(zone); // fail fast on an unknown zone
    String url = c.getString("db.url");
    DatabaseSettings db = (url.isBlank()
        ? DatabaseSettings.h2File(dataDir)
        : DatabaseSettings.of(url, c.getString("db.user"), c.getString("db.password")))
        .withMaxPoolSize(c.getInt("db.pool-size"))
        .withReadJournalPoolSize(c.getInt("db.read-journal-pool-size"));
    return new NodeSettings(dataDir, zone,
        c.getString("http.host"), c.getInt("http.port"), c.getBytes("http.max-body-bytes"),
        c.getDuration("http.ask-timeout"), c.getDuration("http.unbind-delay"), c.getDuration("http.drain-timeout"),
        c.getInt("http.search-max-limit"),
        db,
        SecretsKeySource.decide(secretsKey(c.getString("secrets.key")), url.isBlank(), dataDir),
        c.getString("auth.jwt-secret"), c.getString("auth.jwt-public-key"), c.getString("auth.issuer"),
        c.getString("auth.roles-claim"), maxTokenTtl(c),
        new AccessRoles(csv(c.getString("roles.batch-creators")), csv(c.getString("roles.catalog-writers")),
            csv(c.getString("roles.org-admins")), csv(c.getString("roles.system-admins")), csv(c.getString("roles.auditors"))),
        c.getDuration("wake-up.max-interval"),
        c.getDuration("stall-after"),
        c.getDuration("max-lag"),
        c.getBoolean("metrics.enabled"),
        c.getString("tracing.otlp-endpoint").trim(),
        bulk(c.getConfig("bulk")),
        exhaust(c.getConfig("exhaust"), dataDir),
        groupsService(c.getConfig("groups")),
        contentService(c.getConfig("content")),
        builtInCatalogCache(c.getConfig("content.cache")),
        userService(c.getConfig("users")),
        webhook(c.getConfig("webhook")),
        publish(c.getConfig("publish")),
        kafka(c.getConfig("kafka")),
        ClusterFormation.Settings.from(root),
        LogSettings.parse(root.getString("akka.loglevel"), c.getString("log.levels")));
  }

  /** How the journal is published to the sinks ({@code course-batch.publish}). */
  static EventPublication.Settings publish(Config c) {
    return new EventPublication.Settings(EventPublication.StartFrom.parse(c.getString("from")), c.getInt("group-size"),
        c.getDuration("group-within"), c.getDuration("min-backoff"), c.getDuration("max-backoff"),
        c.getDuration("deliver-timeout"));
  }

  /** The Kafka sink ({@code course-batch.kafka}); empty bootstrap-servers: none. */
  static Optional<KafkaEventSink.Settings> kafka(Config c) {
    String servers = c.getString("bootstrap-servers").trim();
    if (servers.isEmpty()) {
      return Optional.empty();
    }
    Map<SunbirdJobRequests.Kind, String> sunbird = new EnumMap<>(SunbirdJobRequests.Kind.class);
    Map.of(SunbirdJobRequests.Kind.CERTIFICATE, "sunbird.certificate-topic",
        SunbirdJobRequests.Kind.ACTIVITY, "sunbird.activity-topic",
        SunbirdJobRequests.Kind.ENROLMENT_SYNC, "sunbird.enrolment-sync-topic").forEach((kind, path) -> {
          String topic = c.getString(path).trim();
          if (!topic.isEmpty()) {
            sunbird.put(kind, topic);
          }
        });
    Duration timeout = c.getDuration("delivery-timeout");
    if (timeout.toMillis() < 1_000) {
      throw new IllegalArgumentException("course-batch.kafka.delivery-timeout (BATCH_KAFKA_DELIVERY_TIMEOUT) must be at least 1s");
    }
    return Optional.of(new KafkaEventSink.Settings(servers, c.getString("topic").trim(), sunbird, timeout,
        producerProperties(c.getString("properties-file").trim())));
  }

  /** The producer settings of {@code course-batch.kafka.properties-file}; empty: none. */
  private static Map<String, String> producerProperties(String file) {
    if (file.isEmpty()) {
      return Map.of();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("BATCH_KAFKA_PROPERTIES_FILE: cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new TreeMap<>();
    properties.stringPropertyNames().forEach(name -> out.put(name, properties.getProperty(name)));
    return out;
  }

  /** The groups service to ask ({@code course-batch.groups}); empty url: none, the built-in store. */
  static Optional<ServiceCalls.Settings> groupsService(Config c) {
    return serviceCalls(c, HttpGroupsService::settings);
  }

  /** The content service courses and templates come from ({@code course-batch.content}); empty url: the built-in catalog. */
  static Optional<ContentServiceSettings> contentService(Config c) {
    return serviceCalls(c, HttpCourseCatalog::settings).map(calls -> new ContentServiceSettings(calls, c.getBytes("max-answer-size"),
        new CachedCourseCatalog.Settings(c.getInt("cache.max-courses"), c.getInt("cache.max-templates"),
            c.getDuration("cache.expiry"), c.getDuration("cache.not-found-expiry"))));
  }

  /**
   * The cache in front of the built-in catalog ({@code course-batch.content.cache}): the content
   * cache's bounds with an expiry of its own, and "not found" never kept.
   */
  static CachedCourseCatalog.Settings builtInCatalogCache(Config c) {
    return new CachedCourseCatalog.Settings(c.getInt("max-courses"), c.getInt("max-templates"), c.getDuration("built-in-expiry"),
        Duration.ZERO);
  }

  /** The user service to ask ({@code course-batch.users}); empty url: none, the built-in directory. */
  static Optional<HttpUserDirectory.Settings> userService(Config c) {
    return serviceCalls(c, HttpUserDirectory::calls).map(calls -> new HttpUserDirectory.Settings(calls, c.getInt("page-size"),
        c.getInt("parallelism"), c.getDuration("cache.ttl"), c.getLong("cache.max-size")));
  }

  /**
   * The webhook receivers events are POSTed to ({@code course-batch.webhook}); no urls: none. With
   * urls, a missing or short secret or a url that is not one refuses the start.
   */
  static Optional<WebhookSettings> webhook(Config c) {
    return WebhookSettings.parse(c.getString("urls"), c.getString("secret"), c.getDuration("timeout"),
        c.getDuration("max-backoff"), c.getInt("parallelism"), c.getDuration("max-deliver-time"));
  }

  /** Makes a neighbouring service's call settings from its url and limits. */
  @FunctionalInterface
  interface ServiceCallsOf {
    ServiceCalls.Settings of(String url, Duration timeout, int retries, Duration retryBackoff, int maxFailures,
        Duration resetTimeout);
  }

  /**
   * A neighbouring service's url and call limits, as every such section names them ({@code url},
   * {@code timeout}, {@code retries}, {@code retry-backoff}, {@code breaker.*}); empty url: none.
   */
  private static Optional<ServiceCalls.Settings> serviceCalls(Config c, ServiceCallsOf settings) {
    String url = c.getString("url").trim();
    if (url.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(settings.of(url, c.getDuration("timeout"), c.getInt("retries"), c.getDuration("retry-backoff"),
        c.getInt("breaker.max-failures"), c.getDuration("breaker.reset-timeout")));
  }

  private static Exhaust exhaust(Config c, Path dataDir) {
    var worker = new ExhaustWorker.Settings(c.getDuration("poll-interval"), c.getDuration("lease"), c.getInt("max-attempts"),
        c.getDuration("retry-delay"), c.getDuration("retention"));
    String dir = c.getString("temp-dir");
    Path tempDir = dir.isBlank() ? dataDir.resolve("exhaust-tmp") : Path.of(dir).toAbsolutePath().normalize();
    return new Exhaust(c.getBoolean("enabled"), worker, tempDir);
  }

  /** {@code auth.max-token-ttl}: a node that refused every token would look like an outage of the identity provider. */
  private static Duration maxTokenTtl(Config c) {
    Duration ttl = c.getDuration("auth.max-token-ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("course-batch.auth.max-token-ttl (BATCH_JWT_MAX_TTL) must be positive, not " + ttl);
    }
    return ttl;
  }

  private static Bulk bulk(Config c) {
    int parallelism = c.getInt("parallelism");
    int maxItems = c.getInt("max-items");
    Duration ttl = c.getDuration("form-ttl");
    if (parallelism < 1 || maxItems < 1 || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("course-batch.bulk: parallelism, max-items and form-ttl must be positive");
    }
    return new Bulk(parallelism, maxItems, ttl, c.getBytes("max-body-bytes"), formSecret(c.getString("form-secret")));
  }

  /**
   * A configured form key: base64 (standard or URL-safe) of at least 16 bytes, else the text's
   * UTF-8 bytes, which must be at least 16. Every node reads the same setting the same way.
   */
  static Optional<byte[]> formSecret(String value) {
    String v = value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
      try {
        byte[] decoded = decoder.decode(v);
        if (decoded.length >= FORM_SECRET_MIN_BYTES) {
          return Optional.of(decoded);
        }
      } catch (IllegalArgumentException notBase64) {
        // try the next reading
      }
    }
    byte[] text = v.getBytes(StandardCharsets.UTF_8);
    if (text.length < FORM_SECRET_MIN_BYTES) {
      throw new IllegalArgumentException("BATCH_ENROLLMENT_FORM_SECRET must have at least " + FORM_SECRET_MIN_BYTES
          + " bytes (base64 or text)");
    }
    return Optional.of(text);
  }

  /** The configured secrets key; a value that is not one refuses the start, saying what to give. */
  static Optional<SecretsKey> secretsKey(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(SecretsKey.parse(value, "BATCH_SECRETS_KEY (course-batch.secrets.key)"));
  }

  public ZoneId zoneId() {
    return ZoneId.of(timeZone);
  }

  private static List<String> csv(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public Path devKeyFile() {
    return dataDir.resolve("dev-jwt-key.json");
  }
}
