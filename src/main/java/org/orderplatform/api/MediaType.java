package org.orderplatform.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A media type as RFC 9110 section 8.3.1 writes it: {@code type "/" subtype *( OWS ";" OWS [ name "=" value ] )},
 * the value a token or a quoted string (with quoted pairs). Type, subtype and parameter names are case-insensitive
 * and kept in lower case; values are kept as sent, unquoted. A parameter named twice is an error (RFC 6838 4.3).
 * Plain Java: no Camel types.
 * <p>
 * Written against the grammar rather than taken from a library: the parsers on the class path (Spring's
 * {@code MimeTypeUtils}, Jakarta Activation's {@code MimeType}) keep the last of two equal parameter names and
 * drop a parameter without a value, so neither can refuse a repeated {@code charset}.
 */
public record MediaType(String type, String subtype, Map<String, String> parameters) {

    public MediaType {
        parameters = Map.copyOf(parameters);
    }

    /** Parses a Content-Type field value; {@link IllegalArgumentException} saying why when it is not one. */
    public static MediaType parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no media type");
        }
        Cursor in = new Cursor(text.strip());
        String type = in.token("type");
        in.expect('/');
        String subtype = in.token("subtype");
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            in.skipWhitespace();
            if (in.atEnd()) {
                break;
            }
            in.expect(';');
            in.skipWhitespace();
            if (in.atEnd() || in.peek() == ';') {
                continue; // "[ parameter ]": an empty parameter is allowed
            }
            String name = in.token("parameter name").toLowerCase(Locale.ROOT);
            in.expect('=');
            String value = in.peek() == '"' ? in.quotedString() : in.token("value of " + name);
            if (parameters.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("parameter " + name + " is given twice");
            }
        }
        return new MediaType(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), parameters);
    }

    /** {@code type/subtype}, in lower case. */
    public String essence() {
        return type + "/" + subtype;
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    private static final class Cursor {
        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        char peek() {
            return atEnd() ? '\0' : text.charAt(at);
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at position " + at);
            }
            at++;
        }

        void skipWhitespace() {
            while (peek() == ' ' || peek() == '\t') {
                at++;
            }
        }

        String token(String what) {
            int start = at;
            while (!atEnd() && isTchar(text.charAt(at))) {
                at++;
            }
            if (at == start) {
                throw new IllegalArgumentException("expected a token (" + what + ") at position " + at);
            }
            return text.substring(start, at);
        }

        /** {@code DQUOTE *( qdtext / quoted-pair ) DQUOTE}, returned without the quotes and backslashes. */
        String quotedString() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw new IllegalArgumentException("unterminated quoted string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    if (atEnd() || !isQuotable(text.charAt(at))) {
                        throw new IllegalArgumentException("bad quoted pair at position " + at);
                    }
                    c = text.charAt(at++);
                } else if (!isQdtext(c)) {
                    throw new IllegalArgumentException("character not allowed in a quoted string at position " + (at - 1));
                }
                value.append(c);
            }
        }

        private static boolean isTchar(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
        }

        /** HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (%x80-FF). */
        private static boolean isQdtext(char c) {
            return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)
                    || (c >= 0x80 && c <= 0xFF);
        }

        /** HTAB / SP / VCHAR / obs-text. */
        private static boolean isQuotable(char c) {
            return c == '\t' || (c >= 0x20 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
        }
    }
}
