/**
 * The simulated oracle's verifier as the main thread drives it while the database is on its own thread
 * (store-thread.ts has the why).
 */
import { Repeating } from '../../tools/oracle/clock.js';
import type { UploadedItem } from '../../tools/oracle/model.js';
import type { OracleStore } from '../../tools/oracle/store/store.js';
import { VerifierRunner, type OracleJudge, type RunResult, type VerifierRunnerOptions } from '../../tools/oracle/verifier/runner.js';
import type { StoreThread } from './store-thread.js';

/**
 * The oracle's verifier, run by the worker: its timer stays on the main thread's clock, and each tick
 * sends the virtual time of the run. Items reach the worker's verifier through the worker's own inserts,
 * so admit() has nothing to do here until takeOver() brings the verifier to this thread.
 */
export class RemoteJudge implements OracleJudge {
  private remotePending = 0;
  private local: VerifierRunner | undefined;
  private readonly timer: Repeating;
  private busy: Promise<unknown> | undefined;

  constructor(private readonly thread: StoreThread, private readonly options: VerifierRunnerOptions) {
    thread.post({ op: 'judge', config: options.config });
    // The next run is timed from this one's start: it happens on the worker, and nothing here waits for
    // it, so it is held with the items until they are sent (settled() sends it if someone does wait).
    this.timer = new Repeating(options.clock, options.config.verifyEveryMs, (again) => {
      const nowMs = options.clock.wallMs();
      this.runRemote(nowMs, nowMs, false).catch((error: unknown) => options.onError?.(error));
      again();
    });
  }

  admit(items: readonly UploadedItem[]): void {
    this.local?.admit(items);
  }

  /** From now on, runs a VerifierRunner over `store` here; it loads what is pending from the store. */
  takeOver(store: OracleStore): void {
    this.local ??= new VerifierRunner({ ...this.options, store });
  }

  runOnce(nowMs = this.options.clock.wallMs(), closeAtMs = nowMs): Promise<RunResult> {
    return this.runRemote(nowMs, closeAtMs, true);
  }

  private runRemote(nowMs: number, closeAtMs: number, now: boolean): Promise<RunResult> {
    if (this.local !== undefined) return this.local.runOnce(nowMs, closeAtMs);
    const message = { op: 'run', nowMs, closeAtMs } as const;
    type Answer = { result: RunResult; pendingCount: number };
    const run = (now ? this.thread.request<Answer>(message) : this.thread.requestLater<Answer>(message)).then(({ result, pendingCount }) => {
      this.remotePending = pendingCount;
      if (result.judged > 0 || result.closedEpochs.length > 0) this.options.onRun?.(result);
      return result;
    });
    this.busy = run.catch(() => undefined);
    return run;
  }

  start(): void {
    this.timer.start();
  }

  stop(): void {
    this.timer.stop();
  }

  get pendingCount(): number {
    return this.local?.pendingCount ?? this.remotePending;
  }

  async settled(): Promise<void> {
    if (this.local === undefined) this.thread.sendHeld();
    await this.busy;
    await this.local?.settled();
  }
}
