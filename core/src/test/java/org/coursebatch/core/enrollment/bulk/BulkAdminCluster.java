package org.coursebatch.core.enrollment.bulk;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.NotUsed;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.coursebatch.core.access.AccessChecks;
import org.coursebatch.core.access.AccessPolicy;
import org.coursebatch.core.access.AccessRoles;
import org.coursebatch.core.batch.BatchCommand;
import org.coursebatch.core.batch.BatchReply;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.NewBatch;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentQueries;
import org.coursebatch.core.enrollment.EnrollmentRecord;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.enrollment.EnrollmentService;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.request.EntityAsks;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.core.testing.SingleNodeCluster;
import org.coursebatch.core.user.Consent;
import org.coursebatch.core.user.UserDirectory;
import org.coursebatch.core.user.UserProfile;

/**
 * The bulk administration parts over the real entities (batch, enrolment, alias) on a
 * single-node cluster with the in-memory journal, and a directory of users in memory. The people:
 * {@link #CREATOR} (of {@link #ORG}) creates the batches, for {@link #ORG}; {@link #LEARNERS} are
 * of {@link #ORG}, {@link #STRANGER} of another organisation, {@link #UNKNOWN} not in the
 * directory; {@link #OUTSIDER} administers nothing, {@link #SYSADMIN} everything.
 */
final class BulkAdminCluster implements AutoCloseable {

  static final String ORG = "org-a";
  static final String COURSE = "do_course_1";
  static final Caller CREATOR = Caller.of("creator-a", "CONTENT_CREATOR");
  static final Caller OUTSIDER = Caller.of("outsider", "CONTENT_CREATOR");
  static final Caller SYSADMIN = Caller.of("sysadmin", "SYSTEM_ADMINISTRATION");
  static final Caller ORG_ADMIN = Caller.of("org-admin-a", "ORG_ADMIN");
  static final List<String> LEARNERS = List.of("learner-1", "learner-2", "learner-3");
  static final String STRANGER = "stranger";
  static final String UNKNOWN = "nobody-knows";
  static final Instant NOW = Instant.parse("2030-03-10T10:00:00Z");
  static final LocalDate TODAY = LocalDate.of(2030, 3, 10);
  static final Duration AWAIT = Duration.ofSeconds(20);

  final ActorTestKit testKit;
  final MutableClock clock = new MutableClock(NOW);
  final Directory directory = new Directory();
  final Listing listing = new Listing();
  final AccessChecks access = new AccessChecks(new AccessPolicy(AccessRoles.SUNBIRD), directory);
  final BatchService batches;
  final EnrollmentService enrollments;
  final EntityAsks asks;
  final EnrollmentResolver resolver;

  private BulkAdminCluster(String name) {
    testKit = SingleNodeCluster.start(name, AWAIT);
    CourseBatchEntity.init(testKit.system(), clock, "UTC");
    EnrollmentEntity.init(testKit.system(), clock);
    EnrollmentAliasEntity.init(testKit.system(), clock);
    Duration ask = Duration.ofSeconds(10);
    batches = new BatchService(testKit.system(), new NoCourses(), ask, clock, "UTC");
    enrollments = new EnrollmentService(testKit.system(), batches, new NoCourses(), directory, ask, clock, access);
    asks = new EntityAsks(testKit.system(), clock, ask);
    resolver = new EnrollmentResolver(ClusterSharding.get(testKit.system()), asks, enrollments);
    directory.put(CREATOR.userId(), ORG);
    directory.put(ORG_ADMIN.userId(), ORG);
    directory.put(OUTSIDER.userId(), "org-b");
    directory.put(SYSADMIN.userId(), "org-z");
    LEARNERS.forEach(l -> directory.put(l, ORG));
    directory.put(STRANGER, "org-b");
  }

  static BulkAdminCluster start(String name) {
    return new BulkAdminCluster(name);
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }

