package io.netplane.dns.resolve;

import io.netplane.dns.server.Transport;

/** What the query path reports; the service binds it to Micrometer. */
public interface QueryMetrics {

    QueryMetrics NONE = new QueryMetrics() {
        @Override
        public void received(Transport transport) {
        }

        @Override
        public void answered(int rcode, boolean local, long nanos) {
        }
    };

    void received(Transport transport);

    /** One answer sent: its rcode, whether it came from the view (else upstream), time since the query arrived. */
    void answered(int rcode, boolean local, long nanos);
}
