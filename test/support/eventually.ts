/**
 * Resolves once `condition` holds, checking it every few milliseconds. It has no deadline of its
 * own on purpose: a condition that never holds fails by the test's timeout, as any hang does, so a
 * slow (loaded) machine only makes the test slower, never red.
 */
export async function eventually(condition: () => boolean | Promise<boolean>, intervalMs = 10): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
