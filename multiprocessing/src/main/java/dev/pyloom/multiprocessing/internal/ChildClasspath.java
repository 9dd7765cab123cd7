package dev.pyloom.multiprocessing.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a child JVM needs to load this JVM's classes: its class path, its module path, and the
 * module system's options, derived from where the classes actually come from.
 *
 * <p>The classes that matter are pyloom's own (the child's main class), the tasks', and what
 * they use, found through the class loaders that defined them: the class that creates the pool
 * or process, the thread's context class loader, pyloom's. For each loader the whole chain of
 * parents counts (the child's one flat class path holds them parent first, as delegation
 * finds them):
 * <ul>
 *   <li>the JDK's application class loader: {@code java.class.path} (plain jars, directories, a
 *       manifest-only jar, a shaded jar);</li>
 *   <li>a {@link URLClassLoader}: its URLs. That covers Maven's {@code exec:java} and Surefire's
 *       in-process runs ({@code forkCount=0}), whose loaders list the project's classes and
 *       dependencies, and a Spring Boot executable jar, whose loader reads the application's
 *       classes and libraries inside the jar ({@code jar:nested:...} URLs, or
 *       {@code jar:file:...!/BOOT-INF/lib/x.jar!/} for Boot's classic loader). A child JVM
 *       cannot read a jar inside a jar, so those are taken out once, into
 *       {@link CacheDirectory pyloom's cache}, and the child gets the copies;</li>
 *   <li>another kind of loader: the code source of the class that uses it, if it is a file.</li>
 * </ul>
 * The module path is this JVM's ({@code jdk.module.path}), and the module options
 * ({@code --add-opens}, {@code --add-exports}, {@code --add-reads}, {@code --patch-module},
 * {@code --add-modules}, {@code --limit-modules}, {@code --enable-preview}, native access) are
 * passed on as given, because without them the same classes do not load, or not with the same
 * access: Surefire runs a modular project's tests as a module patched with its test classes,
 * opened to the unnamed module; pyloom, when it is a named module itself, is given the same
 * access.
 *
 * <p>Classes that exist only in memory (the single-file source launcher's, or generated ones)
 * have no place a child could load them from: {@link #derive} says so, naming the launch
 * shape and what to do, and {@link #requireCovers} does for a task from a class loader the
 * child was not given.
 */
public final class ChildClasspath {

    /** System property: {@code false} makes Spring Boot applications' nested jars an error instead of being copied out. */
    static final String EXTRACT_PROPERTY = "pyloom.multiprocessing.extractNestedJars";

    /** Module-system options passed on to children, as the JVM reports them ({@code --name=value}). */
    private static final List<String> MODULE_OPTIONS = List.of("--add-opens=", "--add-exports=", "--add-reads=",
            "--patch-module=", "--add-modules=", "--limit-modules=", "--upgrade-module-path=",
            "--enable-native-access=", "--illegal-native-access=", "--enable-preview");

    private static final String PYLOOM_MODULE = "dev.pyloom.multiprocessing";
    private static final int MAX_EXTRACTED = 8;
    private static final long MAX_EXTRACTED_BYTES = 1L << 30;

    private final List<String> classPath;
    private final List<String> modulePath;
    private final List<String> moduleOptions;
    private final Set<ClassLoader> covered;   // loaders whose every class the child can load
    private final boolean explicit;

    private ChildClasspath(List<String> classPath, List<String> modulePath, List<String> moduleOptions,
            Set<ClassLoader> covered, boolean explicit) {
        this.classPath = List.copyOf(classPath);
        this.modulePath = List.copyOf(modulePath);
        this.moduleOptions = List.copyOf(moduleOptions);
        this.covered = covered;
        this.explicit = explicit;
    }

    /**
     * A class path and module path a program gives a builder ({@code Pool.builder().classPath(...)}),
     * to be used as they are, nothing derived. They must hold pyloom, its dependencies and the
     * tasks. Not thread-safe, as a builder is not.
     */
    public static final class Given {
        private List<String> classPath;
        private List<String> modulePath = List.of();

        public void classPath(List<Path> entries) {
            classPath = absolute(entries);
        }

        /** A module path alone comes with an empty class path. */
        public void modulePath(List<Path> entries) {
            modulePath = absolute(entries);
            if (classPath == null) {
                classPath = List.of();
            }
        }

        /** Whether anything was given: if not, the class path is derived. */
        public boolean isGiven() {
            return classPath != null;
        }

        /** What was given, for a child. */
        public ChildClasspath get() {
            List<String> options = modulePath.isEmpty() ? List.of() : List.of("--add-modules=ALL-MODULE-PATH");
            return new ChildClasspath(classPath, modulePath, options, Set.of(), true);
        }

        private static List<String> absolute(List<Path> entries) {
            return entries.stream().map(entry -> entry.toAbsolutePath().toString()).toList();
        }
    }

    /**
     * Derives what a child needs to load pyloom, {@code anchors} (the classes whose code the
     * child will run, such as the class that creates a pool) and what the thread's context class
     * loader sees.
     *
     * @throws IllegalStateException if an anchor's classes exist only in memory (the source
     *                               launcher), saying what to do instead
     * @throws IOException           if a Spring Boot application's nested jars cannot be copied out
     */
    public static ChildClasspath derive(Collection<Class<?>> anchors) throws IOException {
        Deriving deriving = new Deriving();
        try {
            deriving.add(ChildClasspath.class);
            for (Class<?> anchor : anchors) {
                deriving.add(anchor);
            }
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null) {
                deriving.lenient = true; // what no task needs must not stop a pool: entries a child cannot use are left out
                deriving.addChain(context);
            }
        } finally {
            for (Extraction extraction : deriving.extractions.values()) {
                extraction.close();
            }
        }
        String modulePath = System.getProperty("jdk.module.path", "");
        List<String> modules = modulePath.isBlank() ? List.of() : List.of(modulePath.split(File.pathSeparator));
        return new ChildClasspath(List.copyOf(deriving.entries), modules, ModuleOptions.of(!modules.isEmpty()),
                deriving.covered, false);
    }

    /** The options that give a child these classes: module path and options, then {@code -cp}. */
    public List<String> options() {
        List<String> options = new ArrayList<>();
        if (!modulePath.isEmpty()) {
            options.add("--module-path=" + String.join(File.pathSeparator, modulePath));
        }
        options.addAll(moduleOptions);
        options.add("-cp");
        options.add(String.join(File.pathSeparator, classPath));
        return options;
    }

    /** The class path entries, in order. */
    public List<String> classPath() {
        return classPath;
    }

    /** The module path entries, in order; empty without a module path. */
    public List<String> modulePath() {
        return modulePath;
    }

    /** Whether a child with this class path can load {@code type} (as this JVM defines it). */
    public boolean covers(Class<?> type) {
        if (explicit) {
            return true; // the program said what the child gets; it knows best
        }
        ClassLoader loader = type.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || covered.contains(loader)) {
            return true;
        }
        String location = location(type); // a class of another loader, found where the child looks
        return location != null && classPath.contains(location);
    }

    /**
     * Checks that a child can load {@code type}, which {@code what} needs.
     *
     * @throws IllegalArgumentException if it cannot, saying where the class comes from and what to do
     */
    public void requireCovers(Class<?> type, String what) {
        if (!covers(type)) {
            throw new IllegalArgumentException(what + " comes from " + describe(type) + ", which the child JVMs"
                    + " were not given: they load what the class loaders of the code that created the pool (or started"
                    + " the process) see. Create it from code of the same class loader as the task, or give the"
                    + " children their class path: Pool.builder().classPath(...), PyProcess.builder().classPath(...).");
        }
    }

    /**
     * The class whose code called into pyloom: the first frame of the stack outside {@code api}
     * and pyloom's internals, and outside the JDK (reflection, a framework's proxies); null if
     * there is none.
     */
    public static Class<?> callerOutside(Set<Class<?>> api) {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(type -> !api.contains(type) && !type.getPackageName().equals(ChildClasspath.class.getPackageName()))
                .filter(type -> type.getClassLoader() != null && type.getClassLoader() != ClassLoader.getPlatformClassLoader())
                .findFirst()
                .orElse(null));
    }

    // ------------------------------------------------------------------ deriving

    /** The entries found so far, and which loaders they cover. */
    private static final class Deriving {
        final LinkedHashSet<String> entries = new LinkedHashSet<>();
        final Set<ClassLoader> covered = new HashSet<>();
        final Set<ClassLoader> visited = new HashSet<>();
        final Map<Path, Extraction> extractions = new HashMap<>();
        boolean lenient; // leave out entries a child cannot use, instead of failing

        /** A class whose code a child runs: its loader's chain, or failing that its own location. */
        void add(Class<?> anchor) throws IOException {
            ClassLoader loader = anchor.getClassLoader();
            if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
                return; // the JDK's own
            }
            addChain(loader);
            if (covered.contains(loader)) {
                return;
            }
            if (isSourceLauncher(loader)) {
                throw new IllegalStateException(anchor.getName() + " was compiled in memory by the source-file"
                        + " launcher (java " + sourceFile() + "): a worker or child JVM has no file to load it from."
                        + " Compile the program first (javac -d classes ...; java -cp classes:<the libraries> "
                        + anchor.getName() + "), or package it as a jar.");
            }
            URL location = codeSource(anchor);
            if (location == null) {
                throw new IllegalStateException(anchor.getName() + " was defined by " + loader + " without a location"
                        + " a child JVM could load it from (generated, or loaded from memory). Give the children a"
                        + " class path that holds it: Pool.builder().classPath(...), PyProcess.builder().classPath(...).");
            }
            addUrl(location);
        }

        /** Every loader from the top of {@code loader}'s chain down to it; unknown kinds are skipped. */
        void addChain(ClassLoader loader) throws IOException {
            List<ClassLoader> chain = new ArrayList<>();
            for (ClassLoader l = loader; l != null && l != ClassLoader.getPlatformClassLoader(); l = l.getParent()) {
                chain.add(0, l);
            }
            for (ClassLoader l : chain) {
                if (!visited.add(l)) {
                    continue;
                }
                if (isApplicationLoader(l)) {
                    String classPath = System.getProperty("java.class.path", "");
                    if (!classPath.isEmpty()) {
                        for (String entry : classPath.split(File.pathSeparator, -1)) {
                            // an empty element is the working directory, to the JVM
                            entries.add(Path.of(entry.isEmpty() ? "." : entry).toAbsolutePath().normalize().toString());
                        }
                    }
                    covered.add(l);
                } else if (l instanceof URLClassLoader urls) {
                    for (URL url : urls.getURLs()) {
                        addUrl(url);
                    }
                    covered.add(l);
                }
            }
        }

        void addUrl(URL url) throws IOException {
            try {
                switch (url.getProtocol()) {
                    case "file" -> entries.add(path(url).toString());
                    case "jar" -> addJarUrl(url);
                    default -> throw new IllegalStateException("a class path entry a child JVM cannot use: " + url
                            + ". Give the children their class path: Pool.builder().classPath(...),"
                            + " PyProcess.builder().classPath(...).");
                }
            } catch (IOException | IllegalStateException unusable) {
                if (!lenient) {
                    throw unusable;
                }
            }
        }

        /*
         * jar:file:/app.jar!/                              a plain jar
         * jar:file:/app.jar!/BOOT-INF/lib/x.jar!/          a jar in a jar (Spring Boot's classic loader)
         * jar:file:/app.jar!/BOOT-INF/classes!/            a directory in a jar
         * jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/        the same, Spring Boot 3.2 and later
         * jar:nested:/app.jar/!BOOT-INF/classes/!/
         */
        void addJarUrl(URL url) throws IOException {
            String spec = url.toString().substring("jar:".length());
            if (spec.endsWith("!/")) {
                spec = spec.substring(0, spec.length() - 2);
            }
            String outer;
            String inner;
            if (spec.startsWith("nested:")) {
                int bang = spec.indexOf("/!");
                outer = bang < 0 ? spec.substring("nested:".length()) : spec.substring("nested:".length(), bang);
                inner = bang < 0 ? "" : spec.substring(bang + 2);
            } else if (spec.startsWith("file:")) {
                int bang = spec.indexOf("!/");
                outer = (bang < 0 ? spec : spec.substring(0, bang)).substring("file:".length());
                inner = bang < 0 ? "" : spec.substring(bang + 2);
            } else {
                throw new IllegalStateException("a class path entry a child JVM cannot use: " + url
                        + ". Give the children their class path: Pool.builder().classPath(...),"
                        + " PyProcess.builder().classPath(...).");
            }
            // percent-decoded, as a URL's path is; a '+' is a plus sign in a path
            outer = java.net.URLDecoder.decode(outer.replace("+", "%2B"), StandardCharsets.UTF_8);
            inner = java.net.URLDecoder.decode(inner.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (inner.isEmpty()) {
                entries.add(Path.of(outer).toAbsolutePath().toString());
                return;
            }
            if (!Boolean.parseBoolean(System.getProperty(EXTRACT_PROPERTY, "true"))) {
                throw new IllegalStateException("the class path entry " + url + " is inside a jar, which a child JVM"
                        + " cannot read, and " + EXTRACT_PROPERTY + "=false forbids copying it out");
            }
            Path jar = Path.of(outer).toAbsolutePath();
            Extraction extraction = extractions.get(jar);
            if (extraction == null) {
                extraction = new Extraction(jar);
                extractions.put(jar, extraction);
            }
            entries.add(extraction.extract(inner).toString());
        }
    }

    private static boolean isApplicationLoader(ClassLoader loader) {
        return loader.getClass().getName().equals("jdk.internal.loader.ClassLoaders$AppClassLoader");
    }

    private static boolean isSourceLauncher(ClassLoader loader) {
        return loader.getClass().getName().startsWith("com.sun.tools.javac.launcher.");
    }

    private static String sourceFile() {
        String file = System.getProperty("jdk.launcher.sourcefile");
        return file == null ? "Program.java" : Path.of(file).getFileName().toString();
    }

    private static URL codeSource(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    private static String location(Class<?> type) {
        URL url = codeSource(type);
        if (url == null || !"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return path(url).toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static Path path(URL url) throws IOException {
        try {
            return Path.of(url.toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException notAUri) {
            // as the JDK's URLClassLoader reads it: "file:" + a path, spaces and all (File.toURL() makes such URLs)
            String path = java.net.URLDecoder.decode(url.getPath().replace("+", "%2B"), StandardCharsets.UTF_8);
            if (path.isEmpty()) {
                throw new IOException("not a file: " + url, notAUri);
            }
            return Path.of(path).toAbsolutePath();
        }
    }

    private static String describe(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        URL location = codeSource(type);
        return type.getName() + " (class loader " + loader + (location == null ? "" : ", " + location) + ")";
    }

    // ------------------------------------------------------------------ module options

    /*
     * The module-system options this JVM was started with (read once: they never change). When
     * pyloom is a named module, what was opened to the unnamed module (Surefire opens a patched
     * module's test packages so) is opened to pyloom too: it invokes the tasks reflectively.
     */
    private static final class ModuleOptions {
        static final List<String> GIVEN = read();

        static List<String> of(boolean hasModulePath) {
            if (!hasModulePath || GIVEN.stream().anyMatch(option -> option.startsWith("--add-modules="))) {
                return GIVEN;
            }
            List<String> options = new ArrayList<>(GIVEN);
            options.add(0, "--add-modules=ALL-MODULE-PATH");
            return List.copyOf(options);
        }

        private static List<String> read() {
            List<String> options = new ArrayList<>();
            boolean pyloomNamed = ChildClasspath.class.getModule().isNamed();
            boolean hasModulePath = !System.getProperty("jdk.module.path", "").isBlank();
            Set<String> inherited = fromEnvironment();
            for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (inherited.contains(argument)) {
                    continue; // the child has the same environment, and gets it from there (twice is an error for some)
                }
                for (String option : MODULE_OPTIONS) {
                    if (!argument.equals(option) && !(option.endsWith("=") && argument.startsWith(option))) {
                        continue;
                    }
                    if (option.equals("--add-modules=") && hasModulePath) {
                        options.add(argument + ",ALL-MODULE-PATH");
                    } else if (option.equals("--add-opens=") && pyloomNamed && argument.endsWith("ALL-UNNAMED")) {
                        options.add(argument + "," + PYLOOM_MODULE);
                    } else {
                        options.add(argument);
                    }
                }
            }
            return List.copyOf(options);
        }

        /** The options the environment gives every JVM ({@code JDK_JAVA_OPTIONS}, {@code JAVA_TOOL_OPTIONS}), as the JVM reports them. */
        private static Set<String> fromEnvironment() {
            Set<String> given = new HashSet<>();
            for (String variable : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS")) {
                String value = System.getenv(variable);
                if (value == null || value.isBlank()) {
                    continue;
                }
                String[] tokens = value.trim().split("\\s+");
                for (int i = 0; i < tokens.length; i++) {
                    boolean takesValue = MODULE_OPTIONS.contains(tokens[i] + "=");
                    given.add(takesValue && i + 1 < tokens.length ? tokens[i] + "=" + tokens[++i] : tokens[i]);
                }
            }
            return given;
        }
    }

    // ------------------------------------------------------------------ nested jars

    /**
     * The entries of one outer jar that a child needs as files of their own: a nested jar is
     * copied out as it is, a directory (Boot's {@code BOOT-INF/classes/}) packed into a jar.
     * They go to {@code <cache>/classpath/<key>.jars/}, keyed by the outer jar's path, size and
     * time, each file written under a temporary name and moved into place, so that processes
     * extracting at once never see half a file.
     */
    private static final class Extraction {
        private final Path jar;
        private final Path directory;
        private ZipFile zip;

        Extraction(Path jar) throws IOException {
            this.jar = jar;
            Path cache = CacheDirectory.of("classpath");
            this.directory = cache.resolve(key(jar) + ".jars");
            boolean existed = Files.isDirectory(directory);
            // the children of this JVM may open these jars at any time, as long as it runs
            CacheDirectory.holdInUse(directory);
            if (existed) {
                CacheDirectory.touch(directory);
            } else {
                CacheDirectory.prune(cache, ".jars", MAX_EXTRACTED, MAX_EXTRACTED_BYTES);
            }
        }

        Path extract(String entry) throws IOException {
            boolean isDirectory = entry.endsWith("/") || !entry.endsWith(".jar");
            String name = entry.replaceAll("/+$", "").replace('/', '_') + (isDirectory ? ".jar" : "");
            Path target = directory.resolve(name);
            if (Files.isRegularFile(target)) {
                return target;
            }
            Path partial = directory.resolve(name + "." + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                if (isDirectory) {
                    pack(entry.endsWith("/") ? entry : entry + "/", partial);
                } else {
                    copy(entry, partial);
                }
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException anotherProcessWasFirst) {
                    // theirs is the same bytes
                }
            } finally {
                Files.deleteIfExists(partial);
            }
            return target;
        }

        private ZipFile zip() throws IOException {
            if (zip == null) {
                zip = new ZipFile(jar.toFile()); // opened once per derivation, only if something is missing
            }
            return zip;
        }

        void close() throws IOException {
            if (zip != null) {
                zip.close();
            }
        }

        private void copy(String entry, Path to) throws IOException {
            ZipEntry found = zip().getEntry(entry);
            if (found == null) {
                throw new IOException("no " + entry + " in " + jar);
            }
            try (InputStream in = zip().getInputStream(found)) {
                Files.copy(in, to);
            }
        }

        private void pack(String prefix, Path to) throws IOException {
            try (OutputStream file = Files.newOutputStream(to); JarOutputStream out = new JarOutputStream(file)) {
                for (Enumeration<? extends ZipEntry> all = zip().entries(); all.hasMoreElements();) {
                    ZipEntry entry = all.nextElement();
                    if (!entry.getName().startsWith(prefix) || entry.getName().length() == prefix.length()) {
                        continue;
                    }
                    out.putNextEntry(new ZipEntry(entry.getName().substring(prefix.length())));
                    if (!entry.isDirectory()) {
                        try (InputStream in = zip().getInputStream(entry)) {
                            in.transferTo(out);
                        }
                    }
                    out.closeEntry();
                }
            }
        }

        private static String key(Path jar) throws IOException {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update((jar + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis())
                        .getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest.digest(), 0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JDK", e);
            }
        }
    }
}
