package dev.pyloom.ipc;

/**
 * Stands for a deserialization gadget: a class that does something when it is initialized or
 * constructed. If decoding a message ever initialized it, the system property would be set.
 */
public class Gadget {

    static final String TRIPWIRE = "pyloom.test.gadget.initialized";

    static {
        System.setProperty(TRIPWIRE, "class initialized");
    }

    public Gadget() {
        System.setProperty(TRIPWIRE, "instance constructed");
    }
}
