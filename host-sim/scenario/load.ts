/**
 * Loads a scenario by name or path: a built-in name (builtins.ts) or a JSON file, checked and resolved
 * (resolve.ts). The only module of host-sim/scenario/ that touches the file system.
 */
import { readFileSync } from 'node:fs';
import { BUILT_IN_SCENARIOS } from './builtins.js';
import { ScenarioError } from './errors.js';
import { resolveScenario } from './resolve.js';
import type { Scenario, ScenarioOverrides } from './scenario.js';

/**
 * The scenario `nameOrPath` names: a built-in (`city`, `rural`, `grid`, `lorasim`) or, for anything else,
 * a JSON file at that path. Throws a ScenarioError listing every problem (a missing or unparsable file,
 * or each field in it that is wrong, with its JSON path).
 */
export function loadScenario(nameOrPath: string, overrides: ScenarioOverrides = {}): Scenario {
  const builtIn = Object.hasOwn(BUILT_IN_SCENARIOS, nameOrPath) ? BUILT_IN_SCENARIOS[nameOrPath] : undefined;
  if (builtIn !== undefined) return resolveScenario(builtIn, `built-in ${nameOrPath}`, overrides);
  return resolveScenario(readScenarioFile(nameOrPath), nameOrPath, overrides);
}

/** The parsed contents of a scenario file, or a ScenarioError saying why there are none. */
export function readScenarioFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const builtIns = Object.keys(BUILT_IN_SCENARIOS).join(', ');
    const why = code === 'ENOENT' ? `no such file, and not a built-in scenario (${builtIns})`
      : code === 'EISDIR' ? 'is a directory, not a scenario file' : (error as Error).message;
    throw new ScenarioError(path, [{ path: 'file', message: why }]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(path, [{ path: 'file', message: `not valid JSON: ${jsonErrorText(text, (error as Error).message)}` }]);
  }
}

/**
 * JSON.parse's complaint with the line and column it happened at. V8 names either a character offset
 * ("at position 57") or, in newer versions, the line and column already; an empty or truncated text has
 * neither and is said so.
 */
export function jsonErrorText(text: string, message: string): string {
  const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn !== null) return `line ${lineColumn[1]}, column ${lineColumn[2]}: ${reason}`;
  const position = /at position (\d+)/.exec(message);
  if (position === null) return text.trim() === '' ? 'the file is empty' : reason;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${reason}`;
}
