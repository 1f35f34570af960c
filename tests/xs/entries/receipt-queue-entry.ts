/**
 * XS entry for tests/xs/receipt-queue-in-xs.test.ts: the receipt queue on the simulated flash inside XS,
 * for the scripted run and for a memory probe that keeps one flash and one queue alive between commands
 * so that the host can read the live slot count after a gc().
 */
import { SimFlash } from '../../../host-sim/ports/flash.js';
import { ReceiptQueue } from '../../../src/receipt-queue.js';
import { serveCommands } from '../../../tools/xs/entries/serve.js';
import { openFilledQueue, runQueueScript, type QueueScript } from './receipt-queue-script.js';

/** What the memory probe keeps alive between commands (this entry serves one test file). */
const held: { flash?: SimFlash; queue?: ReceiptQueue } = {};

serveCommands({
  run: (args) => runQueueScript(args.script as QueueScript),
  makeFlash: (args) => {
    held.flash = new SimFlash({ size: Number(args.size), sectorSize: 4096 });
    held.queue = undefined;
    return held.flash.size;
  },
  openQueue: (args) => {
    held.queue = openFilledQueue(held.flash!, Number(args.records), Number(args.recordBytes));
    return held.queue.size;
  },
  peekAndRemove: (args) => {
    const batch = held.queue!.peek(Number(args.limit));
    held.queue!.remove(batch.map((record) => record.seq));
    return held.queue!.size;
  },
  remount: () => {
    held.flash = held.flash!.reboot();
    held.queue = new ReceiptQueue(held.flash);
    return held.queue.size;
  },
  drop: () => {
    held.flash = undefined;
    held.queue = undefined;
    return true;
  },
});
