/**
 * A worker thread of the prepare pool (prepare-pool.ts): decodes upload batches and checks their
 * signatures, the part of ingest that takes CPU, and posts the result back.
 */
import { parentPort } from 'node:worker_threads';
import { fastestVerifier } from '../crypto/native-ed25519.js';
import { prepareBatch } from './ingest-prepare.js';
import { packBatch } from './prepared-wire.js';

const verifier = fastestVerifier();

parentPort?.on('message', (message: { id: number; body: Uint8Array }) => {
  try {
    const { packed, transfer } = packBatch(prepareBatch(message.body, verifier));
    parentPort?.postMessage({ id: message.id, packed }, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
