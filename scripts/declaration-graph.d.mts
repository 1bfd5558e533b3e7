/** Types for declaration-graph.mjs (a plain build script), for the tests that import it. */
export declare function declarationGraph(
  dist: string,
  entries: readonly string[],
): { files: string[]; packages: Map<string, string[]> };
