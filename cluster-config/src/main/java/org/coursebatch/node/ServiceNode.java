package org.coursebatch.node;

import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.AccessPolicy;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentService;
import org.coursebatch.core.enrollment.bulk.EnrollmentAliasEntity;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin;
import org.coursebatch.core.enrollment.bulk.FormTokens;
import org.coursebatch.core.exhaust.ExhaustService;
import org.coursebatch.core.exhaust.ExhaustWorker;
import org.coursebatch.core.group.GroupActivityAggregator;
import org.coursebatch.core.group.GroupsService;
import org.coursebatch.core.schedule.BatchWakeUpScheduler;
import org.coursebatch.core.user.UserDirectory;
import org.coursebatch.http.HttpApi;
import org.coursebatch.http.api.ApiRouter;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.auth.Authenticator;
import org.coursebatch.http.auth.JwtKeys;
import org.coursebatch.http.batch.BatchEndpoints;
import org.coursebatch.http.catalog.CatalogEndpoints;
import org.coursebatch.http.content.CachedBuiltInCatalog;
import org.coursebatch.http.enrollment.EnrollmentEndpoints;
import org.coursebatch.http.enrollment.bulk.BulkEnrollmentEndpoints;
import org.coursebatch.http.exhaust.ExhaustEndpoints;
import org.coursebatch.http.group.GroupEndpoints;
import org.coursebatch.http.group.HttpGroupsService;
import org.coursebatch.http.history.HistoryEndpoints;
import org.coursebatch.http.history.HistoryResults;
import org.coursebatch.http.ops.OpsEndpoints;
import org.coursebatch.http.user.HttpUserDirectory;
import org.coursebatch.http.user.UserEndpoints;
import org.coursebatch.node.cluster.ClusterFormation;
import org.coursebatch.node.cluster.NodeReadiness;
import org.coursebatch.node.metrics.PrometheusMetrics;
import org.coursebatch.node.tracing.NodeTracing;
import org.coursebatch.node.logging.LogSettings;
import org.coursebatch.core.publish.EventSink;
import org.coursebatch.http.webhook.WebhookSinks;
import org.coursebatch.node.publish.KafkaEventSink;
import org.coursebatch.persistence.batch.JdbcBatchQueries;
import org.coursebatch.persistence.catalog.JdbcCourseCatalog;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.enrollment.JdbcEnrollmentQueries;
import org.coursebatch.persistence.exhaust.JdbcExhaustGenerator;
import org.coursebatch.persistence.exhaust.JdbcExhaustJobs;
import org.coursebatch.persistence.group.JdbcGroupActivityQueries;
import org.coursebatch.persistence.group.JdbcGroupsStore;
import org.coursebatch.persistence.journal.JdbcJournalHistory;
import org.coursebatch.persistence.journal.PersistenceConfig;
import org.coursebatch.persistence.projection.JournalReadModels;
import org.coursebatch.persistence.projection.ProgressWatch;
import org.coursebatch.persistence.publish.EventPublication;
import org.coursebatch.persistence.secret.SecretsKey;
import org.coursebatch.persistence.secret.SecretsKeySource;
import org.coursebatch.persistence.secret.ServiceSecrets;
import org.coursebatch.persistence.user.JdbcUserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of a node: migrates the database, opens the secrets the nodes share
 * (sealed with the node's secrets key, ADR 9), starts the actor system, Akka
 * Management (probes) and joins the cluster, starts the batch, enrolment and enrolment-alias entities, the read-side projections
 * and the wake-up scheduler, the exhaust report worker, and serves the HTTP API (bulk enrolment
 * administration and report requests included).
 * {@code /health} answers once all of this is up, and the readiness probe once the node is also a
 * cluster member.
 */
public final class ServiceNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServiceNode.class);

  /** The name of the bulk enrolment form key in the database, when none is configured. */
  static final String FORM_SECRET_NAME = "enrollment-form";

  private final ActorSystem<Void> system;
  private final Database database;
  private final ServerBinding binding;
  private final NodeSettings settings;

  private ServiceNode(ActorSystem<Void> system, Database database, ServerBinding binding, NodeSettings settings) {
    this.system = system;
    this.database = database;
    this.binding = binding;
    this.settings = settings;
  }

  public static ServiceNode start(Config config, Clock clock) {
    LogSettings.checkFormat(System::getProperty, System::getenv);
    NodeSettings settings = NodeSettings.from(config);
    settings.logs().apply();
    log.info("Starting node: database {}, time zone {}", settings.database(), settings.timeZone());
    Database database = Database.open(settings.database());
    ActorSystem<Void> system = null;
    try {
      database.migrate();
      ServiceSecrets secrets = serviceSecrets(database, settings.secretsKey());
      Config full = ConfigFactory.parseMap(Map.of("akka.loglevel", settings.logs().akkaLevel()))
          .withFallback(ClusterFormation.akkaConfig(settings.cluster()))
          .withFallback(PersistenceConfig.forDatabase(settings.database())).withFallback(config);
      system = ActorSystem.create(Behaviors.empty(), "course-batch", full);
      if (settings.metricsEnabled()) {
        PrometheusMetrics.get(system).start(system, database);
      }
      NodeTracing.start(system, settings.otlpEndpoint());
      ClusterFormation.start(system, settings.cluster());

      CourseBatchEntity.init(system, clock, settings.timeZone());
      EnrollmentEntity.init(system, clock);
      EnrollmentAliasEntity.init(system, clock);
      var builtInCatalog = new CachedBuiltInCatalog(new JdbcCourseCatalog(system, database), settings.builtInCatalogCache(),
          system.executionContext());
      CourseCatalog catalog = catalog(system, settings, builtInCatalog);
      var builtInUsers = new JdbcUserDirectory(system, database, clock);
      UserDirectory users = userDirectory(system, settings, builtInUsers);
      var queries = new JdbcBatchQueries(system, database);
      var enrollmentQueries = new JdbcEnrollmentQueries(system, database);
      JournalReadModels.init(system, database);
      startPublications(system, database, settings);
      BatchWakeUpScheduler.init(system, queries, clock, settings.wakeUpMaxInterval());

      var batchService = new BatchService(system, catalog, settings.askTimeout(), clock, settings.timeZone());
      var policy = new AccessPolicy(settings.roles());
      var access = new AccessChecks(policy, users);
      var enrollmentService = new EnrollmentService(system, batchService, catalog, users, settings.askTimeout(), clock, access);
      var endpoints = new ArrayList<Endpoint>();
      endpoints.addAll(OpsEndpoints.endpoints());
      endpoints.addAll(new BatchEndpoints(batchService, queries, clock, settings.searchMaxLimit(), policy).endpoints());
      endpoints.addAll(settings.contentService()
          .map(s -> CatalogEndpoints.readOnly(catalog, s.calls().url(), policy))
          .orElseGet(() -> new CatalogEndpoints(catalog, builtInCatalog, policy)).endpoints());
      endpoints.addAll(new EnrollmentEndpoints(enrollmentService, enrollmentQueries, batchService, catalog, access).endpoints());
      endpoints.addAll((settings.userService().isPresent() ? UserEndpoints.ofUserService(users, access)
          : new UserEndpoints(builtInUsers, access)).endpoints());
      endpoints.addAll(groupEndpoints(system, database, settings, catalog, policy, clock));
      var bulk = settings.bulk();
      var formTokens = new FormTokens(bulk.formSecret().orElseGet(() -> secrets.getOrCreate(FORM_SECRET_NAME)));
      var batchAdmin = new EnrollmentBatchAdmin(system, enrollmentService, batchService, enrollmentQueries, formTokens,
          new EnrollmentBatchAdmin.Settings(bulk.parallelism(), bulk.maxItems(), bulk.formTtl()), settings.askTimeout(), clock);
      endpoints.addAll(new BulkEnrollmentEndpoints(batchAdmin, settings.zoneId(), bulk.maxBodyBytes()).endpoints());
      endpoints.addAll(new HistoryEndpoints(new HistoryResults(JdbcJournalHistory.of(system)), batchService, batchAdmin,
          policy, clock).endpoints());
      var exhaustJobs = new JdbcExhaustJobs(system, database, secrets);
      var exhaust = settings.exhaust();
      if (exhaust.enabled()) {
        ExhaustWorker.start(system, exhaustJobs, new JdbcExhaustGenerator(system, database, users, exhaust.tempDir()),
            batchService, catalog, exhaust.worker(), clock);
      }
      endpoints.addAll(new ExhaustEndpoints(new ExhaustService(exhaustJobs, exhaustJobs, batchService, catalog,
          access, clock), clock).endpoints());
      var keys = JwtKeys.load(settings.jwtSecret(), settings.jwtPublicKey(), settings.devKeyFile());
      var authenticator = new Authenticator(keys, settings.rolesClaim(), Optional.of(settings.jwtIssuer()), settings.maxTokenTtl(),
          clock);
      var router = new ApiRouter(endpoints, authenticator, clock, settings.maxBodyBytes(), settings.askTimeout(),
          requestTimeout(system.settings().config()));

      ServerBinding binding = HttpApi.start(system, router, settings.httpHost(), settings.httpPort(), settings.drainTimeout())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      system.getWhenTerminated().thenRun(database::close);
      NodeReadiness.get(system).serving(system, database, settings.unbindDelay());
      ProgressWatch.get(system).start(system, database, settings.stallAfter(), settings.maxLag());
      return new ServiceNode(system, database, binding, settings);
    } catch (Exception | LinkageError e) {
      // A LinkageError too (a class missing from the jar): the actor system's threads would
      // otherwise keep a node without its API alive, and the process would never exit.
      if (system != null) {
        system.terminate();
      }
      database.close();
      throw new IllegalStateException("The node did not start: " + e.getMessage(), e);
    }
  }

  /** Publishes the journal to each configured sink (Kafka, when its brokers are named). */
  private static void startPublications(ActorSystem<?> system, Database database, NodeSettings settings) {
    settings.kafka().ifPresent(kafka -> {
      KafkaEventSink sink = new KafkaEventSink(kafka);
      system.getWhenTerminated().thenRun(sink::close);
      log.info("Publishing events to {}", sink.describe());
      EventPublication.init(system, database, sink, settings.publish());
    });
    // Each receiver a publication of its own: one that is down holds back only its own stream.
    for (EventSink sink : WebhookSinks.fromSettings(system, settings.webhook())) {
      log.info("Publishing events to the webhook receiver {}", sink.name());
      EventPublication.init(system, database, sink, settings.publish());
    }
  }

  /**
   * The secrets every node shares, opened with this node's key: a stored secret the key does not
   * open stops the start here, before anything else runs.
   */
  private static ServiceSecrets serviceSecrets(Database database, SecretsKeySource source) {
    Optional<SecretsKey> key = source.load();
    if (key.isPresent()) {
      log.info("Service secrets are sealed with key {} from {}", key.get().id(), source.describe());
    } else {
      log.warn(SecretsKeySource.PLAIN_TEXT_WARNING);
    }
    return ServiceSecrets.open(database, key);
  }

  /** The HTTP server's request timeout ({@code akka.http.server.request-timeout}), or null when it is infinite. */
  private static Duration requestTimeout(Config config) {
    String path = "akka.http.server.request-timeout";
    return "infinite".equalsIgnoreCase(config.getString(path).trim()) ? null : config.getDuration(path);
  }

  /** Courses and certificate templates from the content service when one is configured, else from the built-in catalog. */
  private static CourseCatalog catalog(ActorSystem<?> system, NodeSettings settings, CourseCatalog builtIn) {
    log.info("Courses and certificate templates come from {}", settings.contentService()
        .map(s -> "the content service at " + s.calls().url()).orElse("the built-in catalog"));
    return settings.contentService().map(s -> s.catalog(system)).orElse(builtIn);
  }

  /** The user service when one is configured, else the built-in directory. */
  private static UserDirectory userDirectory(ActorSystem<?> system, NodeSettings settings, JdbcUserDirectory builtIn) {
    log.info("Users and their organisations come from {}", settings.userService().map(s -> "the user service at " + s.calls().url())
        .orElse("the built-in user directory"));
    return settings.userService().<UserDirectory>map(s -> new HttpUserDirectory(system, s)).orElse(builtIn);
  }

  /**
   * Group activity aggregates over the groups service when one is configured, else over the
   * built-in groups store, whose routes are then served too.
   */
  private static List<Endpoint> groupEndpoints(ActorSystem<?> system, Database database, NodeSettings settings,
      CourseCatalog catalog, AccessPolicy policy, Clock clock) {
    var store = new JdbcGroupsStore(system, database, clock);
    GroupsService groups = settings.groupsService().<GroupsService>map(s -> new HttpGroupsService(system, s)).orElse(store);
    log.info("Group members come from {}", settings.groupsService().map(s -> "the groups service at " + s.url())
        .orElse("the built-in groups store"));
    var aggregator = new GroupActivityAggregator(groups, catalog, new JdbcGroupActivityQueries(system, database),
        policy, clock);
    var endpoints = new GroupEndpoints(aggregator, store, store, policy);
    var out = new ArrayList<>(endpoints.activityEndpoints());
    if (settings.groupsService().isEmpty()) {
      out.addAll(endpoints.storeEndpoints());
    }
    return out;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public NodeSettings settings() {
    return settings;
  }

  public Database database() {
    return database;
  }

  /** Runs coordinated shutdown (unbind, drain, leave the cluster) and waits for it. */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("The actor system did not terminate in time", e);
    }
    database.close();
  }
}