  /** The parts a session shares, with at most {@code maxItems} items a request and {@code parallelism} in flight. */
  EnrollmentBatchAdmin.Parts parts(int maxItems, int parallelism) {
    InputLimits limits = new InputLimits(maxItems);
    FormTokens tokens = new FormTokens("a-key-of-at-least-sixteen-bytes".getBytes(StandardCharsets.UTF_8));
    return new EnrollmentBatchAdmin.Parts(testKit.system(), enrollments, batches, listing,
        new EnrollmentForms(tokens, clock, Duration.ofHours(1), limits), resolver,
        new ItemFanOut(access, batches, parallelism), limits, asks);
  }

  /** A new open batch of {@link #CREATOR}, created for {@link #ORG}, in progress today. */
  String newBatch() {
    String batchId = "0131" + System.nanoTime();
    var nb = new NewBatch(COURSE, "Batch", null, null, EnrollmentType.OPEN, TODAY, TODAY.plusDays(30), null,
        List.of(ORG), List.of(), null);
    BatchReply reply = await(ClusterSharding.get(testKit.system()).entityRefFor(CourseBatchEntity.ENTITY_KEY, batchId)
        .ask(r -> new BatchCommand.CreateBatch(nb, CREATOR, r), AWAIT));
    assertInstanceOf(BatchReply.Accepted.class, reply);
    return batchId;
  }

  /** Enrols the learner (by themself) and answers the enrolment's id. */
  EnrollmentId enrol(String batchId, String userId) {
    await(enrollments.enrol(COURSE, batchId, userId, Caller.of(userId), false, ClientRequest.none()));
    return await(enrollments.enrollment(batchId, userId)).id().orElseThrow();
  }

  <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw Rejections.propagate(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The stage's items, in the order the stream gave them. */
  <T> List<T> all(CompletionStage<Source<T, NotUsed>> stage) {
    return await(await(stage).runWith(Sink.seq(), testKit.system()));
  }

  /** The rejection the stage failed with; fails the test when it completed or failed otherwise. */
  Rejection refusal(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(RejectedException.class, Rejections.unwrap(e.getCause())).rejection();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("completed, but a refusal was expected");
  }

  /** The users and their root organisations; counts the lookups of many, and can be made to fail them. */
  static final class Directory implements UserDirectory {
    final Map<String, String> orgs = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger profileLookups = new AtomicInteger();
    final List<List<String>> asked = new CopyOnWriteArrayList<>();
    volatile RuntimeException failure;

    void put(String userId, String org) {
      orgs.put(userId, org);
    }

    @Override
    public CompletionStage<Optional<String>> rootOrgId(String userId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(orgs.get(userId)));
    }

    @Override
    public CompletionStage<Set<String>> knownUsers(Collection<String> userIds) {
      return profiles(userIds).thenApply(Map::keySet);
    }

    @Override
    public CompletionStage<Map<String, UserProfile>> profiles(Collection<String> userIds) {
      profileLookups.incrementAndGet();
      asked.add(List.copyOf(userIds));
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      Map<String, UserProfile> found = new LinkedHashMap<>();
      userIds.stream().filter(orgs::containsKey).forEach(id -> found.put(id, new UserProfile(id, orgs.get(id))));
      return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletionStage<Map<String, Consent>> consents(String courseId, String consumerOrg, Collection<String> userIds) {
      return CompletableFuture.completedFuture(Map.of());
    }
  }

  /** The read side's listing of enrolment ids: what a test sets, with the selections asked for. */
  static final class Listing implements EnrollmentQueries {
    final List<EnrollmentSelection> asked = new CopyOnWriteArrayList<>();
    volatile Function<EnrollmentSelection, Source<EnrollmentId, NotUsed>> ids = s -> Source.empty();

    @Override
    public CompletionStage<List<EnrollmentRecord>> enrollmentsOf(String userId) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<List<String>> participants(String batchId, boolean active) {
      return CompletableFuture.completedFuture(new ArrayList<>());
    }

    @Override
    public Source<EnrollmentId, NotUsed> enrollmentIds(EnrollmentSelection selection) {
      asked.add(selection);
      return ids.apply(selection);
    }
  }

  /** No course is known: batches are created at the entity, and no test records progress. */
  private static final class NoCourses implements CourseCatalog {
    @Override
    public CompletionStage<Optional<Course>> findCourse(String courseId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String templateId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  }
}
