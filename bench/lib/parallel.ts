/** Runs `fn` over `items` with at most `n` at a time (e.g. one per OCR worker). */
export async function inParallel<T>(items: readonly T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, n) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}
