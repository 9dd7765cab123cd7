package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.ChildJvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A named module whose records travel as task arguments, results and messages, but whose
 * package is opened to pyloom only, not to Jackson, which reads and writes them: each way fails
 * with an exception that names the {@code opens} line to add, the one the module already has
 * with Jackson added to it.
 */
class ModuleOpensIT {

    private static final Path ROOT = Path.of(System.getProperty("pyloom.root", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("pyloom.version", "0.1.0-SNAPSHOT");

    private static final String MODULE_INFO = """
            module com.example {
                requires dev.pyloom.multiprocessing;
                exports com.example.model;
                opens com.example to dev.pyloom.multiprocessing;
            }
            """;

    /** A bean of an exported package that is not opened: Jackson reaches its protected constructor only if it is. */
    private static final String BEAN = """
            package com.example.model;

            public class Bean {
                private int size;

                protected Bean() {}

                public static Bean of(int size) {
                    Bean bean = new Bean();
                    bean.size = size;
                    return bean;
                }

                public int getSize() {
                    return size;
                }

                public void setSize(int size) {
                    this.size = size;
                }
            }
            """;

    private static final String APP = """
            package com.example;

            import dev.pyloom.ipc.Pipe;
            import dev.pyloom.multiprocessing.Pool;

            public class App {
                public record Order(String item, int quantity) {}

                static int quantity(Order order) {
                    return order.quantity();
                }

                static Order make(int quantity) {
                    return new Order("tea", quantity);
                }

                static java.util.List<com.example.model.Bean> beans(int size) {
                    return java.util.List.of(com.example.model.Bean.of(size));
                }

                public static void main(String[] args) throws Exception {
                    switch (args[0]) {
                        case "argument" -> {
                            try (Pool pool = new Pool(1)) {
                                System.out.println(pool.apply(App::quantity, new Order("tea", 3)));
                            }
                        }
                        case "beans" -> {
                            try (Pool pool = new Pool(1)) {
                                System.out.println(pool.apply(App::beans, 3));
                            }
                        }
                        case "result" -> {
                            try (Pool pool = new Pool(1)) {
                                System.out.println(pool.apply(App::make, 3));
                            }
                        }
                        default -> {
                            Pipe pipe = Pipe.open();
                            pipe.conn1().send(new Order("tea", 3));
                        }
                    }
                }
            }
            """;

    @TempDir
    static Path work;

    private static String modulePath;

    @BeforeAll
    static void compileTheModule() throws Exception {
        Path src = work.resolve("src");
        Files.createDirectories(src.resolve("com/example/model"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("com/example/model/Bean.java"), BEAN);
        Files.writeString(src.resolve("com/example/App.java"), APP);
        List<String> path = new ArrayList<>(List.of(
                ROOT.resolve("multiprocessing/target/pyloom-multiprocessing-" + VERSION + ".jar").toString(),
                ROOT.resolve("ipc/target/pyloom-ipc-" + VERSION + ".jar").toString(),
                ROOT.resolve("common/target/pyloom-common-" + VERSION + ".jar").toString()));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("jackson")).forEach(path::add);
        Path classes = work.resolve("classes");
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-p", String.join(File.pathSeparator, path)));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(file -> file.toString().endsWith(".java")).map(Path::toString).forEach(arguments::add);
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new)));
        path.add(0, classes.toString());
        modulePath = String.join(File.pathSeparator, path);
    }

    @org.junit.jupiter.api.Test
    void aBeanInsideAListNamesTheBeansPackageNotTheLists() throws Exception {
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.javaBinary(), "-p", modulePath,
                "-m", "com.example/com.example.App", "beans"));
        assertNotEquals(0, result.exitCode(), result.stdout());
        String stderr = result.stderr();
        assertTrue(stderr.contains("Package com.example.model of module com.example is not open to tools.jackson.databind,"
                + " which reads and writes Bean reflectively. Add to its module-info.java:"
                + " opens com.example.model to tools.jackson.databind;"), stderr);
        assertTrue(!stderr.contains("opens java.util"), stderr);
    }

    @ParameterizedTest
    @CsvSource({
            "argument, cannot send a com.example.App$Order as JSON",
            "result,   the result of task App::make cannot be sent back",
            "message,  cannot send a com.example.App$Order as JSON"})
    void aRecordInAPackageClosedToJacksonFailsNamingTheOpensLineToAdd(String way, String failure) throws Exception {
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.javaBinary(), "-p", modulePath,
                "-m", "com.example/com.example.App", way));
        assertNotEquals(0, result.exitCode(), result.stdout());
        String stderr = result.stderr();
        assertTrue(stderr.contains("IllegalArgumentException: " + failure), stderr);
        assertTrue(stderr.contains("Package com.example of module com.example is not open to tools.jackson.databind,"
                + " which reads and writes Order reflectively. Add to its module-info.java:"
                + " opens com.example to dev.pyloom.multiprocessing, tools.jackson.databind;"), stderr);
    }
}
