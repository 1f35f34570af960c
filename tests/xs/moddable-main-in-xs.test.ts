/**
 * The device entry point (hal/moddable/main.ts) bundled as the device build bundles it, with Moddable's
 * modules replaced by fakes (tools/xs/moddable-bundle.ts), booting inside XS (covey-xs): it builds the
 * ports on "timer", "time", "preference", "flash", "http", "sntp", "wifi", "mc/config" and
 * "embedded:provider/builtin", the radio driver talks to the board's emulated chip through `device.io`, the
 * Hotspot starts and its status line reaches `trace`. The world: tools/xs/moddable-fakes/main-scenario.ts
 * (no TextEncoder, TextDecoder or crypto globals, the built-ins frozen as after a preload); HTTP goes to
 * the fake oracle on the Node side, which verifies what it stores. That world's `device.io` has no
 * Serial, so the console stays closed there; ./entries/moddable-mapper.ts adds one, for a T-Beam booting
 * as a mapper with its GPS on one UART and the USB console on another, and ./entries/moddable-provision.ts
 * one for a Heltec V2 with no settings that a host provisions over the console; that run is metered
 * against the XS budget (tools/xs/xs-meter.ts).
 */
import { fileURLToPath } from 'node:url';
import { fromHex, toHex } from '../../proofs/index.js';
import { bundleWithModdableFakes } from '../../tools/xs/moddable-bundle.js';
import { oracleAnswerer, XS_ORACLE_KEY } from '../../tools/xs/oracle-answerer.js';
import { analyseRun, XS_BUDGET, type XsScenarioFigures } from '../../tools/xs/xs-meter.js';
import { runScriptInXsHost, type XsHostRun } from '../../tools/xs/xs-host.js';
import type { FakeOracle } from '../../host-sim/oracle/fake-oracle.js';
import { recordsOf, storedOnce } from '../support/oracle-records.js';

const ENTRY = fileURLToPath(new URL('../../tools/xs/moddable-fakes/main-scenario-entry.ts', import.meta.url));
const MAPPER_ENTRY = fileURLToPath(new URL('./entries/moddable-mapper-entry.js', import.meta.url));
const PROVISION_ENTRY = fileURLToPath(new URL('./entries/moddable-provision-entry.js', import.meta.url));

interface Report {
  state: string;
  reason?: string;
  hotspot?: string;
  networkState?: string;
  deviceWallMs?: number;
  trueWallMs: number;
  lines: string[];
  timeSets: number[];
  timerDelays: number[];
  loraRailOn: boolean | null;
  wifiModes: number[];
  nvsKeys: string[];
  chipOpMode?: number;
  chipSpiTransactions?: number;
  frozenBuiltIns: number;
  errorPrototypeFrozen: boolean;
  absentGlobals: string[];
}

interface Booted {
  readonly run: XsHostRun;
  readonly report: Report;
  readonly counters: Readonly<Record<string, number>>;
  readonly oracle: FakeOracle;
}

async function boot(args: Record<string, unknown>, entry = ENTRY): Promise<Booted> {
  const answerer = oracleAnswerer();
  const run = await runScriptInXsHost(await bundleWithModdableFakes(entry), {
    args: { oracleKey: toHex(XS_ORACLE_KEY), ...args },
    answer: answerer.answer,
  });
  const counters = run.turns.length > 0 ? (run.turns[run.turns.length - 1].counters ?? {}) : (run.start?.counters ?? {});
  return { run, report: run.report as unknown as Report, counters, oracle: answerer.oracle };
}

const withMessage = (report: Report, prefix: string) => report.lines.filter((line) => line.startsWith(prefix));

