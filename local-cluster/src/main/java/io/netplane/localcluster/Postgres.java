package io.netplane.localcluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL from zonky's embedded binaries, with its own data directory and port. It can
 * be stopped and started again on the same port with the same data, to test riding out a restart.
 */
final class Postgres implements AutoCloseable {

    static final String DATABASE = "netplane";
    static final String USER = "postgres";

    private final Path dir;
    private final int port;
    private EmbeddedPostgres pg;

    private Postgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static Postgres start(Path dir, int port) {
        Postgres p = new Postgres(dir, port);
        p.start();
        createDatabase(p.pg);
        return p;
    }

    synchronized void start() {
        if (pg != null) {
            return;
        }
        try {
            pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dir.resolve("pgdata"))
                    .setOverrideWorkingDirectory(dir.resolve("pgbin").toFile())
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (a fast shutdown: open sessions are cut), keeping its port and data. */
    synchronized void stop() {
        if (pg == null) {
            return;
        }
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pg = null;
        }
    }

    private static void createDatabase(EmbeddedPostgres pg) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE, e);
        }
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public void close() {
        stop();
    }
}
