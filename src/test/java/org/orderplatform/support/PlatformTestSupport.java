package org.orderplatform.support;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainSupport;
import org.apache.camel.test.junit5.util.CamelContextTestHelper;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.orderplatform.OrderPlatformApplication;
import org.orderplatform.worker.ProcessingFailedException;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel's test support for one application: each test method boots the real application (the main listeners of
 * {@link OrderPlatformApplication#create()}: the same route selection and configurations as {@code java -jar})
 * through {@code camel-test-main-junit5}, on a fresh database of its own, with {@link Platform#defaults} and the
 * test's {@link #properties} as override properties. Tests wait for routes with {@link NotifyBuilder}
 * ({@link #whenDone}) and inject failures with AdviceWith (override {@code isUseAdviceWith()}, advise, then
 * {@code context.start()}).
 * <p>
 * Why {@link CamelMainTestSupport} rather than {@code @CamelMainTest}: the overrides are known only at run time (the
 * test's database, free ports), and the configurations must be registered as instances (Camel 4.18 runs the
 * {@code @BindToRegistry} methods of a class registered by name twice), both of which the base class allows.
 * Tests where two applications or separate processes are the point keep {@link Platform} and the fault harness.
 * <p>
 * A class whose tests need no application of their own, and would each pay its boot, shares one the way Camel's test
 * support does: {@code @TestInstance(Lifecycle.PER_CLASS)} boots it (database and properties included) before the
 * first test and stops it after the last; {@link WithProperties} is refused there. camel-test-junit5 4.18 calls this
 * its legacy context manager and logs a deprecation warning per class: should a later Camel drop it, those classes
 * boot once per test instead (slower, not different).
 */
public abstract class PlatformTestSupport extends CamelMainTestSupport {
    // no initializer: CamelTestSupport's constructor asks for it before the fields of this class are initialised
    private Properties overrides;
    private Method testMethod;
    protected Db db;

    /** Runs before every {@code @BeforeEach}, so that {@link #setupResources} knows the method's {@link WithProperties}. */
    @RegisterExtension
    final BeforeEachCallback currentMethod = extension -> testMethod = extension.getRequiredTestMethod();

    /** The test's properties on top of {@link Platform#defaults} (orders.transport, orders.role, knobs). */
    protected void properties(Map<String, String> properties) {
    }

    /**
     * Beans bound in the registry before the application configures itself (test doubles such as a recording
     * CloudWatch client or an in-memory span exporter), as {@link Platform#start(Map, Map)} binds them.
     */
    protected void beans(Map<String, Object> beans) {
    }

    /** The name of the running test method, for {@link #properties} or {@link #beans} that differ per method. */
    protected String testMethodName() {
        return testMethod == null ? "" : testMethod.getName();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        if (overrides == null) {
            overrides = new Properties();
        }
        return overrides;
    }

    /** Before the context is created: the database of this test and the properties the application boots with. */
    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        TestInstance lifecycle = getClass().getAnnotation(TestInstance.class);
        if (lifecycle != null && lifecycle.value() == TestInstance.Lifecycle.PER_CLASS) {
            // one instance, one application (booted before the first test) for every test of the class
            if (testMethod != null && testMethod.isAnnotationPresent(WithProperties.class)) {
                throw new IllegalStateException(getClass().getSimpleName() + " shares one application between its tests"
                        + " (@TestInstance(PER_CLASS)): @WithProperties needs one per test; use properties(...)");
            }
            if (db != null) {
                return;
            }
        }
        db = new Db(TestDatabase.newDatabase(getClass().getSimpleName()));
        Map<String, String> p = Platform.defaults(db.url());
        properties(p);
        WithProperties method = testMethod == null ? null : testMethod.getAnnotation(WithProperties.class);
        if (method != null) {
            for (String entry : method.value()) {
                int eq = entry.indexOf('=');
                p.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        useOverridePropertiesWithPropertiesComponent().putAll(p);
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        OrderPlatformApplication.create().getMainListeners().forEach(configuration::addMainListener);
    }

    /**
     * As {@link CamelMainTestSupport#createCamelContext()}, with one difference: the main the listeners receive knows
     * its context ({@code BaseMainSupport#getCamelContext()}), as it does under {@code Main.run}; route selection
     * reads orders.role and orders.transport through it. The base class's own main leaves it null.
     */
    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = CamelContextTestHelper.createCamelContext(createCamelRegistry());
        Map<String, Object> beans = new LinkedHashMap<>();
        beans(beans);
        beans.forEach(context.getRegistry()::bind);
        ApplicationMain main = new ApplicationMain();
        configure(main.configure());
        main.setPropertyPlaceholderLocations(getPropertyPlaceholderLocations());
        main.setOverrideProperties(useOverridePropertiesWithPropertiesComponent());
        main.init(context);
        return context;
    }

    /** Camel Main's bootstrap of a given context, without running it: the test support starts and stops it. */
    private static final class ApplicationMain extends MainSupport {
        void init(CamelContext context) throws Exception {
            camelContext = context;
            postProcessCamelContext(context);
        }

        @Override
        protected ProducerTemplate findOrCreateCamelTemplate() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected CamelContext createCamelContext() {
            throw new UnsupportedOperationException();
        }
    }

    /** The value the application boots with for {@code key} (the test's override or its default). */
    protected String property(String key) {
        return useOverridePropertiesWithPropertiesComponent().getProperty(key);
    }

    /** A raw-socket client of the HTTP port, for what {@link Http} cannot send or see. */
    protected RawHttp rawHttp() {
        return new RawHttp(Integer.parseInt(property("camel.server.port")));
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + property("camel.server.port");
    }

    protected String managementUrl() {
        return "http://127.0.0.1:" + property("camel.management.port");
    }

    /** An HTTP client with the operator token. */
    protected Http http() {
        return new Http(baseUrl());
    }

    /**
     * Matches once {@code exchanges} exchanges sent to {@code endpointUri} from now on are done (completed or failed),
     * whichever route sent them: {@code direct:process-order} (an attempt ran), {@code direct:dead-lettered} (an
     * order is FAILED with its DLQ entry; the transport contract in routes/worker/worker.camel.yaml).
     */
    protected NotifyBuilder whenSentAndDone(String endpointUri, int exchanges) {
        return new NotifyBuilder(context).wereSentTo(endpointUri).whenDone(exchanges).create();
    }

    /** Waits (bounded) until {@code notify} matches, failing with what it waited for. */
    protected static void awaitRoute(NotifyBuilder notify, Duration bound) {
        assertThat(notify.matches(bound.toMillis(), TimeUnit.MILLISECONDS)).as("waited %s for %s", bound, notify).isTrue();
    }

    /**
     * AdviceWith, before the context starts ({@code isUseAdviceWith()}): every attempt of process-order fails with a
     * business failure, {@code injected failure (AdviceWith)}, while {@code failing} is set.
     */
    protected void failAttemptsWhile(AtomicBoolean failing) throws Exception {
        AdviceWith.adviceWith(context, "process-order", route -> route.weaveAddFirst().process(exchange -> {
            if (failing.get()) {
                throw new ProcessingFailedException("injected failure (AdviceWith)");
            }
        }));
    }

    /**
     * Fills the business DLQ the real way, in the test's own application: starts it with every attempt failing
     * ({@link #failAttemptsWhile}), takes {@code count} orders with correlation ids {@code <prefix>-1..n}, waits until
     * each is dead-lettered, then lets attempts succeed again (the cause is gone: a reprocess completes). For a test
     * with {@code isUseAdviceWith()}; with {@code orders.retry.max-attempts=1} each order fails on its first attempt.
     * Returns the ids in that order.
     */
    protected List<String> deadLetters(int count, String correlationPrefix) throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        failAttemptsWhile(failing);
        context.start();
        NotifyBuilder deadLettered = whenSentAndDone("direct:dead-lettered", count);
        Http http = http();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(http.createOrder("X-Correlation-Id", correlationPrefix + "-" + i));
        }
        awaitRoute(deadLettered, Duration.ofSeconds(60));
        failing.set(false);
        return ids;
    }
}
