package org.coursebatch.persistence.testing;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.coursebatch.persistence.db.DatabaseSettings.Vendor;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs the annotated test class twice, as a whole: once on H2, then once on PostgreSQL. JUnit names
 * each run after its database; Surefire's reports number them instead, {@code [1]} H2 and
 * {@code [2]} PostgreSQL.
 *
 * <pre>{@code
 * @OnBothDatabases
 * class JdbcThingsTest {
 *   @Nested
 *   @TestInstance(TestInstance.Lifecycle.PER_CLASS)
 *   class Contract {
 *     @BeforeAll
 *     void open(TestDatabase database, ActorTestKit testKit) { ... database.fresh() ... }
 *     @Test
 *     void ...
 *   }
 * }
 * }</pre>
 *
 * A database set up for all the tests goes in a {@code @Nested} class as above: its
 * {@code @BeforeAll} and {@code @AfterAll} run once per run, where those of the annotated class run
 * once before and after both runs. {@code @BeforeEach} methods and tests may ask for the same:
 * <ul>
 *   <li>a {@link TestDatabase}: {@code database.fresh()} gives a new, empty database of the run,
 *       dropped when the run is over;</li>
 *   <li>an {@link ActorTestKit} ({@code ConfigFactory.load()}), one for the whole run, shut down
 *       after it.</li>
 * </ul>
 * PostgreSQL is the server {@link TestDatabases} finds: it is never skipped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ClassTemplate
@ExtendWith(OnBothDatabases.Runs.class)
public @interface OnBothDatabases {

  /** One run per database. */
  final class Runs implements ClassTemplateInvocationContextProvider {

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
      return true;
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
      return Stream.of(Vendor.H2, Vendor.POSTGRES).map(vendor -> new Run(new TestDatabase(vendor), testKitName(context, vendor)));
    }

    private static String testKitName(ExtensionContext context, Vendor vendor) {
      Class<?> outermost = context.getRequiredTestClass();
      while (outermost.getEnclosingClass() != null) {
        outermost = outermost.getEnclosingClass();
      }
      return outermost.getSimpleName() + "-" + vendor.name().toLowerCase(Locale.ROOT);
    }
  }

  /** One run: its database, and the actor system made for it once a test asks. */
  final class Run implements ClassTemplateInvocationContext, ParameterResolver, AutoCloseable {

    private final TestDatabase database;
    private final String testKitName;
    private ActorTestKit testKit;

    Run(TestDatabase database, String testKitName) {
      this.database = database;
      this.testKitName = testKitName;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
      return database.toString();
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(this);
    }

    @Override
    public void prepareInvocation(ExtensionContext context) {
      // The run's context closes this after the class's own @AfterAll methods have closed what they opened.
      context.getStore(ExtensionContext.Namespace.create(Run.class)).put(Run.class, this);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      Class<?> type = parameter.getParameter().getType();
      return type == TestDatabase.class || type == ActorTestKit.class;
    }

    @Override
    public synchronized Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      if (parameter.getParameter().getType() == TestDatabase.class) {
        return database;
      }
      if (testKit == null) {
        testKit = ActorTestKit.create(testKitName, ConfigFactory.load());
      }
      return testKit;
    }

    @Override
    public synchronized void close() {
      if (testKit != null) {
        testKit.shutdownTestKit();
        testKit = null;
      }
      database.close();
    }
  }
}
