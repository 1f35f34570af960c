/**
 * Preloaded (`node --import`) into each simulator run the bench starts: when the process exits, writes
 * its peak resident memory in MiB to the file named by COVEY_PEAK_RSS_FILE. The run's own figure
 * (`run.peakRssMb`) is read before the report is written; this one covers the whole process, writing
 * the report included.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { isMainThread } from 'node:worker_threads';

const file = process.env.COVEY_PEAK_RSS_FILE;
if (isMainThread && file) {
  process.on('exit', () => writeFileSync(file, `${Math.round(process.resourceUsage().maxRSS / 1024)}\n`));
}