describe('Heltec V2, provisioned, access point in reach (6 minutes)', () => {
  let booted: Booted;
  beforeAll(async () => {
    booted = await boot({ board: 'heltec_v2', minutes: 6 });
  });

  test('boots to a running hotspot for the board mc/config names', () => {
    expect(booted.report.state).toBe('running');
    expect(withMessage(booted.report, 'info covey booting ')).toEqual(['info covey booting board=heltec_v2 partition=covey\n']);
    expect(withMessage(booted.report, 'info hotspot started ')).toHaveLength(1);
  });

  test('the SX1276 answers through device.io and is left receiving LoRa (RegOpMode 0x85)', () => {
    expect(booted.report.chipSpiTransactions).toBeGreaterThan(0);
    expect(booted.report.chipOpMode).toBe(0x85);
  });

  test('the status line is logged every minute through trace, one line each', () => {
    const status = withMessage(booted.report, 'info status ');
    expect(status).toHaveLength(6);
    expect(status[0]).toMatch(/^info status up=1m00s clock=ok .* recoveries=0\n$/);
    expect(booted.report.lines.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
  });

  test('SNTP set the clock once, to within a second of the true time', () => {
    expect(booted.report.timeSets).toHaveLength(1);
    const lag = booted.report.trueWallMs - (booted.report.deviceWallMs as number);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(1000);
  });

  test('the key was made on first boot and stored in NVS with the settings', () => {
    expect(booted.report.nvsKeys).toEqual(expect.arrayContaining(['settings', 'seed', 'beaconEpoch']));
  });

  test('beacons went on air and their reports reached the oracle over the HTTP adapter, signatures verifying', () => {
    const key = booted.report.hotspot as string;
    const records = recordsOf(booted.oracle, fromHex(key));
    expect(booted.oracle.hotspots.get(key)).toMatchObject({ region: 'EU868' });
    expect(booted.counters.beaconsSent).toBeGreaterThanOrEqual(2);
    expect(records.reports).toHaveLength(booted.counters.beaconsSent);
    expect(records).toMatchObject({ other: 0, badSignatures: 0 });
    expect(storedOnce(booted.oracle)).toBe(true);
  });

  test('the neighbour\'s beacons were heard by the device radio, witnessed, and the receipts uploaded', () => {
    expect(booted.counters.neighbourBeaconsSent).toBe(2);
    expect(booted.counters).toMatchObject({ framesHeard: 2, receiptsMade: 2, noTime: 0 });
    expect(recordsOf(booted.oracle, fromHex(booted.report.hotspot as string)).receipts).toHaveLength(2);
  });

  test('it ran with no TextEncoder, TextDecoder or crypto global and with the built-ins frozen', () => {
    expect(booted.report.absentGlobals).toEqual(expect.arrayContaining(['TextEncoder', 'TextDecoder', 'crypto']));
    expect(booted.report.errorPrototypeFrozen).toBe(true);
    expect(booted.report.frozenBuiltIns).toBeGreaterThan(30);
  });

  test('nothing was logged at error level', () => {
    expect(booted.report.lines.filter((line) => line.startsWith('error '))).toEqual([]);
  });

  test('with no Serial in this world\'s device.io, the console stays closed and says so', () => {
    expect(withMessage(booted.report, 'warn no serial console')).toHaveLength(1);
  });
});

describe('Wi-Fi configured but the access point absent', () => {
  let booted: Booted;
  beforeAll(async () => {
    booted = await boot({ board: 'heltec_v2', minutes: 6, accessPoint: false });
  });

  test('the hotspot still starts and keeps logging its status, with the clock unset', () => {
    expect(booted.report.state).toBe('running');
    const status = withMessage(booted.report, 'info status ');
    expect(status).toHaveLength(6);
    expect(status.every((line) => line.includes(' clock=unset '))).toBe(true);
  });

  test('it keeps listening: the neighbour\'s beacons are heard and counted as undatable', () => {
    expect(booted.counters).toMatchObject({ framesHeard: 2, noTime: 2, receiptsMade: 0 });
  });

  test('Wi-Fi is retried in the background with growing waits, and nothing is sent', () => {
    expect(booted.counters.wifiAttempts).toBeGreaterThanOrEqual(5);
    expect(booted.report.networkState).toBe('connecting');
    expect(booted.counters.httpRequests).toBe(0);
    const waits = withMessage(booted.report, 'warn Wi-Fi not connected').map((line) => Number(/retryInS=(\d+)/.exec(line)?.[1]));
    expect(waits.slice(0, 4)).toEqual([5, 10, 20, 40]);
  });
});

describe('not provisioned', () => {
  let booted: Booted;
  beforeAll(async () => {
    booted = await boot({ board: 'heltec_v2', minutes: 3, provisioned: false });
  });

  test('stays idle and says why, again every minute', () => {
    expect(booted.report.state).toBe('unprovisioned');
    const idle = withMessage(booted.report, 'warn not provisioned, idle ');
    expect(idle).toHaveLength(4);
    expect(idle[0]).toContain('no settings in NVS');
  });

  test('makes its key all the same, and logs only its public forms', () => {
    expect(withMessage(booted.report, 'info identity ')).toEqual([expect.stringMatching(/^info identity address=cv[a-z2-7]{55} short=[a-z2-7]{4}-[a-z2-7]{4} created=yes\n$/)]);
    expect(booted.report.nvsKeys).toEqual(['seed']);
  });

  test('touches no radio, and Wi-Fi only to put it in station mode (the RF the key draw needs), joining nothing', () => {
    expect(booted.report.chipSpiTransactions).toBe(0);
    expect(booted.report.wifiModes).toEqual([1]);
    expect(booted.counters.wifiAttempts).toBe(0);
  });
});

describe('T-Beam: the LoRa rail comes first', () => {
  let booted: Booted;
  beforeAll(async () => {
    booted = await boot({ board: 'tbeam_v1', minutes: 1, neighbourBeaconsAtMs: [] });
  });

  test('the AXP192 LDO2 rail is switched on, the radio waits 10 ms, then answers', () => {
    expect(booted.report.state).toBe('running');
    expect(booted.report.loraRailOn).toBe(true);
    expect(booted.report.timerDelays).toEqual([10]);
    expect(booted.report.chipOpMode).toBe(0x85);
  });
});

describe('T-Beam mapper with the USB console (9.5 minutes, no access point)', () => {
  interface MapperReport extends Report {
    consoleLines: string[];
    consoleRefusals: number;
    consolesOpened: number;
    gpsEpochs: number;
  }
  let report: MapperReport;
  beforeAll(async () => {
    report = (await boot({ minutes: 9.5, accessPoint: false, neighbourBeaconsAtMs: [], walkLogAtMs: 510_000 }, MAPPER_ENTRY)).report as MapperReport;
  });

  const consoleLines = (prefix: string) => report.consoleLines.filter((line) => line.startsWith(prefix));

  test('opens the console on port 0 at boot and boots as a mapper; from then on log lines leave through it', () => {
    expect(report.state).toBe('running');
    expect(report.consolesOpened).toBe(1);
    expect(report.consoleLines[0]).toBe('info serial console open port=0');
    expect(consoleLines('info hotspot started ')[0]).toContain(' role=mapper ');
    expect(withMessage(report, 'info hotspot started ')).toEqual([]);
    expect(withMessage(report, 'info status ')).toEqual([]);
    expect(consoleLines('info status ')).toHaveLength(9);
  });

  test('the GPS emulator\'s fixes reach the mapper through the NMEA driver, and it sends uplinks', () => {
    expect(report.gpsEpochs).toBeGreaterThanOrEqual(560);
    const uplinks = Number(/ uplinks=(\d+) /.exec(consoleLines('info status ')[1])?.[1]);
    expect(uplinks).toBeGreaterThanOrEqual(2);
  });

  test('`covey walk-log` typed in pieces gets one line per queued report, then the count, each line whole', () => {
    const reports = consoleLines('covey-walk ');
    const end = consoleLines('covey-walk-end ');
    expect(end).toEqual([`covey-walk-end ${reports.length}`]);
    expect(reports.length).toBeGreaterThanOrEqual(9); // more than the 4 KB ring holds: taken as the ring drained
    expect(reports.every((line) => /^covey-walk [0-9a-f]{402}$/.test(line))).toBe(true);
    // The answer came at 8m30s: at least the reports queued by the 8m00s status line, at most those of the 9m00s one.
    const [before, after] = consoleLines('info status ').slice(7).map((line) => Number(/ queue=(\d+) /.exec(line)?.[1]));
    expect(reports.length).toBeGreaterThanOrEqual(before);
    expect(reports.length).toBeLessThanOrEqual(after);
  });

  test('the console never offered the 128-byte FIFO more than it had room for', () => {
    expect(report.consoleRefusals).toBe(0);
  });

  test('every console line is a log line or part of the answer, and nothing was logged at error level', () => {
    expect(report.consoleLines.every((line) => /^(info|warn) /.test(line) || /^covey-walk(-end)? /.test(line))).toBe(true);
    expect(consoleLines('error ')).toEqual([]);
    expect(report.lines.filter((line) => line.startsWith('error '))).toEqual([]);
  });
});

describe('Heltec V2 provisioned over its console, then running (5 minutes)', () => {
  interface ProvisionReport extends Report {
    answers: string[];
    consoleRefusals: number;
    consolesOpened: number;
    settingsBytes: number;
  }
  let booted: Booted;
  let report: ProvisionReport;
  let figures: XsScenarioFigures;
  /** The same board provisioned before power-on (settings in NVS), over the same 5 minutes. */
  let atBoot: XsScenarioFigures;
  beforeAll(async () => {
    booted = await boot({ minutes: 5, provisionAtMs: 2_000 }, PROVISION_ENTRY);
    report = booted.report as ProvisionReport;
    figures = analyseRun(booted.run);
    atBoot = analyseRun((await boot({ board: 'heltec_v2', minutes: 5 })).run);
  });

  test('answers `covey id` while unprovisioned, then takes the settings in 72-byte pieces, stop and wait', () => {
    const [id, ...put] = report.answers;
    expect(id).toMatch(new RegExp(`^covey-id key=${report.hotspot} address=cv[a-z2-7]{55} short=\\S+ board=heltec_v2 state=unprovisioned attested=no$`));
    const pieces = Math.ceil(report.settingsBytes / 72);
    expect(put).toEqual([
      'covey-put ready name=settings',
      ...Array.from({ length: pieces }, (_, i) => `covey-put ok name=settings have=${Math.min(72 * (i + 1), report.settingsBytes)}`),
      `covey-put done name=settings bytes=${report.settingsBytes} restart=no`,
    ]);
    expect(report.consoleRefusals).toBe(0);
  });

  test('starts the hotspot on those settings without a restart, with the key made at first boot', () => {
    expect(report.state).toBe('running');
    expect(report.nvsKeys).toEqual(expect.arrayContaining(['seed', 'settings', 'beaconEpoch']));
    expect(booted.counters.beaconsSent).toBeGreaterThanOrEqual(2);
    expect(booted.counters).toMatchObject({ framesHeard: 2, receiptsMade: 2 });
    const records = recordsOf(booted.oracle, fromHex(report.hotspot as string));
    expect(records.reports).toHaveLength(booted.counters.beaconsSent);
    expect(records).toMatchObject({ other: 0, badSignatures: 0 });
  });

  test(`live objects stay within ${XS_BUDGET.maxLiveSlots} slots and ${XS_BUDGET.maxLiveChunkBytes} chunk bytes above the baseline`, () => {
    expect(figures.maxLiveSlots).toBeGreaterThan(0);
    expect(figures.maxLiveSlots).toBeLessThanOrEqual(XS_BUDGET.maxLiveSlots);
    expect(figures.maxLiveChunkBytes).toBeGreaterThan(0);
    expect(figures.maxLiveChunkBytes).toBeLessThanOrEqual(XS_BUDGET.maxLiveChunkBytes);
  });

  test(`device code stays within ${XS_BUDGET.stackPeakSlots} slots of stack from where it was entered`, () => {
    expect(figures.stackPeakAboveEntrySlots).toBeGreaterThan(0);
    expect(figures.stackPeakAboveEntrySlots).toBeLessThanOrEqual(XS_BUDGET.stackPeakSlots);
  });

  test('no deeper than the same device provisioned before power-on: the hotspot started from a timer turn costs no more stack', () => {
    // In both runs the peak is a turn that makes an HTTP request, which the fake client answers through
    // the host's hostCall on the same stack; the hotspot's start is shallower in both.
    expect(figures.stackPeakSlots).toBeLessThanOrEqual(atBoot.stackPeakSlots);
    expect(figures.stackPeakAboveEntrySlots).toBeLessThanOrEqual(atBoot.stackPeakAboveEntrySlots as number);
  });

  test('nothing was logged at error level', () => {
    expect(report.lines.filter((line) => line.startsWith('error '))).toEqual([]);
    expect(booted.counters.logLines).toBeGreaterThan(0);
  });
});
