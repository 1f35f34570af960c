/**
 * Number formatting shared by the HTML page and the summary table. Deterministic on every machine: no
 * locale, always `,` between thousands and `.` before decimals, `—` for a value that is not a number.
 */

const MISSING = '—';

/** A whole count with thousands separators: 12345 → "12,345". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return MISSING;
  return groupThousands(Math.round(value).toString());
}

/** A number with `digits` decimals and thousands separators: (1234.5, 1) → "1,234.5". */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return MISSING;
  const [whole, fraction] = value.toFixed(digits).split('.');
  const grouped = groupThousands(whole);
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** `part` as a percentage of `whole`, e.g. "98.0 %"; `—` when `whole` is 0. */
export function formatShare(part: number, whole: number, digits = 1): string {
  if (whole === 0) return MISSING;
  return `${formatFixed((100 * part) / whole, digits)} %`;
}

/** A duration given in seconds, to the most readable unit: "950 ms", "42.3 s", "3 min 5 s", "2 h 04 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return MISSING;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${formatFixed(seconds, 1)} s`;
  const total = Math.round(seconds);
  if (total < 3600) return `${Math.floor(total / 60)} min ${total % 60} s`;
  const minutes = Math.floor((total % 3600) / 60);
  return `${formatCount(Math.floor(total / 3600))} h ${String(minutes).padStart(2, '0')} min`;
}

function groupThousands(digits: string): string {
  const negative = digits.startsWith('-');
  const bare = negative ? digits.slice(1) : digits;
  const grouped = bare.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `−${grouped}` : grouped;
}
