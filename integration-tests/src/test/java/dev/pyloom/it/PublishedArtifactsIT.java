package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Java project gets when it depends on pyloom: the published modules as this build leaves
 * them to be installed (each jar, its sources and Javadoc jars, and its flattened POM, and
 * {@code pyloom-bom}) are put in a repository of their own, without the build's parent. Projects
 * that depend on one module each, and one that imports the BOM and names modules without a
 * version, are compiled against them, run, and their resolved dependencies listed: each gets
 * its module, {@code pyloom-common} (the modules' internal helpers) and that module's runtime
 * dependencies, and nothing of the build (JUnit, Mockito, JMH, the test support).
 */
class PublishedArtifactsIT {

    private static final Path ROOT = Path.of(System.getProperty("pyloom.root", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("pyloom.version", "0.1.0-SNAPSHOT");
    private static final Duration BUILD = Duration.ofMinutes(4);

    /** Each published module, and a program that uses it, printing one line. */
    private static final Map<String, String> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("threading", """
                import dev.pyloom.threading.Lock;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        Lock lock = new Lock();
                        try (var held = lock.hold()) {
                            System.out.println("threading: locked=" + lock.locked());
                        }
                    }
                }
                """);
        PROGRAMS.put("ipc", """
                import dev.pyloom.ipc.Pipe;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        Pipe pipe = Pipe.open();
                        pipe.conn1().send("hello");
                        System.out.println("ipc: " + pipe.conn2().recv(String.class));
                        pipe.conn1().close();
                        pipe.conn2().close();
                    }
                }
                """);
        PROGRAMS.put("multiprocessing", """
                import dev.pyloom.multiprocessing.Pool;
                import java.util.List;

                public class Main {
                    static int square(int x) {
                        return x * x;
                    }

                    public static void main(String[] args) throws Exception {
                        try (Pool pool = new Pool(1)) {
                            System.out.println("multiprocessing: " + pool.map(Main::square, List.of(1, 2, 3)));
                        }
                    }
                }
                """);
        PROGRAMS.put("asyncio", """
                import dev.pyloom.asyncio.Asyncio;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        System.out.println("asyncio: " + Asyncio.run(() -> 6 * 7));
                    }
                }
                """);
        PROGRAMS.put("cluster", """
                import dev.pyloom.cluster.ClusterPool;
                import dev.pyloom.cluster.Node;
                import dev.pyloom.multiprocessing.Pool;
                import java.net.ServerSocket;
                import java.nio.charset.StandardCharsets;
                import java.util.List;

                public class Main {
                    static int square(int x) {
                        return x * x;
                    }

                    public static void main(String[] args) throws Exception {
                        byte[] key = "a consumer's own cluster key".getBytes(StandardCharsets.UTF_8);
                        int port;
                        try (ServerSocket free = new ServerSocket(0)) {
                            port = free.getLocalPort();
                        }
                        try (Node node = Node.builder().cluster("consumer").port(port).workers(1).authKey(key).build();
                                Pool pool = ClusterPool.builder().cluster("consumer").members("127.0.0.1:" + port)
                                        .authKey(key).build()) {
                            System.out.println("cluster: " + pool.map(Main::square, List.of(1, 2, 3)));
                        }
                    }
                }
                """);
    }

    /** Every published module: those a program uses, and pyloom-common, which each of them brings along. */
    private static final List<String> PUBLISHED = List.of("threading", "ipc", "multiprocessing", "asyncio", "cluster",
            "common");

    /** What a consumer's build may resolve, besides pyloom's own modules. */
    private static final Set<String> RUNTIME_DEPENDENCIES = Set.of(
            "tools.jackson.core:jackson-databind", "tools.jackson.core:jackson-core",
            "com.fasterxml.jackson.core:jackson-annotations", "com.hazelcast:hazelcast");

    @TempDir
    static Path work;

    private static Path repository;

    @BeforeAll
    static void installIntoARepositoryOfItsOwn() throws IOException {
        repository = work.resolve("repository");
        for (String module : PUBLISHED) {
            Path target = ROOT.resolve(module).resolve("target");
            String base = "pyloom-" + module + "-" + VERSION;
            Path dir = artifactDirectory("pyloom-" + module);
            for (String file : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
                Files.copy(target.resolve(base + file), dir.resolve(base + file), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(ROOT.resolve(module).resolve(".flattened-pom.xml"), dir.resolve(base + ".pom"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(ROOT.resolve("bom/.flattened-pom.xml"),
                artifactDirectory("pyloom-bom").resolve("pyloom-bom-" + VERSION + ".pom"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void eachModulesPomCarriesItsMetadataAndRuntimeDependenciesOnly() throws IOException {
        for (String module : PUBLISHED) {
            String pom = Files.readString(artifactDirectory("pyloom-" + module).resolve("pyloom-" + module + "-" + VERSION + ".pom"));
            assertPublishable(pom, module);
            for (String buildOnly : List.of("<parent>", "<dependencyManagement>", "<build>", "<properties>", "<profiles>",
                    "<scope>test</scope>", "junit", "mockito", "jmh", "awaitility", "pyloom-test-support")) {
                assertFalse(pom.contains(buildOnly), module + "'s POM has " + buildOnly + ":\n" + pom);
            }
        }
    }

    @Test
    void theBomManagesThePublishedModulesAndNothingElse() throws IOException {
        String bom = Files.readString(artifactDirectory("pyloom-bom").resolve("pyloom-bom-" + VERSION + ".pom"));
        assertPublishable(bom, "bom");
        for (String module : PUBLISHED) {
            assertTrue(bom.contains("<artifactId>pyloom-" + module + "</artifactId>"), bom);
        }
        assertEquals(PUBLISHED.size(), bom.split("<dependency>", -1).length - 1, bom);
        for (String buildOnly : List.of("<parent>", "<build>", "junit", "mockito", "jmh", "pyloom-test-support")) {
            assertFalse(bom.contains(buildOnly), "the BOM has " + buildOnly + ":\n" + bom);
        }
    }

    @Test
    void eachModuleShipsItsSourcesAndJavadoc() throws IOException {
        for (String module : PUBLISHED) {
            Path dir = artifactDirectory("pyloom-" + module);
            String base = "pyloom-" + module + "-" + VERSION;
            String pkg = "dev/pyloom/" + module + "/";
            try (ZipFile sources = new ZipFile(dir.resolve(base + "-sources.jar").toFile());
                    ZipFile javadoc = new ZipFile(dir.resolve(base + "-javadoc.jar").toFile())) {
                assertTrue(sources.getEntry("module-info.java") != null, base + "-sources.jar has module-info.java");
                assertTrue(sources.getEntry(pkg + "package-info.java") != null, base + "-sources.jar has " + pkg);
                assertTrue(javadoc.getEntry("index.html") != null, base + "-javadoc.jar has index.html");
                assertTrue(javadoc.getEntry(pkg + "package-summary.html") != null, base + "-javadoc.jar documents " + pkg);
                assertTrue(javadoc.stream().noneMatch(entry -> entry.getName().contains("/internal/")),
                        base + "-javadoc.jar documents the exported API only");
            }
        }
    }

    @Test
    void aProjectThatDependsOnOneModuleCompilesRunsAndResolvesNothingOfTheBuild() throws Exception {
        Path projects = work.resolve("consumers");
        List<String> modules = new ArrayList<>();
        for (Map.Entry<String, String> entry : PROGRAMS.entrySet()) {
            String module = entry.getKey();
            writeConsumer(projects.resolve(module), "", dependency(module, true), entry.getValue());
            modules.add(module);
        }
        // the BOM: versions come from it; multiprocessing brings ipc along
        writeConsumer(projects.resolve("bom"), """
                  <dependencyManagement>
                    <dependencies>
                      <dependency>
                        <groupId>dev.pyloom</groupId>
                        <artifactId>pyloom-bom</artifactId>
                        <version>%s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                """.formatted(VERSION), dependency("multiprocessing", false) + dependency("asyncio", false),
                PROGRAMS.get("multiprocessing"));
        modules.add("bom");
        writeAggregator(projects, modules);

        String dependencyPlugin = "org.apache.maven.plugins:maven-dependency-plugin:" + pluginVersion("maven-dependency-plugin");
        ChildJvm.Result build = maven(projects, "compile", dependencyPlugin + ":list", dependencyPlugin + ":build-classpath",
                "-DoutputFile=dependencies.txt", "-Dmdep.outputFile=classpath.txt");
        assertEquals(0, build.exitCode(), build.stdout() + build.stderr());

        Map<String, Set<String>> expected = Map.of(
                "threading", Set.of("pyloom-threading", "pyloom-common"),
                "ipc", Set.of("pyloom-ipc", "pyloom-common"),
                "multiprocessing", Set.of("pyloom-multiprocessing", "pyloom-ipc", "pyloom-common"),
                "asyncio", Set.of("pyloom-asyncio", "pyloom-common"),
                "cluster", Set.of("pyloom-cluster", "pyloom-multiprocessing", "pyloom-ipc", "pyloom-common"),
                "bom", Set.of("pyloom-multiprocessing", "pyloom-ipc", "pyloom-asyncio", "pyloom-common"));
        for (String module : modules) {
            Path project = projects.resolve(module);
            Set<String> pyloom = new TreeSet<>();
            for (String line : Files.readAllLines(project.resolve("dependencies.txt"))) {
                String[] coordinates = line.strip().split(":");
                if (coordinates.length < 5) {
                    continue; // the file's heading
                }
                String name = coordinates[0] + ":" + coordinates[1];
                if (coordinates[0].equals("dev.pyloom")) {
                    pyloom.add(coordinates[1]);
                    assertTrue(coordinates[3].equals(VERSION), line);
                } else {
                    assertTrue(RUNTIME_DEPENDENCIES.contains(name), module + "'s consumer resolved " + line);
                }
                assertTrue(line.contains(":compile"), module + "'s consumer resolved " + line);
            }
            assertEquals(new TreeSet<>(expected.get(module)), pyloom, module + "'s consumer's pyloom modules");

            String classPath = project.resolve("target/classes") + File.pathSeparator
                    + Files.readString(project.resolve("classpath.txt")).strip();
            for (String jar : classPath.split(File.pathSeparator)) {
                assertFalse(jar.contains("/dev/pyloom/") && !jar.startsWith(repository.toString()),
                        "pyloom's modules come from the published ones: " + jar);
            }
            ChildJvm.Result run = run(project, List.of(ChildJvm.javaBinary(), "-cp", classPath, "Main"));
            assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
            String printed = run.stdout().strip();
            String wanted = switch (module) {
                case "threading" -> "threading: locked=true";
                case "ipc" -> "ipc: hello";
                case "asyncio" -> "asyncio: 42";
                case "cluster" -> "cluster: [1, 4, 9]";
                default -> "multiprocessing: [1, 4, 9]";
            };
            assertEquals(wanted, printed, run.stderr());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String pluginVersion(String artifactId) {
        for (String plugin : System.getProperty("pyloom.plugins").split(",")) {
            if (plugin.startsWith(artifactId + ":")) {
                return plugin.substring(artifactId.length() + 1);
            }
        }
        throw new IllegalStateException(artifactId + " is not in pyloom.plugins");
    }

    private static void assertPublishable(String pom, String module) {
        for (String required : List.of("<name>", "<description>", "<url>", "<licenses>", "Apache-2.0", "<developers>",
                "<scm", "<connection>", "<version>" + VERSION + "</version>")) {
            assertTrue(pom.contains(required), module + "'s POM lacks " + required + ":\n" + pom);
        }
        // ${project.version} is the BOM's own version wherever a build reads it
        assertFalse(pom.replace("${project.version}", VERSION).contains("${"),
                module + "'s POM has a property its reader cannot resolve:\n" + pom);
    }

    private static Path artifactDirectory(String artifactId) throws IOException {
        return Files.createDirectories(repository.resolve("dev/pyloom").resolve(artifactId).resolve(VERSION));
    }

    private static String dependency(String module, boolean withVersion) {
        return """
                    <dependency>
                      <groupId>dev.pyloom</groupId>
                      <artifactId>pyloom-%s</artifactId>
                %s    </dependency>
                """.formatted(module, withVersion ? "      <version>" + VERSION + "</version>\n" : "");
    }

    private static void writeConsumer(Path project, String dependencyManagement, String dependencies, String main)
            throws IOException {
        StringBuilder plugins = new StringBuilder();
        for (String plugin : System.getProperty("pyloom.plugins").split(",")) {
            String[] nameVersion = plugin.split(":");
            plugins.append("""
                          <plugin>
                            <groupId>org.apache.maven.plugins</groupId>
                            <artifactId>%s</artifactId>
                            <version>%s</version>
                          </plugin>
                    """.formatted(nameVersion[0], nameVersion[1]));
        }
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>consumer-%s</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>21</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                %s
                  <dependencies>
                %s  </dependencies>
                  <build>
                    <plugins>
                %s    </plugins>
                  </build>
                </project>
                """.formatted(project.getFileName(), dependencyManagement, dependencies, plugins));
        Files.writeString(project.resolve("src/main/java/Main.java"), main);
    }

    private static void writeAggregator(Path projects, List<String> modules) throws IOException {
        StringBuilder list = new StringBuilder();
        for (String module : modules) {
            list.append("    <module>").append(module).append("</module>\n");
        }
        Files.writeString(projects.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>consumers</artifactId>
                  <version>1.0</version>
                  <packaging>pom</packaging>
                  <modules>
                %s  </modules>
                </project>
                """.formatted(list));
    }

    /**
     * Maven, offline, with the published modules' repository in front of the build's own local
     * repository (a read-only tail, for Maven's plugins and Jackson).
     */
    private static ChildJvm.Result maven(Path project, String... goals) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "-o", "-q",
                "-f", project.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + repository,
                "-Dmaven.repo.local.tail=" + System.getProperty("pyloom.localRepository")));
        command.addAll(List.of(goals));
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("MAVEN_OPTS", null);
        env.put("MAVEN_ARGS", null);
        return run(project, command, env);
    }

    private static ChildJvm.Result run(Path directory, List<String> command) throws Exception {
        return run(directory, command, Map.of());
    }

    private static ChildJvm.Result run(Path directory, List<String> command, Map<String, String> env) throws Exception {
        try (ChildJvm child = ChildJvm.start(command, env, directory)) {
            return child.await(BUILD);
        }
    }
}
