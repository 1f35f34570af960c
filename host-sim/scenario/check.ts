/**
 * The small checks the scenario validator is built from. Each records a problem at a JSON path
 * (`nodes[3].lat`) and carries on, so that one pass over a file reports everything wrong with it.
 */

/** One thing wrong with a scenario: where (`nodes[3].lat`, `scenario` for the whole file) and what. */
export interface ScenarioProblem {
  readonly path: string;
  readonly message: string;
}

export type Json = Readonly<Record<string, unknown>>;

/** `nodes[3].lat: must be a number from -90 to 90`. */
export function formatProblem(problem: ScenarioProblem): string {
  return `${problem.path}: ${problem.message}`;
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** What a JSON value is, in the words an error message needs. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return String(value);
}

/** Levenshtein distance, for "did you mean" on misspelt keys and values. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The closest of `candidates` to a misspelt `word`, if one is close enough to be what was meant: a few
 * edits away, or else the start of it ("latitude" for `lat`).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const lower = word.toLowerCase();
  return best ?? candidates.find((candidate) => candidate.length >= 3 && lower.startsWith(candidate.toLowerCase()));
}

export interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  /** The value must be above `min`, not equal to it. */
  readonly exclusiveMin?: boolean;
  readonly integer?: boolean;
}

function numberRuleText(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const { min, max } = rule;
  if (min !== undefined && max !== undefined) {
    return rule.exclusiveMin ? `${kind} above ${min} and at most ${max}` : `${kind} from ${min} to ${max}`;
  }
  if (min !== undefined) return rule.exclusiveMin ? `${kind} above ${min}` : `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

/** Collects problems while a file is walked. */
export class Checker {
  readonly problems: ScenarioProblem[] = [];

  add(path: string, message: string): void {
    this.problems.push({ path: path === '' ? 'scenario' : path, message });
  }

  /**
   * True if `value` is a JSON object; reports every key not in `allowed` (with a suggestion) and every key
   * of `required` that is missing.
   */
  object(value: unknown, path: string, allowed: readonly string[], required: readonly string[] = []): value is Json {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.add(path, `must be an object, got ${describeValue(value)}`);
      return false;
    }
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const guess = closest(key, allowed);
      this.add(childPath(path, key), guess === undefined ? `unknown key (allowed: ${allowed.join(', ')})` : `unknown key; did you mean ${guess}?`);
    }
    for (const key of required) {
      if ((value as Json)[key] === undefined) this.add(childPath(path, key), 'is required');
    }
    return true;
  }

  /** True if `value` is a finite number within `rule`. */
  number(value: unknown, path: string, rule: NumberRule = {}): value is number {
    const ok =
      typeof value === 'number' && Number.isFinite(value) && (!rule.integer || Number.isSafeInteger(value)) &&
      (rule.min === undefined || (rule.exclusiveMin ? value > rule.min : value >= rule.min)) &&
      (rule.max === undefined || value <= rule.max);
    if (!ok) this.add(path, `must be ${numberRuleText(rule)}, got ${describeValue(value)}`);
    return ok;
  }

  /** True if `value` is a string matching `pattern` (when given); `what` says what the pattern means. */
  string(value: unknown, path: string, pattern?: RegExp, what?: string): value is string {
    if (typeof value !== 'string') {
      this.add(path, `must be a string, got ${describeValue(value)}`);
      return false;
    }
    if (pattern !== undefined && !pattern.test(value)) {
      this.add(path, `must be ${what ?? `text matching ${pattern.source}`}, got ${describeValue(value)}`);
      return false;
    }
    return true;
  }

  /** True if `value` is one of `options`. */
  oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): value is T {
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return true;
    const guess = typeof value === 'string' ? closest(value, options) : undefined;
    this.add(path, `must be one of ${options.join(', ')}, got ${describeValue(value)}${guess === undefined ? '' : `; did you mean ${guess}?`}`);
    return false;
  }

  /** True if `value` is a list with at least `minItems` entries. */
  list(value: unknown, path: string, minItems = 0): value is readonly unknown[] {
    if (!Array.isArray(value)) {
      this.add(path, `must be a list, got ${describeValue(value)}`);
      return false;
    }
    if (value.length < minItems) {
      this.add(path, `must list at least ${minItems} ${minItems === 1 ? 'entry' : 'entries'}, got ${value.length}`);
      return false;
    }
    return true;
  }

  /** Checks `{ lat, lon }`. */
  latLon(value: unknown, path: string): boolean {
    if (!this.object(value, path, ['lat', 'lon'], ['lat', 'lon'])) return false;
    const lat = value.lat === undefined || this.number(value.lat, childPath(path, 'lat'), { min: -90, max: 90 });
    const lon = value.lon === undefined || this.number(value.lon, childPath(path, 'lon'), { min: -180, max: 180 });
    return lat && lon && value.lat !== undefined && value.lon !== undefined;
  }
}
