package dev.pyloom.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small application that uses a Pool ({@code integration-tests/launch-app}), run every way a
 * Java program is launched: from plain jars with a lib/ folder, from directories, as a shaded
 * jar, as Spring Boot executable jars (Boot's current loader and its classic one), as a jar
 * whose manifest lists its libraries, through Maven's {@code exec:java} and Surefire in Maven's
 * own JVM ({@code forkCount=0}), and as a named module ({@code java -p ... -m}). Each must print
 * what the pool computed, with its workers running the application's own methods and lambdas.
 * The source-file launcher, whose classes exist only in memory, must fail at {@code new Pool}
 * saying what to do. Surefire's default fork and its module path are the two sample modules' own
 * tests, run by the build.
 *
 * <p>Every run gets a cache directory of its own ({@code XDG_CACHE_HOME}), so that the
 * class-data archives they record are theirs, and each test waits for the trainer JVMs it caused
 * to finish: no JVM outlives the build.
 */
class LaunchShapesIT {

    private static final Path ROOT = Path.of(System.getProperty("pyloom.root", "..")).toAbsolutePath().normalize();
    private static final Path APP = ROOT.resolve("integration-tests/launch-app/target");
    private static final Path MODULAR = ROOT.resolve("integration-tests/launch-app-modular/target");
    private static final String VERSION = System.getProperty("pyloom.version", "0.1.0-SNAPSHOT");
    private static final String MAIN = "dev.pyloom.it.app.App";
    private static final Duration BUILD = Duration.ofMinutes(4);

    private static final List<String> EXPECTED = List.of(
            "squares: [1, 4, 9, 16]",
            "offsets: [101, 102, 103]",
            "orders: Order[item=tea, quantity=6]",
            "callback: [81]",
            "worker: PoolWorker-N");

    @TempDir
    Path cache;

    private Map<String, String> environment;

    @BeforeEach
    void privateCache() {
        environment = Map.of("XDG_CACHE_HOME", cache.toString());
    }

    @AfterEach
    void trainersAreGone() {
        await().atMost(Duration.ofSeconds(150)).until(() -> trainers().isEmpty());
    }

    @Test
    void plainJarsAndALibFolder() throws Exception {
        assertRuns(java("-cp", jar("") + File.pathSeparator + APP.resolve("lib") + File.separator + "*", MAIN));
    }

    @Test
    void directoriesOnTheClassPath() throws Exception {
        assertRuns(java("-cp", APP.resolve("classes") + File.pathSeparator + libJars(), MAIN));
    }

    @Test
    void aShadedJar() throws Exception {
        assertRuns(java("-jar", jar("-shaded")));
    }

    @Test
    void aJarWhoseManifestListsItsLibraries() throws Exception {
        assertRuns(java("-jar", jar("-thin")));
    }

    @Test
    void aSpringBootExecutableJar() throws Exception {
        assertRuns(java("-jar", jar("-boot")));
        assertTrue(Files.isDirectory(cache.resolve("pyloom/classpath")), "its nested jars were copied out, to the cache");
        assertRuns(java("-jar", jar("-boot")));
    }

    @Test
    void aSpringBootExecutableJarWithTheClassicLoader() throws Exception {
        assertRuns(java("-jar", jar("-boot-classic")));
    }

    @Test
    void aNamedModuleOnTheModulePath() throws Exception {
        String modulePath = MODULAR.resolve("mods") + File.pathSeparator
                + MODULAR.resolve("pyloom-it-launch-app-modular-" + VERSION + ".jar");
        ChildJvm.Result result = run(java("-p", modulePath, "-m", "dev.pyloom.it.modular/dev.pyloom.it.modular.ModularApp"));
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("squares: [1, 4, 9, 16]", "offsets: [101, 102, 103]", "readings: Reading[sensor=t1, value=3.0]",
                "worker: PoolWorker-N in module dev.pyloom.it.modular"), result.stdoutLines());
    }

    /** Workers with an agent, twice: before the class path has a class-data archive, and with it. */
    @Test
    void aJavaAgentAmongTheWorkersOptions() throws Exception {
        List<String> command = java("-cp", jar("") + File.pathSeparator + libJars(), "dev.pyloom.it.app.AgentApp", jar("-thin"));
        ChildJvm.Result first = run(command);
        assertEquals(0, first.exitCode(), first.stderr());
        assertEquals(List.of("agent in worker: loaded:pool", "agent in worker: loaded:pool", "agent in worker: loaded:pool",
                "agent in worker: loaded:pool"), first.stdoutLines());
        Path archives = cache.resolve("pyloom/cds");
        await().atMost(Duration.ofSeconds(150)).until(() -> trainers().isEmpty() && archives(archives) == 1);
        ChildJvm.Result second = run(command);
        assertEquals(0, second.exitCode(), second.stderr());
        assertEquals(first.stdoutLines(), second.stdoutLines(), "the archive, recorded without the agent, serves workers with it");
    }

    @Test
    void mavenExecJava() throws Exception {
        ChildJvm.Result result = maven("compile", "exec:java", "-Dexec.mainClass=" + MAIN);
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        List<String> printed = result.stdoutLines().stream().filter(line -> !line.startsWith("[")).toList();
        assertEquals(EXPECTED, printed, result.stdout());
        // exec:java interrupts the program's remaining threads when main returns and waits 15 s
        // for each that stays: pyloom leaves none behind
        assertFalse(result.stdout().contains("despite being asked"), result.stdout());
    }

    @Test
    void surefireInMavensOwnJvm() throws Exception {
        ChildJvm.Result result = maven("test", "-DforkCount=0", "-Dtest=AppTest", "-Dsurefire.failIfNoSpecifiedTests=false");
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        assertTrue(result.stdout().contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), result.stdout());
    }

    @Test
    void theSourceFileLauncherFailsAtNewPoolSayingWhatToDo(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("Script.java");
        Files.writeString(script, """
                import dev.pyloom.multiprocessing.Pool;
                import java.util.List;

                public class Script {
                    static int square(int x) {
                        return x * x;
                    }

                    public static void main(String[] args) throws Exception {
                        try (Pool pool = new Pool(2)) {
                            System.out.println(pool.map(Script::square, List.of(1, 2, 3)));
                        }
                    }
                }
                """);
        ChildJvm.Result result = run(java("-cp", libJars(), script.toString()));
        assertNotEquals(0, result.exitCode());
        assertTrue(result.stderr().contains("IllegalStateException: Script was compiled in memory by the source-file"
                + " launcher (java Script.java)"), result.stderr());
        assertTrue(result.stderr().contains("Compile the program first"), result.stderr());
        assertTrue(result.stderr().contains("at Script.main"), "it fails at new Pool, in main: " + result.stderr());
    }

    // ------------------------------------------------------------------ helpers

    private void assertRuns(List<String> command) throws Exception {
        ChildJvm.Result result = run(command);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(EXPECTED, result.stdoutLines(), result.stderr());
    }

    private ChildJvm.Result run(List<String> command) throws Exception {
        try (ChildJvm child = ChildJvm.start(command, environment, APP)) {
            return child.await(Duration.ofSeconds(120));
        }
    }

    /** Maven, on the JDK running these tests, offline, building the application and what it needs. */
    private ChildJvm.Result maven(String... goals) throws Exception {
        // the build's own checks (plugin versions, dependency convergence) have run in this build
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "-o",
                "-f", ROOT.resolve("pom.xml").toString(), "-pl", "integration-tests/launch-app", "-am",
                "-Denforcer.skip=true"));
        command.addAll(List.of(goals));
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("MAVEN_OPTS", null);
        env.put("MAVEN_ARGS", null);
        try (ChildJvm build = ChildJvm.start(command, env, ROOT)) {
            return build.await(BUILD);
        }
    }

    private static List<String> java(String... arguments) {
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static String jar(String classifier) {
        return APP.resolve("pyloom-it-launch-app-" + VERSION + classifier + ".jar").toString();
    }

    private static String libJars() throws IOException {
        try (Stream<Path> jars = Files.list(APP.resolve("lib"))) {
            return String.join(File.pathSeparator, jars.map(Path::toString).sorted().toList());
        }
    }

    /** The trainer JVMs recording class-data archives into this test's cache. */
    private List<ProcessHandle> trainers() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(cache.toString())).orElse(false))
                .toList();
    }

    private static long archives(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".jsa")).count();
        }
    }
}
