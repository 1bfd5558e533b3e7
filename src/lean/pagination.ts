/**
 * Lean's page metadata (lean-api.md §3). Three envelopes use it: data v2 (`data.page`), lists of
 * customers/entities (`{data, page}`), refreshes (`{content, page}`); all carry `sort: null` in
 * Lean's recorded replies. Payment intents list their page without `sort` ({@link withoutSort}).
 */
export interface PageInfo {
  number: number;
  size: number;
  total_elements: number;
  total_pages: number;
  sort: null;
}

export function paginate<T>(items: readonly T[], number: number, size: number): { items: T[]; page: PageInfo } {
  const start = number * size;
  return {
    items: items.slice(start, start + size),
    page: { number, size, total_elements: items.length, total_pages: Math.ceil(items.length / size), sort: null },
  };
}

/** The page of Lean's payment-intents list, which records no `sort`. */
export function withoutSort({ sort: _sort, ...page }: PageInfo): Omit<PageInfo, 'sort'> {
  return page;
}
