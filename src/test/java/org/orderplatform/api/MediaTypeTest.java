package org.orderplatform.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RFC 9110 media-type grammar, case by case. */
class MediaTypeTest {

    @Test
    void type_subtype_and_parameter_names_are_case_insensitive_and_values_are_unquoted() {
        MediaType t = MediaType.parse("Application/JSON; Charset=\"UTF-8\"; q=\"a\\\"b\"");
        assertThat(t.essence()).isEqualTo("application/json");
        assertThat(t.parameter("CHARSET")).contains("UTF-8");
        assertThat(t.parameter("q")).contains("a\"b");
    }

    @Test
    void empty_parameters_and_optional_whitespace_are_allowed() {
        MediaType t = MediaType.parse("  text/plain ;\t; charset=us-ascii ;  ");
        assertThat(t.essence()).isEqualTo("text/plain");
        assertThat(t.parameters()).containsOnlyKeys("charset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "application", "application/", "/json", "application/json/x", "application /json",
            "application/json; charset", "application/json; charset=", "application/json; charset = utf-8",
            "application/json; charset=utf-8; charset=utf-8", "application/json; a=1; A=2",
            "application/json; charset=\"utf-8", "application/json; charset=\"a\u0001b\"", "appl\u00e9cation/json",
            "application/json, text/plain", "application/json charset=utf-8", "application/json; =utf-8",
            "application/json; charset=utf 8", "application/json; charset=\"x\\\u0001\""})
    void what_the_grammar_does_not_allow_is_refused(String text) {
        assertThatThrownBy(() -> MediaType.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
