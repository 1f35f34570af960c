/**
 * The factory self-test: runs the items in order (report.ts, SELFTEST_ITEMS), writes one line per item as
 * soon as it is known and then the end line, and returns the summary. Everything it touches comes in
 * as parts, opened on demand and closed again, so the same code runs on the device (hal/moddable/
 * selftest.ts opens Moddable's modules) and against the emulated chips (tests/selftest/).
 *
 * A part that throws makes its item FAIL with the error's message; nothing thrown reaches the caller.
 * Each item runs from a fresh stack (src/fresh-stack.ts). The spi item needs a chip that answers: after
 * a radio FAIL it is SKIPped, so that one fault gives one FAIL line (the end line is FAIL anyway).
 */
import { freshStack } from '../runtime.js';
import type { Flash, KeyValue, Rng, Signer, Verifier } from '../../src/ports.js';
import { checkFlash } from './flash-check.js';
import { checkGps, GPS_WAIT_MS, type GpsSource } from './gps-check.js';
import { checkKey } from './key-check.js';
import type { RadioProbe } from './radio-probe.js';
import { type CheckResult, endLine, fail, itemLine, messageOf, type SelftestItem, type SelftestSummary, skip, summarize, type Verdict } from './report.js';
import { checkRng } from './rng-check.js';

export interface SelftestParts {
  /** The board id, for the end line. */
  readonly board: string;
  /** Opens the radio chip's bus (hal/selftest/radio-probe.ts), after powering it if need be. */
  readonly openRadio: () => RadioProbe;
  /** Opens the receipt partition. */
  readonly openFlash: () => Flash;
  readonly kv: KeyValue;
  readonly createSigner: (seed: Uint8Array) => Signer;
  readonly verifier: Verifier;
  readonly rng: Rng;
  /** Powers and opens the GPS; undefined on a board without one (the item is then SKIPped). */
  readonly openGps?: () => GpsSource & { close(): void };
  /** Resolves after `ms`; the event loop runs meanwhile (the GPS UART's bytes arrive). */
  readonly sleep: (ms: number) => Promise<void>;
  /** How long the gps item waits for sentences, ms. Default GPS_WAIT_MS. */
  readonly gpsWaitMs?: number;
}

export interface SelftestOutcome extends SelftestSummary {
  /** The device's public key, 64 hex digits, when the key item found one. */
  readonly key: string | undefined;
}

function guarded(check: () => CheckResult): CheckResult {
  try {
    return check();
  } catch (error) {
    return fail(messageOf(error));
  }
}

function closeQuietly(part: { close(): void } | undefined): void {
  try {
    part?.close();
  } catch {
    // The item's verdict stands; closing is best effort.
  }
}

function radioItems(parts: SelftestParts): [CheckResult, CheckResult] {
  let probe: RadioProbe;
  try {
    probe = parts.openRadio();
  } catch (error) {
    return [fail(`the radio's SPI and pins did not open: ${messageOf(error)}`), skip('the radio did not answer')];
  }
  try {
    const radio = guarded(() => probe.present());
    const spi = radio.verdict === 'PASS' ? guarded(() => probe.spi()) : skip('the radio did not answer');
    return [radio, spi];
  } finally {
    closeQuietly(probe);
  }
}

function flashItem(parts: SelftestParts): CheckResult {
  let flash: Flash;
  try {
    flash = parts.openFlash();
  } catch (error) {
    return fail(`the receipt partition did not open: ${messageOf(error)}`);
  }
  return guarded(() => checkFlash(flash));
}

async function gpsItem(parts: SelftestParts): Promise<CheckResult> {
  if (parts.openGps === undefined) return skip('this board has no GPS');
  let gps: (GpsSource & { close(): void }) | undefined;
  try {
    gps = parts.openGps();
    return await checkGps(gps, parts.sleep, parts.gpsWaitMs ?? GPS_WAIT_MS);
  } catch (error) {
    return fail(gps === undefined ? `the GPS did not open: ${messageOf(error)}` : messageOf(error));
  } finally {
    closeQuietly(gps);
  }
}

export async function runSelftest(parts: SelftestParts, write: (line: string) => void): Promise<SelftestOutcome> {
  const verdicts: Verdict[] = [];
  const report = (item: SelftestItem, result: CheckResult): void => {
    verdicts.push(result.verdict);
    write(itemLine(item, result));
  };
  // Each item starts from a fresh stack (src/fresh-stack.ts): the key item's signature alone takes about
  // 250 of the device's 512 stack slots, and the others hold driver and emulator frames.
  await freshStack();
  const [radio, spi] = radioItems(parts);
  report('radio', radio);
  report('spi', spi);
  await freshStack();
  report('flash', flashItem(parts));
  await freshStack();
  let key: string | undefined;
  report('key', guarded(() => {
    const found = checkKey(parts.kv, parts.createSigner, parts.verifier);
    key = found.publicKey;
    return found.result;
  }));
  await freshStack();
  report('rng', guarded(() => checkRng(parts.rng)));
  await freshStack();
  report('gps', await gpsItem(parts));
  const summary = summarize(verdicts);
  write(endLine(summary, parts.board, key));
  return { ...summary, key };
}
