# One image for both roles (ORDERS_ROLE=api|worker|all). Build: docker build -t order-platform .
# It runs target/order-platform-slim.jar: the application without the embedded servers (no embedded
# PostgreSQL binaries, no ElasticMQ/Pekko/Scala), so it needs ORDERS_DB_URL and ORDERS_EMBEDDED_ENABLED=false
# (and on sqs an ORDERS_SQS_ENDPOINT, or none for AWS). The one-command embedded run is order-platform.jar.
# Stage 1: build the jar with Maven (dependencies cached in their own layer).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml application.properties ./
RUN mvn -B -q dependency:go-offline -DskipTests
COPY src ./src
RUN mvn -B -q package -DskipTests

# Stage 2: the class data sharing (AppCDS) archive, made by one training run of the jar in the same JRE
# image and at the same path as stage 3 (an archive only serves the JVM build and jar it was made with),
# against a throw-away PostgreSQL that stays in this stage. It takes about a second of class loading off
# the start (docs/performance.md, "Start-up, warm-up and memory"). Should the archive not match (a jar
# copied with another modification time), the JVM warns once and starts without it.
FROM eclipse-temurin:17-jre AS cds
RUN apt-get update && apt-get install -y --no-install-recommends curl postgresql && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/order-platform-slim.jar /app/order-platform.jar
COPY deploy/jvm.options deploy/cds-training.sh /app/
RUN /app/cds-training.sh /app/order-platform.jar /app/order-platform.jsa /app/jvm.options

# Stage 3: a JRE, the jar and its archive, run as an unprivileged user.
FROM eclipse-temurin:17-jre
# curl for the health checks (this HEALTHCHECK, the ECS container health check in infra/aws): installed
# explicitly, since Adoptium has dropped it from newer JRE images
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN groupadd --system orders && useradd --system --gid orders --home-dir /app orders \
    && mkdir -p /app/data && chown -R orders:orders /app
WORKDIR /app
COPY --from=cds /app/order-platform.jar /app/order-platform.jsa /app/jvm.options /app/
USER orders
# 8080: the API, with /observe/health/live and /ready for load balancers; 9876: management (metrics, info, health
# with details), to publish only to a scraper's network, never to the public
EXPOSE 8080 9876
# no embedded servers in this jar: asking for one (the jar's default) stops the start with what to set
ENV ORDERS_EMBEDDED_ENABLED=false
# the JVM options of every launch are deploy/jvm.options; JAVA_OPTS adds to them (the heap: 75 % of the memory)
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
# readiness: DOWN (503) while the database, or SQS in sqs mode, is unreachable
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/observe/health/ready || exit 1
ENTRYPOINT ["sh", "-c", "exec java @/app/jvm.options -XX:SharedArchiveFile=/app/order-platform.jsa $JAVA_OPTS -jar /app/order-platform.jar"]
