package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountTest {

    @Test
    void boundsHowMany() {
        assertThat(Count.atMost(List.of("a"), 1, "aliases")).hasSize(1);
        assertThatThrownBy(() -> Count.atMost(Collections.nCopies(33, "a"), Count.MAX_ALIASES, "aliases"))
                .isInstanceOf(InvalidValueException.class).hasMessage("too many aliases: 33, at most 32");
    }
}
