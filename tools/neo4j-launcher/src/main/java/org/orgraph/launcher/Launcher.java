package org.orgraph.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Starts an embedded Neo4j (Community) DBMS that serves Bolt on 127.0.0.1 only, without
 * authentication and without the HTTP connectors, for tests and local development.
 *
 * <pre>
 * java -Xmx1g -cp 'target/classes:target/lib/*' org.orgraph.launcher.Launcher [PORT] [DATA_DIR]
 * </pre>
 *
 * PORT defaults to $NEO4J_PORT, then 7687. DATA_DIR (the DBMS home: databases, transaction logs
 * and Neo4j's own logs live under it) defaults to $NEO4J_DATA_DIR, then {@code .neo4j/data}
 * under the project root (the nearest directory upwards holding go.mod, else the working
 * directory). Once Bolt accepts connections it prints one line starting with
 * {@code launcher: bolt ready} on stdout. SIGTERM/SIGINT shut the DBMS down cleanly.
 *
 * <p>With {@code NEO4J_LAUNCHER_WATCH_STDIN=1} it also shuts down when its standard input reaches
 * end of file, so a parent (a Go test binary) that dies without stopping it does not leave an
 * orphaned server behind: the parent holds the pipe, the kernel closes it when the parent exits.
 */
public final class Launcher {
    private static final String HOST = "127.0.0.1";

    private Launcher() {}

    public static void main(String[] args) {
        if (args.length > 2 || (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.err.println("usage: Launcher [PORT] [DATA_DIR]   (defaults: $NEO4J_PORT or 7687; "
                    + "$NEO4J_DATA_DIR or <project root>/.neo4j/data)");
            System.exit(2);
        }
        int port;
        Path dataDir;
        long pageCache;
        try {
            port = parsePort(args.length > 0 ? args[0] : System.getenv("NEO4J_PORT"));
            dataDir = dataDir(args.length > 1 ? args[1] : System.getenv("NEO4J_DATA_DIR"));
            pageCache = pageCache(System.getenv("NEO4J_PAGECACHE"));
            Files.createDirectories(dataDir);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("launcher: " + e.getMessage());
            System.exit(2);
            return;
        }

        long started = System.nanoTime();
        System.out.println("launcher: starting Neo4j (embedded, Community) on bolt://" + HOST + ":" + port
                + ", data dir " + dataDir + ", page cache " + (pageCache >> 20) + " MiB");
        System.out.flush();

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(dataDir)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                    // Stop quickly: Netty's default graceful shutdown waits 2 s quiet + up to 15 s.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(5))
                    .build();
        } catch (RuntimeException e) {
            System.err.println("launcher: failed to start Neo4j: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }

        Thread hook = new Thread(() -> {
            System.out.println("launcher: shutting down");
            System.out.flush();
            try {
                dbms.shutdown();
                System.out.println("launcher: stopped");
            } catch (RuntimeException e) {
                System.err.println("launcher: shutdown failed: " + e);
            }
            System.out.flush();
        }, "neo4j-launcher-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        if ("1".equals(System.getenv("NEO4J_LAUNCHER_WATCH_STDIN"))) {
            Thread watcher = new Thread(() -> {
                try {
                    byte[] buf = new byte[256];
                    while (System.in.read(buf) >= 0) {
                        // discard
                    }
                } catch (IOException e) {
                    // treat like EOF
                }
                System.out.println("launcher: stdin closed (parent gone), exiting");
                System.out.flush();
                System.exit(0);
            }, "neo4j-launcher-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        String db = GraphDatabaseSettings.DEFAULT_DATABASE_NAME;
        if (!dbms.database(db).isAvailable(TimeUnit.SECONDS.toMillis(120))) {
            System.err.println("launcher: database '" + db + "' not available after 120 s");
            System.exit(1);
        }
        if (!boltAccepts(port, Duration.ofSeconds(30))) {
            System.err.println("launcher: Bolt port " + port + " does not accept connections");
            System.exit(1);
        }
        System.out.printf("launcher: bolt ready on bolt://%s:%d (started in %.1f s, data dir %s)%n",
                HOST, port, (System.nanoTime() - started) / 1e9, dataDir);
        System.out.flush();

        // Keep the JVM alive; the shutdown hook ends it on SIGTERM/SIGINT.
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The page cache: the store files Neo4j keeps in memory. Writes that miss it wait for the
     * disk; a store larger than it is read and written back page by page. {@code raw} is a size
     * as Neo4j's settings take it ("2g", "512m"); empty gives {@link #DEFAULT_PAGE_CACHE}.
     */
    static long pageCache(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_PAGE_CACHE;
        }
        long n;
        try {
            n = ByteUnit.parse(raw.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("NEO4J_PAGECACHE=" + raw + ": want a size such as 2g or 512m");
        }
        if (n < ByteUnit.mebiBytes(8)) {
            throw new IllegalArgumentException("NEO4J_PAGECACHE=" + raw + ": want at least 8m");
        }
        return n;
    }

    /**
     * Room for the store of 100,000 generated units (about 1.1 GiB on disk: 20,000 take 217 MiB),
     * on a 24 GiB machine; the cache takes memory only as the store fills it.
     */
    static final long DEFAULT_PAGE_CACHE = ByteUnit.gibiBytes(2);

    private static int parsePort(String s) {
        if (s == null || s.isBlank()) {
            return 7687;
        }
        try {
            int p = Integer.parseInt(s.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port: " + s);
        }
    }

    private static Path dataDir(String s) {
        if (s != null && !s.isBlank()) {
            return Path.of(s).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("go.mod"))) {
                return p.resolve(".neo4j").resolve("data");
            }
        }
        return cwd.resolve(".neo4j").resolve("data");
    }

    private static boolean boltAccepts(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }
}
