/**
 * The portable signer fits the device's memory: one signature leaves at most a few hundred XS slots
 * behind (the ESP32 slot heap is 4,928 slots), where noble's default base-point table would keep about
 * 19,500. Each figure comes from a fresh worker, with no signature made before its baseline.
 */
import { fileURLToPath } from 'node:url';
import { toHex } from '../../proofs/index.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { measureSignerMemory, measureXsSigner, PROBE_MESSAGE, PROBE_SEED } from '../../tools/xs/measure.js';

/** The budget for what signing may keep: a tenth of the ESP32's 4,928-slot heap. */
const MAX_RETAINED_SLOTS = 500;
const ESP32_SLOT_HEAP = 4_928;
const NOBLE_DEFAULT_ENTRY = fileURLToPath(new URL('./entries/noble-default-entry.ts', import.meta.url));

test(`one signature retains at most ${MAX_RETAINED_SLOTS} slots`, async () => {
  const memory = await measureSignerMemory();
  // The probe really signed: the same signature node:crypto makes.
  expect(toHex(memory.signature)).toBe(toHex(createHostSigner(PROBE_SEED).sign(PROBE_MESSAGE)));
  expect(memory.retainedSlots).toBeLessThanOrEqual(MAX_RETAINED_SLOTS);
});

test('loading the signer costs slots over an empty worker', async () => {
  const memory = await measureSignerMemory();
  expect(memory.emptySlots).toBeGreaterThan(0);
  expect(memory.importSlots).toBe(memory.loadedSlots - memory.emptySlots);
  expect(memory.importSlots).toBeGreaterThan(0);
});

test("the probe sees noble's default base-point table (control)", async () => {
  const memory = await measureSignerMemory(NOBLE_DEFAULT_ENTRY);
  expect(toHex(memory.signature)).toBe(toHex(createHostSigner(PROBE_SEED).sign(PROBE_MESSAGE)));
  expect(memory.retainedSlots).toBeGreaterThan(ESP32_SLOT_HEAP);
});

test('the benchmark figures are measured', async () => {
  const figures = await measureXsSigner(2);
  expect(figures.xsSignRetainedSlots).toBeLessThanOrEqual(MAX_RETAINED_SLOTS);
  expect(figures.xsSignerImportSlots).toBeGreaterThan(0);
  expect(figures.xsSignMs).toBeGreaterThan(0);
  expect(figures.xsVerifyMs).toBeGreaterThan(0);
});
