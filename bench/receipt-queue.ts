/**
 * Receipt queue figures on a 64 KB region of 4 KB sectors (the data partition a device would give it),
 * with 106-byte records (a witness receipt inside a batch, docs/protocol.md §4.4):
 * - capacity: records held once the ring is full, and what each record costs on flash;
 * - wear, from two long runs: online (an uploader acknowledging batches promptly) and a long outage (no
 *   acknowledgements, so the ring wraps and drops the oldest): erases per sector per 1,000 records, and
 *   programs and bytes programmed per record;
 * - mount: Node milliseconds and flash bytes read to mount a full region;
 * - RAM: live XS slots the queue holds (after a gc) with 1 and with a full region of records, and the
 *   XS computrons of one mount of a full region.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { SimFlash } from '../host-sim/ports/flash.js';
import { SeededRng } from '../host-sim/ports/seeded-rng.js';
import { ReceiptQueue } from '../src/receipt-queue.js';
import { withXsWorker } from '../tools/xs/xs-runner.js';

const SECTOR = 4096;
const SECTORS = 16;
const RECORD_BYTES = 106;
const RUN_RECORDS = 20_000;

type Figures = Record<string, number | string>;

function region(): SimFlash {
  return new SimFlash({ size: SECTORS * SECTOR, sectorSize: SECTOR });
}

/** Appends RUN_RECORDS records; `ackEvery` > 0 acknowledges a batch of up to 20 every that many appends. */
function longRun(ackEvery: number): { flash: SimFlash; queue: ReceiptQueue } {
  const flash = region();
  const queue = new ReceiptQueue(flash);
  const rng = new SeededRng(3);
  for (let i = 1; i <= RUN_RECORDS; i++) {
    queue.append(rng.bytes(RECORD_BYTES));
    if (ackEvery > 0 && i % ackEvery === 0) queue.remove(queue.peek(20).map((record) => record.seq));
  }
  return { flash, queue };
}

function wearFigures(name: string, flash: SimFlash, queue: ReceiptQueue): Figures {
  const erases = [...flash.erasesPerSector()];
  const perThousand = (n: number) => Number(((n * 1000) / RUN_RECORDS).toFixed(3));
  const { programs } = flash.counters;
  return {
    [`${name}ErasesPerSectorPer1000Records`]: perThousand(erases.reduce((a, b) => a + b, 0) / erases.length),
    [`${name}MaxErasesPerSectorPer1000Records`]: perThousand(Math.max(...erases)),
    [`${name}MinErasesPerSectorPer1000Records`]: perThousand(Math.min(...erases)),
    [`${name}ProgramsPerRecord`]: Number((programs / RUN_RECORDS).toFixed(3)),
    [`${name}DroppedOldest`]: queue.stats.droppedOldest,
  };
}

function capacityFigures(): Figures {
  const flash = region();
  const queue = new ReceiptQueue(flash);
  const rng = new SeededRng(4);
  while (queue.stats.droppedOldest === 0) queue.append(rng.bytes(RECORD_BYTES));
  const heldWhenFull = queue.size;
  const reads = flash.counters.bytesRead;
  const started = performance.now();
  const mounted = new ReceiptQueue(flash.reboot());
  const mountMs = performance.now() - started;
  return {
    regionBytes: SECTORS * SECTOR,
    recordBytes: RECORD_BYTES,
    recordsPerSector: Math.floor((SECTOR - 20) / ((16 + RECORD_BYTES + 3) & ~3)),
    recordsHeldWhenFull: heldWhenFull,
    recordsAfterMount: mounted.size,
    mountFullRegionMs: Number(mountMs.toFixed(2)),
    mountFullRegionBytesRead: flash.counters.bytesRead - reads,
  };
}

async function xsFigures(): Promise<Figures> {
  const entry = fileURLToPath(new URL('../tests/xs/entries/receipt-queue-entry.ts', import.meta.url));
  return withXsWorker(
    async (worker) => {
      await worker.load(entry);
      const slots = async (records: number) => {
        await worker.call('makeFlash', { size: SECTORS * SECTOR });
        const base = (await worker.collectGarbage()).currentHeapCount;
        const { meter } = await worker.call('openQueue', { records, recordBytes: RECORD_BYTES });
        const held = (await worker.collectGarbage()).currentHeapCount - base;
        const { meter: mount } = await worker.call('remount');
        await worker.call('drop');
        return { held, appendCompute: meter.compute / Math.max(records, 1), mountCompute: mount.compute };
      };
      const one = await slots(1);
      const full = await slots(480);
      return {
        xsQueueSlotsWith1Record: one.held,
        xsQueueSlotsWith480Records: full.held,
        xsAppendComputePerRecord: Math.round(full.appendCompute),
        xsMountFullRegionCompute: full.mountCompute,
      };
    },
    { name: 'covey-bench-receipt-queue' },
  );
}

export async function runReceiptQueueBench(): Promise<Figures> {
  const online = longRun(5);
  const outage = longRun(0);
  return {
    ...capacityFigures(),
    ...wearFigures('online', online.flash, online.queue),
    ...wearFigures('outage', outage.flash, outage.queue),
    ...(await xsFigures()),
  };
}
