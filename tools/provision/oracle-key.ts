/**
 * Pinning the oracle's public key: the key a device will accept entropy under. It comes from the
 * oracle's `GET /v1/oracle` (tools/oracle/oracle.ts `describe`: { publicKey: 64 hex, address: "cv…" }),
 * or from the operator (`--oracle-key`). Given both, they must agree: a mismatch means the URL or the
 * key is wrong, and pinning either would leave a device that refuses every beacon it is sent.
 */
import { equalBytes, hotspotAddress, parseHotspotId } from '../../proofs/index.js';
import { ProvisionError } from './settings.js';

export type OracleKeySource = 'oracle' | 'given' | 'given and confirmed by the oracle';

export interface PinnedOracleKey {
  readonly publicKey: Uint8Array;
  readonly address: string;
  readonly source: OracleKeySource;
  /** Set when a given key could not be confirmed because the oracle did not answer. */
  readonly warning?: string;
}

export interface PinOptions {
  readonly oracleUrl: string;
  /** --oracle-key: "cv…" or 64 hex digits. */
  readonly given?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** Parses a key given as "cv…" or 64 hex digits; a ProvisionError naming the option otherwise. */
export function parseOracleKey(text: string, option = '--oracle-key'): Uint8Array {
  try {
    return parseHotspotId(text.trim());
  } catch (error) {
    throw new ProvisionError(`${option}: ${(error as Error).message}`);
  }
}

/** The key the oracle at `oracleUrl` publishes. */
export async function fetchOracleKey(oracleUrl: string, fetcher: typeof fetch = fetch, timeoutMs = 10_000): Promise<Uint8Array> {
  const url = `${oracleUrl.replace(/\/+$/, '')}/v1/oracle`;
  let response: Response;
  try {
    response = await fetcher(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new ProvisionError(`cannot reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (!response.ok) throw new ProvisionError(`${url} answered ${response.status}, not the oracle's description`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ProvisionError(`${url} did not answer JSON: is it a covey oracle?`);
  }
  const publicKey = (body as { publicKey?: unknown } | null)?.publicKey;
  if (typeof publicKey !== 'string' || !/^[0-9a-fA-F]{64}$/.test(publicKey)) {
    throw new ProvisionError(`${url} did not give a publicKey of 64 hex digits: is it a covey oracle?`);
  }
  return parseHotspotId(publicKey);
}

/**
 * The key to pin: fetched when none is given; when one is given it is checked against the oracle's
 * and refused if they differ. An oracle that cannot be reached to confirm a given key (a factory with
 * no network) leaves the given key pinned, with a warning.
 */
export async function pinOracleKey(options: PinOptions): Promise<PinnedOracleKey> {
  const pinned = (publicKey: Uint8Array, source: OracleKeySource, warning?: string): PinnedOracleKey =>
    ({ publicKey, address: hotspotAddress(publicKey), source, ...(warning === undefined ? {} : { warning }) });
  if (options.given === undefined) {
    return pinned(await fetchOracleKey(options.oracleUrl, options.fetch, options.timeoutMs), 'oracle');
  }
  const given = parseOracleKey(options.given);
  let published: Uint8Array;
  try {
    published = await fetchOracleKey(options.oracleUrl, options.fetch, options.timeoutMs);
  } catch (error) {
    return pinned(given, 'given', `could not confirm --oracle-key with the oracle (${(error as Error).message}); pinned the key given`);
  }
  if (!equalBytes(given, published)) {
    throw new ProvisionError(
      `--oracle-key ${hotspotAddress(given)} is not the key ${options.oracleUrl} publishes (${hotspotAddress(published)}); ` +
        'check the URL and the key, nothing was pinned',
    );
  }
  return pinned(given, 'given and confirmed by the oracle');
}
