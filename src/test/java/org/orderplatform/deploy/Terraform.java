package org.orderplatform.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.HCLParserException;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.PrimitiveType;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.VariableTree;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The repository's Terraform (infra/**) as the deploy tests read it, with hcl4j: providers cannot be
 * downloaded where the build runs, so {@code terraform validate} and {@code plan} are not available.
 *
 * <p>What hcl4j 0.9.4 returns, and what this class makes of it (checked on real files):
 * <ul>
 *   <li>a block is a map; the same block twice ({@code statement}, {@code tag_specifications}) becomes a
 *       list of maps: {@link #blocks} reads both alike;</li>
 *   <li>numbers are Doubles; {@code local.x} is resolved (across files: a module is parsed as one text);</li>
 *   <li>{@code var.x} would be resolved to the variable's default, or to null when it has none, which hides
 *       which variable an attribute names: every declared variable is set to the text {@code ${var.x}}
 *       instead, so {@code "${var.name}-api"} reads as written and defaults are read from the
 *       {@code variable} blocks themselves;</li>
 *   <li>a reference to a resource or data source ({@code aws_sqs_queue.orders.arn}) stays unresolved:
 *       it becomes a {@link Ref};</li>
 *   <li>{@code jsonencode(x)} returns {@code x} itself (a map or list, not JSON text) so that container
 *       definitions, dashboards and policies can be navigated; {@code merge}, {@code concat} and
 *       {@code tostring}, which hcl4j lacks, are added; any other call it cannot evaluate, and any call
 *       with an unresolved reference as an argument, is null.</li>
 * </ul>
 */
final class Terraform {
    /** The repository's Terraform, relative to the project root where Maven runs the tests. */
    static final Path INFRA = Path.of("infra");

    private Terraform() {
    }

    /** An unresolved reference such as {@code aws_sqs_queue.orders.arn}. */
    record Ref(String expression) {
        /** {@code aws_iam_role.api.arn} -> {@code aws_iam_role.api}; {@code data.a.b.json} -> {@code data.a.b}. */
        String address() {
            String[] parts = expression.split("\\.");
            int length = parts[0].equals("data") ? 3 : 2;
            return parts.length < length ? expression : String.join(".", List.of(parts).subList(0, length));
        }

        /** The attribute after the address ({@code arn}, {@code name}, {@code json}), or "" for none. */
        String attribute() {
            String address = address();
            return expression.length() > address.length() ? expression.substring(address.length() + 1) : "";
        }

        @Override
        public String toString() {
            return expression;
        }
    }

    /** Something hcl4j keeps as an expression (a for expression, a splat): present, but not evaluated. */
    record Unevaluated(String symbol) {
    }

    /** Every .tf file under infra/, sorted; fails when there is none. */
    static List<Path> files() {
        if (!Files.isDirectory(INFRA)) {
            throw new AssertionError("no " + INFRA.toAbsolutePath() + ": the Terraform trees of issue 10 are missing");
        }
        try (Stream<Path> walk = Files.walk(INFRA)) {
            List<Path> files = walk.filter(p -> p.toString().endsWith(".tf"))
                    .filter(p -> !p.toString().contains("/.terraform/"))
                    .sorted().toList();
            if (files.isEmpty()) {
                throw new AssertionError("no .tf file under " + INFRA);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one file on its own (no variable values); an exception names the file. */
    static Map<String, Object> parseFile(Path file) {
        try {
            return parse(Files.readString(file), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new AssertionError(file + " does not parse as HCL: " + e.getMessage(), e);
        }
    }

    /** Parsed modules by directory: the files do not change while the tests run, and parsing takes a while. */
    private static final Map<String, Module> MODULES = new ConcurrentHashMap<>();

    /** The Terraform module (all .tf files of one directory) at {@code dir}, e.g. {@code infra/aws}. */
    static Module module(String dir) {
        return MODULES.computeIfAbsent(dir, d -> {
            Path path = Path.of(d);
            List<Path> files = files().stream().filter(f -> f.getParent().equals(path)).toList();
            if (files.isEmpty()) {
                throw new AssertionError("no .tf file in " + path + ": that Terraform tree is missing");
            }
            return new Module(path, files);
        });
    }

    /** Every directory with .tf files under infra/. */
    static List<String> moduleDirectories() {
        return files().stream().map(f -> f.getParent().toString()).distinct().sorted().toList();
    }

    /** One directory's .tf files parsed as one text, so that locals and variables resolve across files. */
    static final class Module {
        private final Path dir;
        private final List<Path> files;
        private final Map<String, Object> tree;
        private final String text;

        private Module(Path dir, List<Path> files) {
            this.dir = dir;
            this.files = files;
            StringBuilder all = new StringBuilder();
            Set<String> variableNames = new LinkedHashSet<>();
            for (Path file : files) {
                variableNames.addAll(map(parseFile(file).get("variable")).keySet());
                try {
                    all.append(Files.readString(file)).append('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            this.text = all.toString();
            Map<String, Object> placeholders = new LinkedHashMap<>();
            variableNames.forEach(name -> placeholders.put(name, "${var." + name + "}"));
            this.tree = parse(text, placeholders);
        }

        Path dir() {
            return dir;
        }

        List<Path> files() {
            return files;
        }

        /** The evaluated tree: blocks by type ("resource", "data", "variable", "locals", "provider"...). */
        Map<String, Object> tree() {
            return tree;
        }

        /** Resources of one type by name (empty when none). */
        Map<String, Map<String, Object>> resources(String type) {
            return namedBlocks(map(tree.get("resource")).get(type));
        }

        /** One resource; fails when the tree does not declare it. */
        Map<String, Object> resource(String type, String name) {
            Map<String, Object> resource = resources(type).get(name);
            if (resource == null) {
                throw new AssertionError(dir + " declares no " + type + "." + name);
            }
            return resource;
        }

        /** Data sources of one type by name. */
        Map<String, Map<String, Object>> data(String type) {
            return namedBlocks(map(tree.get("data")).get(type));
        }

        /** Every resource as "type.name" -> body. */
        Map<String, Map<String, Object>> allResources() {
            Map<String, Map<String, Object>> all = new TreeMap<>();
            map(tree.get("resource")).forEach((type, byName) ->
                    namedBlocks(byName).forEach((name, body) -> all.put(type + "." + name, body)));
            return all;
        }

        /** True when the address ({@code aws_sqs_queue.orders} or {@code data.x.y}) is declared here. */
        boolean declares(String address) {
            String[] parts = address.split("\\.");
            if (parts[0].equals("data") && parts.length == 3) {
                return data(parts[1]).containsKey(parts[2]);
            }
            return parts.length == 2 && resources(parts[0]).containsKey(parts[1]);
        }

        Map<String, Map<String, Object>> variables() {
            return namedBlocks(tree.get("variable"));
        }

        /** One variable's block; fails when it is not declared. */
        Map<String, Object> variable(String name) {
            Map<String, Object> variable = variables().get(name);
            if (variable == null) {
                throw new AssertionError(dir + " declares no variable \"" + name + "\"");
            }
            return variable;
        }

        /** All locals blocks merged. */
        Map<String, Object> locals() {
            Map<String, Object> all = new LinkedHashMap<>();
            blocks(tree.get("locals")).forEach(all::putAll);
            return all;
        }

        /** Blocks {@code provider "<name>"} (several with aliases). */
        List<Map<String, Object>> providers(String name) {
            return blocks(map(tree.get("provider")).get(name));
        }

        /**
         * Parses the module again with one variable set to {@code value} (the others as placeholders) and
         * returns that variable's block: its validation conditions are then evaluated for that value.
         */
        Map<String, Object> variableEvaluatedWith(String name, Object value) {
            Map<String, Object> values = new LinkedHashMap<>();
            variables().keySet().forEach(v -> values.put(v, "${var." + v + "}"));
            values.put(name, value);
            return namedBlocks(parse(text, values).get("variable")).get(name);
        }
    }

    /** Blocks of one kind as a list: hcl4j gives one block as a map and several as a list of maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> blocks(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map<?, ?> m) {
            return List.of((Map<String, Object>) m);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().filter(Map.class::isInstance).map(e -> (Map<String, Object>) e).toList();
        }
        throw new AssertionError("not a block: " + value);
    }

    /**
     * Labelled blocks ({@code resource "type" "name"}): name -> body. The same label in two files becomes
     * a list in hcl4j; Terraform would refuse it, and so does this.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> namedBlocks(Object value) {
        Map<String, Map<String, Object>> named = new LinkedHashMap<>();
        map(value).forEach((name, body) -> {
            if (!(body instanceof Map)) {
                throw new AssertionError("\"" + name + "\" is declared more than once (or is not a block): " + body);
            }
            named.put(name, (Map<String, Object>) body);
        });
        return named;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new AssertionError("not a map: " + value);
    }

    /** A list attribute; a single value counts as a list of one (IAM allows both). */
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        return List.of(value);
    }

    /** Every value anywhere under {@code value} (maps, lists, nested), depth first. */
    static Stream<Object> walk(Object value) {
        if (value instanceof Map<?, ?> m) {
            return Stream.concat(Stream.of(value), m.values().stream().flatMap(Terraform::walk));
        }
        if (value instanceof Collection<?> c) {
            return Stream.concat(Stream.of(value), c.stream().flatMap(Terraform::walk));
        }
        return Stream.of(value);
    }

    /** Every map anywhere under {@code value}. */
    @SuppressWarnings("unchecked")
    static Stream<Map<String, Object>> maps(Object value) {
        return walk(value).filter(Map.class::isInstance).map(m -> (Map<String, Object>) m);
    }

    /** A number attribute as Terraform would read it: a number or a numeric string. */
    static double number(Object value, String what) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s && s.matches("-?\\d+(\\.\\d+)?")) {
            return Double.parseDouble(s);
        }
        throw new AssertionError(what + " is not a literal number: " + value);
    }

    // --- containers -------------------------------------------------------------------------------

    /** The production tree, the lab tree and the lab's compose file (the CONTRACT.md of issue 10 names them). */
    static final String PROD = "infra/aws";
    static final String LAB = "infra/aws-lab";
    static final Path LAB_COMPOSE = Path.of(LAB, "compose.yaml");

    /**
     * One container as the service sees it: its environment (name -> value) and, for ECS, its secrets
     * (name -> valueFrom). {@code source} says where it is declared.
     */
    record Container(String source, String taskDefinition, Map<String, Object> environment,
                     Map<String, Object> secrets, Map<String, Object> definition) {
        /** ORDERS_ROLE, the role the one image plays in this container. */
        String role() {
            return String.valueOf(environment.get("ORDERS_ROLE"));
        }
    }

    /** Every container of every aws_ecs_task_definition of {@code module}, from its evaluated container_definitions. */
    static List<Container> ecsContainers(Module module) {
        List<Container> containers = new ArrayList<>();
        module.resources("aws_ecs_task_definition").forEach((name, task) -> {
            Object definitions = task.get("container_definitions");
            if (!(definitions instanceof List<?> list)) {
                throw new AssertionError("aws_ecs_task_definition." + name + ".container_definitions could not be read "
                        + "(keep it jsonencode([...]) over locals, see CONTRACT.md): " + definitions);
            }
            for (Map<String, Object> container : blocks(list)) {
                containers.add(new Container("aws_ecs_task_definition." + name + " container " + container.get("name"), name,
                        pairs(container.get("environment"), "value"), pairs(container.get("secrets"), "valueFrom"), container));
            }
        });
        return containers;
    }

    /** ECS's [{name, value}] lists as a map; a name given twice fails (ECS would take one of them). */
    private static Map<String, Object> pairs(Object list, String valueKey) {
        Map<String, Object> pairs = new LinkedHashMap<>();
        for (Map<String, Object> pair : blocks(list)) {
            String name = String.valueOf(pair.get("name"));
            if (pairs.containsKey(name)) {
                throw new AssertionError(name + " is given twice");
            }
            pairs.put(name, pair.get(valueKey));
        }
        return pairs;
    }

    /** The lab's compose file as YAML. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> labCompose() {
        if (!Files.isRegularFile(LAB_COMPOSE)) {
            throw new AssertionError("no " + LAB_COMPOSE + ": the lab's compose file is missing");
        }
        try (Reader reader = Files.newBufferedReader(LAB_COMPOSE)) {
            return (Map<String, Object>) new Yaml().load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The compose services that run the service's image (they set ORDERS_ROLE). */
    static List<Container> labContainers() {
        List<Container> containers = new ArrayList<>();
        namedBlocks(labCompose().get("services")).forEach((name, service) -> {
            Map<String, Object> environment = composeEnvironment(service.get("environment"));
            if (environment.containsKey("ORDERS_ROLE")) {
                containers.add(new Container(LAB_COMPOSE + " service " + name, name, environment, Map.of(), service));
            }
        });
        return containers;
    }

    /** Compose allows the environment as a map or as a list of NAME=value. */
    static Map<String, Object> composeEnvironment(Object environment) {
        if (environment instanceof List<?> list) {
            Map<String, Object> map = new LinkedHashMap<>();
            list.forEach(entry -> {
                String[] pair = String.valueOf(entry).split("=", 2);
                map.put(pair[0], pair.length > 1 ? pair[1] : null);
            });
            return map;
        }
        return new LinkedHashMap<>(map(environment));
    }

    /** The work queue and its redrive DLQ of a tree, as aws_sqs_queue resource names. */
    record Queues(String work, String dlq) {
        /** "work" or "dlq" for a reference to one of the two queues' attributes, null for anything else. */
        String which(Object reference) {
            if (reference instanceof Ref ref) {
                if (ref.address().equals("aws_sqs_queue." + work)) {
                    return "work";
                }
                if (ref.address().equals("aws_sqs_queue." + dlq)) {
                    return "dlq";
                }
            }
            return null;
        }
    }

    /** The one aws_sqs_queue whose redrive policy names another queue of the tree as its DLQ, and that DLQ. */
    static Queues queues(Module module) {
        List<Queues> found = new ArrayList<>();
        module.resources("aws_sqs_queue").forEach((name, queue) -> {
            Object target = map(queue.get("redrive_policy")).get("deadLetterTargetArn");
            if (target instanceof Ref ref && ref.address().startsWith("aws_sqs_queue.")) {
                found.add(new Queues(name, ref.address().substring("aws_sqs_queue.".length())));
            }
        });
        if (found.size() != 1) {
            throw new AssertionError(module.dir() + ": expected one aws_sqs_queue with a redrive_policy = jsonencode({"
                    + " deadLetterTargetArn = aws_sqs_queue.<dlq>.arn, ... }), found " + found);
        }
        return found.get(0);
    }

    // --- the application's side -------------------------------------------------------------------

    /** The keys of the real application.properties at the project root. */
    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /**
     * The property an environment variable sets, null when application.properties has no such key. The
     * service reads properties through Camel, which looks a key up in the environment as it is upper-cased,
     * with '.' and '-' as '_' (orders.sqs.queue-name: ORDERS_SQS_QUEUE_NAME), and with camelCase as dashes
     * first (camel.main.shutdownTimeout: CAMEL_MAIN_SHUTDOWN_TIMEOUT): IOHelper.lookupEnvironmentVariable.
     * A variable in any other spelling (ORDERS_DB_POOLSIZE) is never read.
     */
    static String propertyFor(String variable, Properties properties) {
        return properties.stringPropertyNames().stream()
                .filter(key -> key.toUpperCase(Locale.ROOT).equals(variable)
                        || environmentName(key).equals(variable)
                        || environmentName(key.replaceAll("([a-z0-9])([A-Z])", "$1-$2")).equals(variable))
                .findFirst().orElse(null);
    }

    private static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** Environment variable names that carry secrets and must never be plain values. */
    static boolean isSecretName(String variable) {
        String upper = variable.toUpperCase(Locale.ROOT);
        return Stream.of("PASSWORD", "TOKEN", "SECRET", "ACCESS_KEY").anyMatch(upper::contains);
    }

    // --- hcl4j ------------------------------------------------------------------------------------

    private static Map<String, Object> parse(String text, Map<String, Object> variables) {
        HCLParser parser = new HCLParser();
        parser.setVariables(variables);
        // structures, not JSON text: the tests navigate container definitions, dashboards and policies
        parser.registerFunction("jsonencode", args -> args.isEmpty() ? null : args.get(0));
        parser.registerFunction("tostring", args -> args.isEmpty() || args.get(0) == null ? null : format(args.get(0)));
        parser.registerFunction("merge", Terraform::merge);
        parser.registerFunction("concat", args -> args.stream().flatMap(a -> list(a).stream()).collect(Collectors.toList()));
        Map<String, Object> parsed;
        try {
            parsed = parser.parse(text, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (HCLParserException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return map(normalise(parsed));
    }

    private static Object merge(List<Object> args) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Object arg : args) {
            if (arg instanceof String s && s.startsWith("${var.")) {
                continue;  // a map variable (var.tags): its keys are the user's, the literal maps are the tree's
            }
            if (!(arg instanceof Map<?, ?> m)) {
                return null;  // a map hcl4j could not resolve: the result is unknown
            }
            m.forEach((k, v) -> merged.put(String.valueOf(k), v));
        }
        return merged;
    }

    /** Terraform's number formatting: 30, not 30.0. */
    private static String format(Object value) {
        if (value instanceof Double d && d == Math.rint(d)) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(value);
    }

    /** hcl4j's symbols to plain values: references to {@link Ref}, types to their names. */
    private static Object normalise(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), normalise(v)));
            return copy;
        }
        if (value instanceof Collection<?> c) {
            List<Object> copy = new ArrayList<>();
            c.forEach(v -> copy.add(normalise(v)));
            return copy;
        }
        if (value instanceof VariableTree tree) {
            return new Ref(tree.getName());
        }
        if (value instanceof PrimitiveType type) {
            return type.getName();
        }
        if (value instanceof Symbol symbol) {
            return new Unevaluated(symbol.getSymbolName() + " " + symbol.getName());
        }
        return value;
    }
}
