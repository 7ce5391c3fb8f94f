package io.netplane.agent.support;

import io.netplane.agent.netns.NamespaceManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The namespace lifecycle of a test class, as {@code @RegisterExtension static final}: one
 * {@link NamespaceManager} for the class and a fresh {@link Namespaces} per test, removed after
 * the test's own {@code @AfterEach} (also on failure). Without root the tests fail.
 */
public final class NamespaceLab implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private NamespaceManager manager;
    private Namespaces namespaces;

    public NamespaceManager manager() {
        return manager;
    }

    /** This test's namespaces. */
    public Namespaces namespaces() {
        return namespaces;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Namespaces.requireRoot();
        manager = new NamespaceManager();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        namespaces = new Namespaces(manager);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (namespaces != null) {
            namespaces.close();
            namespaces = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (manager != null) {
            manager.close();
        }
    }
}
