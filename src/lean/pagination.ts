/**
 * Lean's page metadata (lean-api.md §3). Three envelopes use it: data v2 (`data.page`, with
 * `sort: null`), lists of customers/entities/intents (`{data, page}`), refreshes (`{content, page}`).
 */
export interface PageInfo {
  number: number;
  size: number;
  total_elements: number;
  total_pages: number;
}

export function paginate<T>(items: readonly T[], number: number, size: number): { items: T[]; page: PageInfo } {
  const start = number * size;
  return {
    items: items.slice(start, start + size),
    page: { number, size, total_elements: items.length, total_pages: Math.ceil(items.length / size) },
  };
}
