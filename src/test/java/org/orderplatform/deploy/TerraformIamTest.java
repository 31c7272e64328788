package org.orderplatform.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderplatform.deploy.Terraform.Container;
import org.orderplatform.deploy.Terraform.Module;
import org.orderplatform.deploy.Terraform.Queues;
import org.orderplatform.deploy.Terraform.Ref;
import org.orderplatform.infra.EmbeddedSqs;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * IAM in both Terraform trees against what the service really does. No allowed action with a wildcard;
 * a "*" resource only for the actions AWS offers on "*" alone; and each role that runs the service (the
 * api and worker task roles, the lab's instance role) allows exactly the SQS calls that role makes, on
 * the two queues of its tree: not one action more, not one less.
 *
 * <p>"The calls that role makes" are recorded, not listed: the api and the worker are booted on the sqs
 * transport against an ElasticMQ behind a {@link SqsRecorder} (one per role), with queues created
 * beforehand as Terraform creates them on AWS, and orders are driven through intake, relay, processing,
 * a retry, a dead-letter, an operator's reprocess and a success. A new SQS call in the code then fails
 * here until the policies allow it.
 */
class TerraformIamTest {
    /**
     * Actions AWS defines on no resource type, so "*" is their only possible resource (AWS Service
     * Authorization Reference). CONTRACT.md names the first two; the deploy role of infra/aws/bootstrap
     * needs the two ECS task definition actions to register a new revision.
     */
    private static final Set<String> ONLY_ON_ANY_RESOURCE = Set.of("cloudwatch:PutMetricData", "ecr:GetAuthorizationToken",
            "ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition");
    private static final String QUEUE = "iam-check";

    /** Recorded (IAM action, "work" | "dlq") per role. */
    private static Set<String> apiCalls;
    private static Set<String> workerCalls;
    private static List<SqsRecorder.Call> apiRecording;
    private static List<SqsRecorder.Call> workerRecording;

    /** One statement of a policy, from a policy document or a jsonencode'd policy. */
    private record Statement(String where, String effect, List<Object> actions, List<Object> resources,
                             Set<String> conditionKeys) {
    }

    @BeforeAll
    static void record_the_sqs_calls_of_each_role() {
        EmbeddedSqs sqs = new EmbeddedSqs("127.0.0.1", Platform.freePort());
        String elasticMq = sqs.startAndGetEndpoint();
        try (SqsRecorder api = SqsRecorder.start(elasticMq); SqsRecorder worker = SqsRecorder.start(elasticMq)) {
            createQueues(elasticMq);
            Db db = new Db(TestDatabase.newDatabase("terraform_iam"));
            try (Platform apiProcess = Platform.start(role("api", db, api))) {
                Http http = new Http(apiProcess.baseUrl());
                // every attempt fails: a retry (the message stays invisible), then the dead-letter (deleted)
                Map<String, String> failing = role("worker", db, worker);
                failing.put("orders.processing.failure-probability", "1.0");
                try (Platform ignored = Platform.start(failing)) {
                    String id = http.createOrder();
                    awaitStatus(db, id, "FAILED");
                    // the operator sends it back: the relay sends again, the worker fails it again
                    assertThat(http.post("/dlq/" + id + "/reprocess", "application/json", "").status()).isEqualTo(202);
                    await().atMost(Duration.ofSeconds(60)).until(() -> db.count(
                            "SELECT count(*) FROM order_transitions WHERE order_id = ?::uuid AND to_status = 'FAILED'",
                            UUID.fromString(id)) == 2);
                }
                try (Platform ignored = Platform.start(role("worker", db, worker))) {
                    awaitStatus(db, http.createOrder(), "PROCESSED");
                }
            }
            apiRecording = api.calls();
            workerRecording = worker.calls();
        } finally {
            sqs.stop();
        }
        apiCalls = iamPairs(apiRecording);
        workerCalls = iamPairs(workerRecording);
        // for the build log: what each role was seen to call
        System.out.println("SQS calls of the api role: " + apiCalls + "\nSQS calls of the worker role: " + workerCalls);
    }

    private static Map<String, String> role(String role, Db db, SqsRecorder recorder) {
        Map<String, String> p = Platform.defaults(db.url());
        p.put("orders.role", role);
        p.put("orders.transport", "sqs");
        p.put("orders.sqs.endpoint", recorder.endpoint());
        p.put("orders.sqs.queue-name", QUEUE);
        // as on AWS: Terraform creates the queues, the service only looks them up
        p.put("orders.sqs.create-queues", "false");
        p.put("orders.sqs.wait-time-seconds", "1");
        p.put("orders.sqs.relay-interval-ms", "20");
        p.put("orders.retry.max-attempts", "2");
        return p;
    }

    /** The two queues, made directly on ElasticMQ (not through a recorder), as Terraform makes them. */
    private static void createQueues(String endpoint) {
        try (SqsClient client = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            String dlqUrl = client.createQueue(b -> b.queueName(QUEUE + "-dlq")).queueUrl();
            String dlqArn = client.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            client.createQueue(b -> b.queueName(QUEUE).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "30",
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"10\"}")));
        }
    }

    private static void awaitStatus(Db db, String id, String status) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                db.count("SELECT count(*) FROM orders WHERE id = ?::uuid AND status = ?", UUID.fromString(id), status) == 1);
    }

    /**
     * API actions to the IAM actions that authorise them, with the queue: AWS authorises each batch call by
     * its single action (SendMessageBatch by sqs:SendMessage).
     */
    private static Set<String> iamPairs(List<SqsRecorder.Call> calls) {
        Set<String> pairs = new TreeSet<>();
        for (SqsRecorder.Call call : calls) {
            // a call that names no queue (ListQueues) can only be allowed on "*"
            String queue = call.queue() == null ? "*" : QUEUE.equals(call.queue()) ? "work"
                    : (QUEUE + "-dlq").equals(call.queue()) ? "dlq" : "queue " + call.queue();
            pairs.add("sqs:" + call.action().replaceAll("Batch$", "") + " on " + queue);
        }
        return pairs;
    }

    // --- the policies ----------------------------------------------------------------------------

    /** Every statement of every policy document and jsonencode'd policy of a module. */
    private static List<Statement> allStatements(Module module) {
        List<Statement> statements = new ArrayList<>();
        module.data("aws_iam_policy_document").forEach((name, doc) -> statements.addAll(documentStatements(module, name)));
        module.allResources().forEach((address, body) -> Terraform.maps(body)
                .filter(m -> m.containsKey("Statement"))
                .forEach(policy -> statements.addAll(jsonStatements(module.dir() + " " + address, policy))));
        return statements;
    }

    private static List<Statement> documentStatements(Module module, String name) {
        Map<String, Object> doc = module.data("aws_iam_policy_document").get(name);
        if (doc == null) {
            throw new AssertionError(module.dir() + " declares no data.aws_iam_policy_document." + name);
        }
        List<Statement> statements = new ArrayList<>();
        for (Map<String, Object> s : Terraform.blocks(doc.get("statement"))) {
            Set<String> conditions = new TreeSet<>();
            Terraform.blocks(s.get("condition")).forEach(c -> conditions.add(String.valueOf(c.get("variable"))));
            statements.add(new Statement(module.dir() + " data.aws_iam_policy_document." + name + " " + s.getOrDefault("sid", ""),
                    String.valueOf(s.getOrDefault("effect", "Allow")), Terraform.list(s.get("actions")),
                    Terraform.list(s.get("resources")), conditions));
        }
        return statements;
    }

    private static List<Statement> jsonStatements(String where, Map<String, Object> policy) {
        List<Statement> statements = new ArrayList<>();
        for (Map<String, Object> s : Terraform.blocks(policy.get("Statement"))) {
            Set<String> conditions = new TreeSet<>();
            Terraform.map(s.get("Condition")).values().forEach(test -> conditions.addAll(Terraform.map(test).keySet()));
            statements.add(new Statement(where + " " + s.getOrDefault("Sid", ""), String.valueOf(s.getOrDefault("Effect", "Allow")),
                    Terraform.list(s.get("Action")), Terraform.list(s.get("Resource")), conditions));
        }
        return statements;
    }

    /** The statements of every policy attached to {@code aws_iam_role.<role>} (inline, attached, inline_policy). */
    private static List<Statement> roleStatements(Module module, String role) {
        String address = "aws_iam_role." + role;
        List<Object> policies = new ArrayList<>();
        module.resources("aws_iam_role_policy").forEach((name, p) -> {
            if (refersTo(p.get("role"), address)) {
                policies.add(p.get("policy"));
            }
        });
        module.resources("aws_iam_role_policy_attachment").forEach((name, a) -> {
            if (refersTo(a.get("role"), address) && a.get("policy_arn") instanceof Ref ref && ref.address().startsWith("aws_iam_policy.")) {
                policies.add(module.resource("aws_iam_policy", ref.address().substring("aws_iam_policy.".length())).get("policy"));
            }
        });
        Terraform.blocks(module.resource("aws_iam_role", role).get("inline_policy")).forEach(p -> policies.add(p.get("policy")));
        List<Statement> statements = new ArrayList<>();
        for (Object policy : policies) {
            if (policy instanceof Ref ref && ref.address().startsWith("data.aws_iam_policy_document.")) {
                statements.addAll(documentStatements(module, ref.address().substring("data.aws_iam_policy_document.".length())));
            } else if (policy instanceof Map<?, ?> json) {
                statements.addAll(jsonStatements(module.dir() + " " + address, Terraform.map(json)));
            } else {
                throw new AssertionError(module.dir() + ": a policy of " + address + " cannot be read: " + policy);
            }
        }
        return statements;
    }

    private static boolean refersTo(Object value, String address) {
        return value instanceof Ref ref && ref.address().equals(address);
    }

    /** The (sqs action, queue) pairs a role's policies allow; a resource other than the two queues is named as is. */
    private static Set<String> allowedSqs(Module module, String role) {
        Queues queues = Terraform.queues(module);
        Set<String> pairs = new TreeSet<>();
        for (Statement s : roleStatements(module, role)) {
            if (!s.effect().equals("Allow")) {
                continue;
            }
            for (Object action : s.actions()) {
                if (!String.valueOf(action).toLowerCase(Locale.ROOT).startsWith("sqs:")) {
                    continue;
                }
                for (Object resource : s.resources()) {
                    String which = queues.which(resource);
                    pairs.add(action + " on " + (which != null ? which : "*".equals(resource) ? "*" : "resource " + resource));
                }
            }
        }
        return pairs;
    }

    private static String roleOf(Object roleArn, String what) {
        assertThat(roleArn).as(what).isInstanceOf(Ref.class);
        Ref ref = (Ref) roleArn;
        assertThat(ref.address()).as(what).startsWith("aws_iam_role.");
        return ref.address().substring("aws_iam_role.".length());
    }

    // --- the tests --------------------------------------------------------------------------------

    @Test
    void the_recording_saw_the_whole_path() {
        assertThat(apiCalls).as("api calls recorded: %s", apiRecording).contains("sqs:SendMessage on work");
        assertThat(workerCalls).as("worker calls recorded: %s", workerRecording)
                .contains("sqs:ReceiveMessage on work", "sqs:DeleteMessage on work", "sqs:ChangeMessageVisibility on work");
    }

    @Test
    void each_ecs_task_role_allows_exactly_the_sqs_calls_its_role_makes() {
        Module prod = Terraform.module(Terraform.PROD);
        Map<String, Set<String>> expected = Map.of("api", apiCalls, "worker", workerCalls);
        List<Container> containers = Terraform.ecsContainers(prod);
        assertThat(containers).extracting(Container::role).contains("api", "worker");
        for (Container container : containers) {
            Map<String, Object> task = prod.resource("aws_ecs_task_definition", container.taskDefinition());
            String role = roleOf(task.get("task_role_arn"), "aws_ecs_task_definition." + container.taskDefinition() + ".task_role_arn");
            assertThat(allowedSqs(prod, role))
                    .as("%s: aws_iam_role.%s must allow exactly the SQS calls the %s role makes (recorded: %s)",
                            Terraform.PROD, role, container.role(), expected.get(container.role()))
                    .containsExactlyInAnyOrderElementsOf(expected.get(container.role()));
            Object executionRole = task.get("execution_role_arn");
            if (executionRole != null) {
                assertThat(allowedSqs(prod, roleOf(executionRole, "execution_role_arn")))
                        .as("the execution role (ECS agent) needs no SQS").isEmpty();
            }
        }
    }

    @Test
    void the_lab_instance_role_allows_exactly_the_sqs_calls_of_both_roles() {
        Module lab = Terraform.module(Terraform.LAB);
        List<Object> profiles = new ArrayList<>();
        lab.resources("aws_instance").values().forEach(i -> profiles.add(i.get("iam_instance_profile")));
        lab.resources("aws_launch_template").values().forEach(t -> profiles.add(Terraform.map(t.get("iam_instance_profile")).get("name")));
        assertThat(profiles).as("%s: the instance's iam_instance_profile", Terraform.LAB).isNotEmpty();
        Set<String> union = new TreeSet<>(apiCalls);
        union.addAll(workerCalls);
        for (Object profile : profiles) {
            assertThat(profile).as("iam_instance_profile").isInstanceOf(Ref.class);
            String name = ((Ref) profile).address().substring("aws_iam_instance_profile.".length());
            String role = roleOf(lab.resource("aws_iam_instance_profile", name).get("role"), "aws_iam_instance_profile." + name + ".role");
            assertThat(allowedSqs(lab, role))
                    .as("%s: aws_iam_role.%s runs both containers: exactly the union of their SQS calls", Terraform.LAB, role)
                    .containsExactlyInAnyOrderElementsOf(union);
        }
    }

    @Test
    void no_action_has_a_wildcard_and_a_star_resource_only_where_aws_offers_nothing_else() {
        for (String dir : Terraform.moduleDirectories()) {
            for (Statement s : allStatements(Terraform.module(dir))) {
                // a Deny only narrows (the state bucket's "deny s3:* without TLS" is the usual form)
                if (!s.effect().equals("Allow")) {
                    continue;
                }
                for (Object action : s.actions()) {
                    assertThat(String.valueOf(action)).as("%s: an action with a wildcard", s.where()).doesNotContain("*");
                }
                if (!s.resources().contains("*")) {
                    continue;
                }
                for (Object action : s.actions()) {
                    assertThat(String.valueOf(action)).as("%s: \"*\" resource for %s", s.where(), action).isIn(ONLY_ON_ANY_RESOURCE);
                    if (action.equals("cloudwatch:PutMetricData")) {
                        assertThat(s.conditionKeys()).as("%s: PutMetricData on \"*\" is bounded to the service's namespace", s.where())
                                .contains("cloudwatch:namespace");
                    }
                }
            }
        }
    }
}
