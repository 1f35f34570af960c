/** The one error a scenario that cannot be run raises, with every problem found in it. */
import { formatProblem, type ScenarioProblem } from './check.js';

export class ScenarioError extends Error {
  /** Where the scenario came from ('built-in city', a path), as the message names it. */
  readonly source: string;
  readonly problems: readonly ScenarioProblem[];

  constructor(source: string, problems: readonly ScenarioProblem[]) {
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    super(`scenario ${source} has ${count}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.source = source;
    this.problems = problems;
  }

  // A getter, as the other named errors have it (proofs/errors.ts).
  override get name(): string {
    return 'ScenarioError';
  }
}
