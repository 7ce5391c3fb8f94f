package io.netplane.ipam.service;

import io.netplane.ipam.core.DatabaseFailure;
import io.netplane.ipam.core.GroupCommit;
import io.netplane.ipam.core.Ipam;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** New JTA transactions for the group commit: the outbox joins them as it joins any other. */
final class JtaTransactions implements GroupCommit.Transactions {

    private final DataSource dataSource;

    JtaTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public <T> T inNewTransaction(Ipam.Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                throw new DatabaseFailure(e);
            } catch (RuntimeException e) {
                throw DatabaseFailure.of(e);
            }
        });
    }
}
