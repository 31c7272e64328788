package org.orderplatform.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Override properties of one test method of a {@link PlatformTestSupport}, {@code "key=value"} as in
 * {@code @CamelMainTest(properties = ...)}; they win over the class's {@link PlatformTestSupport#properties}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface WithProperties {
    String[] value();
}
