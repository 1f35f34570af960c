/**
 * Heavy work starts from the bottom of the stack (src/fresh-stack.ts): the helpers defer to a promise job
 * of their own, and the Hotspot hands received packets to the witness only after the radio driver's
 * callback has returned.
 */
import { createPortableSigner, PortableVerifier } from '../../proofs/ed25519-portable.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { MemoryKeyValue } from '../../host-sim/ports/memory-key-value.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { freshStack, onFreshStack } from '../../src/fresh-stack.js';
import { Hotspot } from '../../src/hotspot.js';
import type { Radio, RadioPacket } from '../../src/ports.js';
import { parseSettings } from '../../src/settings.js';
import { FakeOracle, ORACLE_URL } from '../support/fake-oracle.js';
import { memoryLog, settle } from '../support/test-ports.js';
import { beaconFrom, packetOf } from '../support/witness-rig.js';

test('onFreshStack calls the handler after its caller returns, once per call, in order', async () => {
  const calls: number[] = [];
  const handler = onFreshStack((n: number) => calls.push(n));
  handler(1);
  handler(2);
  expect(calls).toEqual([]);
  await settle();
  expect(calls).toEqual([1, 2]);
});

test('an async function resumes after freshStack in a later job, its callers no longer running', async () => {
  const order: string[] = [];
  const inner = async () => {
    order.push('inner starts');
    await freshStack();
    order.push('inner resumes');
  };
  const outer = async () => {
    const done = inner();
    order.push('outer continues');
    await done;
  };
  await outer();
  expect(order).toEqual(['inner starts', 'outer continues', 'inner resumes']);
});

/** A radio that only remembers its receive handler. */
function stubRadio(): Radio & { deliver(packet: RadioPacket): void } {
  let onPacket: ((packet: RadioPacket) => void) | undefined;
  return {
    chip: 'stub',
    stats: { txPackets: 0, rxPackets: 0, crcErrors: 0, recoveries: 0, spiTransactions: 0 },
    configure: () => undefined,
    transmit: () => Promise.resolve(),
    receive: (handler) => {
      onPacket = handler;
    },
    rssi: () => -120,
    detectActivity: () => Promise.resolve(false),
    sleep: () => undefined,
    close: () => undefined,
    deliver: (packet) => onPacket?.(packet),
  };
}

test('the hotspot witnesses a received beacon once the radio driver\'s callback has returned', async () => {
  const clock = new VirtualClock(0, Date.UTC(2026, 2, 1));
  const oracle = new FakeOracle({ clock });
  const radio = stubRadio();
  const hotspot = new Hotspot({
    ports: {
      radio, clock, flash: new SimFlash({ size: 2 * 4096 }), kv: new MemoryKeyValue(), http: oracle, rng: new SeededRng(7),
      log: memoryLog(), verifier: new PortableVerifier(), createSigner: createPortableSigner,
    },
    settings: parseSettings({ region: 'EU868', oracleUrl: ORACLE_URL, oraclePublicKey: oracle.signer.publicKey, statusIntervalMs: 0 }),
  });
  hotspot.start();
  radio.deliver(packetOf(beaconFrom('neighbour')));
  expect(hotspot.status().frames.heard).toBe(0);
  await settle();
  expect(hotspot.status().frames).toMatchObject({ heard: 1, receipts: 1 });
  hotspot.stop();
});
