package dev.pyloom.asyncio;

/** A program for {@link SignalShutdownTest}: {@code Asyncio.run}, for the first time, inside a shutdown hook, twice. */
public final class RunInShutdownHook {

    private RunInShutdownHook() {}

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                System.out.println(Asyncio.run(() -> "first run in a hook"));
                System.out.println(Asyncio.run(() -> "second run in a hook"));
            } catch (Throwable e) {
                e.printStackTrace();
            }
        }));
    }
}
