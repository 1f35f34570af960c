/**
 * covey-xs entry that loads only the protocol's CBOR codec (proofs/cbor.ts and proofs/cbor-subset.ts)
 * and keeps it reachable without running it: its load cost is what a device would hold in RAM for the
 * codec if it could not be preloaded into flash (it can: its module bodies call nothing native).
 */
import { decodeCbor, encodeCbor } from '../../../proofs/cbor.js';

(globalThis as { coveyCbor?: unknown }).coveyCbor = { decodeCbor, encodeCbor };
