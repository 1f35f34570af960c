/**
 * Drives a MeteredScenario in Node the way covey-xs drives it in XS: prepare, start, then turns, letting
 * promise callbacks run after each. Tests compare the two runs (the same counters, the same receipts).
 * Host code.
 */
import type { MeteredScenario, ScenarioArgs } from './scenarios/metered-scenario.js';

export interface NodeScenarioRun {
  readonly turns: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly report: Readonly<Record<string, unknown>> | undefined;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runScenarioInNode(scenario: MeteredScenario, args: ScenarioArgs, maxTurns = 1_000_000): Promise<NodeScenarioRun> {
  scenario.prepare(args);
  scenario.start();
  await settle();
  let turns = 0;
  let more = true;
  while (more && turns < maxTurns) {
    more = scenario.turn();
    turns++;
    await settle();
  }
  return { turns, counters: scenario.counters(), report: scenario.report?.() };
}
