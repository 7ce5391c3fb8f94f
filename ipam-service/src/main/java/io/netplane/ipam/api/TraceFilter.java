package io.netplane.ipam.api;

import io.netplane.events.codec.TraceParent;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every call of the REST and Docker APIs is a step of a W3C trace: the caller's when it sends a
 * valid {@code traceparent}, else a new one. The trace is the thread's current one while the call
 * runs (these filters run on the call's own thread), so every event the call commits carries it;
 * the answer's {@code traceresponse} (W3C Trace Context level 2) tells the caller which trace that is.
 */
public class TraceFilter {

    static final String TRACEPARENT = "traceparent";
    static final String TRACERESPONSE = "traceresponse";
    private static final String PROPERTY = TraceFilter.class.getName();

    @ServerRequestFilter
    public void enter(ContainerRequestContext request) {
        TraceParent trace = TraceParent.continueOrStart(request.getHeaderString(TRACEPARENT));
        TraceParent.makeCurrent(trace);
        request.setProperty(PROPERTY, trace);
    }

    @ServerResponseFilter
    public void leave(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(PROPERTY) instanceof TraceParent trace) {
            response.getHeaders().putSingle(TRACERESPONSE, trace.toString());
        }
        TraceParent.makeCurrent(null);
    }
}
