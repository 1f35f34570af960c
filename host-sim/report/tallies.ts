/** Sums over the report's by-reason counts, shared by the HTML page and the summary table. */

/** The sum of a by-reason count. */
export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** By-reason counts merged, largest first (ties by name), for "top reasons". */
export function invalidReasons(
  ...kinds: readonly Readonly<Record<string, number>>[]
): { readonly reason: string; readonly count: number }[] {
  const totals = new Map<string, number>();
  for (const kind of kinds) {
    for (const [reason, count] of Object.entries(kind)) totals.set(reason, (totals.get(reason) ?? 0) + count);
  }
  return [...totals]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}
