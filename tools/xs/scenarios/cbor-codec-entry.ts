/**
 * covey-xs entry that loads only the protocol's CBOR codec (proofs/cbor.ts over cbor-x) and keeps it
 * reachable without running it: its load cost is what a device would hold in RAM for the codec if it
 * cannot be preloaded into flash (moddable.md §5: cbor-x's top level constructs a TextDecoder).
 */
import { decodeCbor, encodeCbor } from '../../../proofs/cbor.js';

(globalThis as { coveyCbor?: unknown }).coveyCbor = { decodeCbor, encodeCbor };
