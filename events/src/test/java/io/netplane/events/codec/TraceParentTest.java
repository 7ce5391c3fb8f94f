package io.netplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceParentTest {

    private static final String EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aValidTraceparentIsReadAndWrittenBackUnchanged() {
        TraceParent t = TraceParent.parse(EXAMPLE).orElseThrow();
        assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(t.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(t.toString()).isEqualTo(EXAMPLE);
    }

    @Test
    void whatTheW3cCallsInvalidIsRefused() {
        assertThat(TraceParent.parse(null)).isEmpty();
        assertThat(TraceParent.parse("")).isEmpty();
        assertThat(TraceParent.parse(EXAMPLE.toUpperCase())).as("upper-case hex").isEmpty();
        assertThat(TraceParent.parse("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).as("zero trace id").isEmpty();
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0".repeat(16) + "-01")).isEmpty();
        assertThat(TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).as("version").isEmpty();
        assertThat(TraceParent.parse(EXAMPLE + "\n-A INPUT")).isEmpty();
    }

    @Test
    void aChildIsANewSpanOfTheSameTraceAndAMissingParentStartsATrace() {
        TraceParent parent = TraceParent.parse(EXAMPLE).orElseThrow();
        TraceParent child = TraceParent.continueOrStart(EXAMPLE);
        assertThat(child.traceId()).isEqualTo(parent.traceId());
        assertThat(child.spanId()).isNotEqualTo(parent.spanId());
        assertThat(TraceParent.parse(child.toString())).contains(child);

        TraceParent fresh = TraceParent.continueOrStart("garbage");
        assertThat(fresh.traceId()).isNotEqualTo(parent.traceId()).hasSize(32);
        assertThat(TraceParent.parse(fresh.toString())).contains(fresh);
    }

    @Test
    void theCurrentTraceBelongsToTheThreadAndIsGivenBack() throws Exception {
        TraceParent t = TraceParent.root();
        assertThat(TraceParent.makeCurrent(t)).isNull();
        Thread other = new Thread(() -> assertThat(TraceParent.current()).isNull());
        other.start();
        other.join();
        assertThat(TraceParent.makeCurrent(null)).isEqualTo(t);
        assertThat(TraceParent.current()).isNull();
    }
}
