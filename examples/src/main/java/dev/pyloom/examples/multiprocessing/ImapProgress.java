package dev.pyloom.examples.multiprocessing;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.ResultIterator;
import java.util.stream.IntStream;

/**
 * A long {@code imap} that reports its progress, as a Python program does by wrapping it in
 * {@code tqdm}:
 *
 * <pre>
 * with Pool(4) as p:
 *     total = 0
 *     for n in tqdm(p.imap_unordered(count_primes, ranges), total=len(ranges)):
 *         total += n
 * </pre>
 *
 * <p>The results come as the workers finish them ({@code imapUnordered}), so the count moves as
 * soon as any chunk is done; the items are read as the workers need them. The program prints a
 * line every tenth of the work, and the total at the end:
 *
 * <pre>
 * 10/100 ranges done
 * 20/100 ranges done
 * ...
 * 100/100 ranges done
 * 78498 primes below 1000000
 * </pre>
 */
public final class ImapProgress {

    private ImapProgress() {}

    static final int RANGES = 100;
    static final int WIDTH = 10_000;

    /** The primes in [from, from + WIDTH). */
    static int countPrimes(int from) {
        int count = 0;
        for (int n = Math.max(from, 2); n < from + WIDTH; n++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    public static void main(String[] args) throws Exception {
        try (Pool pool = new Pool(4)) {
            ResultIterator<Integer> counts = pool.imapUnordered(ImapProgress::countPrimes,
                    () -> IntStream.range(0, RANGES).map(i -> i * WIDTH).iterator());
            int done = 0;
            long total = 0;
            for (int count : counts) {
                total += count;
                done++;
                if (done % (RANGES / 10) == 0) {
                    System.out.printf("%d/%d ranges done%n", done, RANGES);
                }
            }
            System.out.printf("%d primes below %d%n", total, RANGES * WIDTH);
        }
    }
}
