/**
 * The scenario's faults, played on the virtual clock, and for each a way to pick out the oracle's
 * verdicts that concern it, so the report can say what the oracle caught.
 *
 * - power-cut: the node's firmware stops; when the power returns it boots again on the same key and
 *   flash (its receipt queue survives, as on the device).
 * - ingest-outage: every upload fails (no network) for the window; queued receipts go out afterwards.
 * - radio-fault: the node's radio is deaf, mute or noisy for the window (tapped-air.ts).
 * - replay, of beacons: the node re-transmits every beacon it hears, a second after it ends, as a relay
 *   would; of receipts: it uploads again, every hour, every batch it has uploaded before.
 * - forge: the node claims to have heard every beacon sent in the window that it did not hear, at a
 *   believable RSSI just above sensitivity: its firmware signs and uploads receipts for them.
 * - collusion-ring: the ring's nodes do the same for each other's beacons only, whatever the distance,
 *   without the radio ever carrying them.
 * - location-liar: nothing happens at run time; the node onboarded at its false location.
 */
import type { AirSignal } from '../air/air.js';
import type { Fault } from '../scenario/index.js';
import type { Observer } from './observe.js';
import type { SimWorld } from './world.js';

/** An item as the report reads it back from the oracle. */
export interface JudgedItem {
  readonly uploader: number;
  readonly kind: 'beacon' | 'witness';
  readonly digest: string;
  readonly status: 'pending' | 'valid' | 'invalid';
  readonly reason: string;
  /** The device's time of the item (wall, ms), and when the oracle received it. */
  readonly timeMs: number;
  readonly receivedMs: number;
}

export interface ActiveFault {
  readonly fault: Fault;
  readonly nodes: readonly number[];
  readonly description: string;
  /** Does this item belong to the fault (made by it, or made because of it)? */
  concerns(item: JudgedItem): boolean;
  /** Answers the oracle gave that count as caught outside the verdicts (duplicates of replayed uploads). */
  readonly extraCaught: Record<string, number>;
}

/** Believable for a beacon heard from afar: a few dB above SF12's sensitivity. */
const FAKE_RSSI_DBM = -134;
const FAKE_SNR_DB = -17;

export function scheduleFaults(world: SimWorld, observer: Observer): ActiveFault[] {
  return world.scenario.faults.map((fault) => schedule(world, observer, fault));
}

function schedule(world: SimWorld, observer: Observer, fault: Fault): ActiveFault {
  const { clock, scenario, nodes } = world;
  const wallOf = (monotonicMs: number) => scenario.startMs + monotonicMs;
  const at = (ms: number, action: () => void) => clock.setTimer(action, ms - clock.now());
  const inWindow = (item: JudgedItem, window: { atMs: number; forMs: number }) =>
    item.timeMs >= wallOf(window.atMs) && item.timeMs < wallOf(window.atMs + window.forMs);
  const nameOf = (index: number) => nodes[index].spec.name;
  const extraCaught: Record<string, number> = {};
  switch (fault.type) {
    case 'power-cut': {
      at(fault.atMs, () => world.powerOff(nodes[fault.node]));
      at(fault.atMs + fault.forMs, () => world.powerOn(nodes[fault.node]));
      return { fault, nodes: [fault.node], extraCaught, description: `${nameOf(fault.node)} loses power for ${hours(fault.forMs)}`,
        concerns: (item) => item.uploader === fault.node };
    }
    case 'ingest-outage': {
      at(fault.atMs, () => { for (const node of nodes) node.link.down = true; });
      at(fault.atMs + fault.forMs, () => { for (const node of nodes) node.link.down = false; });
      // What the outage held back: items made before it ended that reached the oracle after it began,
      // later than a prompt upload would have (a minute).
      return { fault, nodes: [], extraCaught, description: `no request reaches the oracle for ${hours(fault.forMs)}`,
        concerns: (item) => item.timeMs < wallOf(fault.atMs + fault.forMs) && item.receivedMs >= wallOf(fault.atMs) && item.receivedMs - item.timeMs > 60_000 };
    }
    case 'radio-fault': {
      const name = nameOf(fault.node);
      at(fault.atMs, () => world.tapped.startFault(name, fault.kind, fault.noiseDb));
      at(fault.atMs + fault.forMs, () => world.tapped.endFault(name));
      const what = fault.kind === 'noisy' ? `noisy (+${fault.noiseDb} dB)` : fault.kind;
      return { fault, nodes: [fault.node], extraCaught, description: `${name}'s radio is ${what} for ${hours(fault.forMs)}`,
        concerns: (item) => item.uploader === fault.node && inWindow(item, fault) };
    }
    case 'replay':
      return fault.of === 'beacons' ? replayBeacons(world, observer, fault, extraCaught) : replayReceipts(world, fault, extraCaught);
    case 'forge':
    case 'collusion-ring': {
      const members = fault.type === 'forge' ? [fault.node] : [...fault.nodes];
      const made = madeUp(world, observer, fault, members);
      const description = fault.type === 'forge'
        ? `${nameOf(fault.node)} makes up receipts for beacons it never heard`
        : `${members.length} hotspots of one owner make up receipts for each other's beacons`;
      return { fault, nodes: members, extraCaught, description,
        concerns: (item) => item.kind === 'witness' && made.has(`${item.uploader} ${item.digest}`) };
    }
    case 'location-liar':
      return { fault, nodes: [fault.node], extraCaught,
        description: `${nameOf(fault.node)} asserts a place ${Math.round(fault.offsetM)} m from where it is`,
        concerns: (item) => item.uploader === fault.node };
  }
}

/** Receipts the fault's members make up: they fake the reception and their firmware does the rest. */
function madeUp(world: SimWorld, observer: Observer, fault: Fault & { atMs: number; forMs: number }, members: readonly number[]): Set<string> {
  const made = new Set<string>();
  const senders = fault.type === 'forge' ? undefined : new Set(members);
  const previous = world.tapped.onTransmit;
  world.tapped.onTransmit = (from, signal) => {
    previous?.(from, signal);
    const now = world.clock.now();
    if (now < fault.atMs || now >= fault.atMs + fault.forMs) return;
    if (senders !== undefined && !senders.has(from)) return;
    // When the packet would have ended: a witness must not claim it before it was on the air.
    world.clock.setTimer(() => {
      const digest = observer.digestOf(signal);
      if (digest === undefined) return;
      for (const member of members) {
        if (member === from || observer.heardBySomeone(signal, member)) continue;
        const faked = world.tapped.fakeDelivery(world.nodes[member].spec.name, {
          signal, rssiDbm: FAKE_RSSI_DBM, snrDb: FAKE_SNR_DB, frequencyErrorHz: 0, intact: true,
        });
        if (faked) made.add(`${member} ${digest}`);
      }
    }, Math.ceil(signal.airtimeMs) + 1);
  };
  return made;
}

function replayBeacons(world: SimWorld, observer: Observer, fault: Fault & { type: 'replay'; node: number }, extraCaught: Record<string, number>): ActiveFault {
  const name = world.nodes[fault.node].spec.name;
  const replayed = new Set<AirSignal>();
  const relayedTo = new Set<string>();
  const previous = world.tapped.onTransmit;
  world.tapped.onTransmit = (from, signal) => {
    previous?.(from, signal);
    const now = world.clock.now();
    if (from === fault.node || replayed.has(signal) || now < fault.atMs || now >= fault.atMs + fault.forMs) return;
    world.clock.setTimer(() => {
      if (!observer.heardBySomeone(signal, fault.node)) return;
      const copy: AirSignal = { ...signal };
      replayed.add(copy);
      world.tapped.transmitAs(name, copy);
    }, Math.ceil(signal.airtimeMs) + 1000);
  };
  world.onHearingExtra.push((hearing) => {
    if (!replayed.has(hearing.signal) || !hearing.intact) return;
    const digest = observer.digestOf(hearing.signal);
    if (digest !== undefined) relayedTo.add(`${hearing.to} ${digest}`);
  });
  return { fault, nodes: [fault.node], extraCaught, description: `${name} re-transmits the beacons it hears, a second later`,
    concerns: (item) => item.kind === 'witness' && relayedTo.has(`${item.uploader} ${item.digest}`) };
}

function replayReceipts(world: SimWorld, fault: Fault & { type: 'replay'; node: number }, extraCaught: Record<string, number>): ActiveFault {
  const node = world.nodes[fault.node];
  const sent: { url: string; body: Uint8Array }[] = [];
  node.link.onAnswer = (request, response) => {
    if (request.method === 'POST' && request.url.endsWith('/v1/receipts') && response.status === 200 && request.body !== undefined) {
      sent.push({ url: request.url, body: request.body });
    }
  };
  const replay = () => {
    if (world.clock.now() >= fault.atMs + fault.forMs) return;
    for (const { url, body } of sent) {
      void node.link.request({ method: 'POST', url, body, headers: { 'content-type': 'application/cbor' }, timeoutMs: 15_000 })
        .then((response) => { if (response.status === 200) extraCaught.duplicate_upload = (extraCaught.duplicate_upload ?? 0) + 1; })
        .catch(() => undefined);
    }
    world.clock.setTimer(replay, 3_600_000);
  };
  world.clock.setTimer(replay, fault.atMs - world.clock.now());
  return { fault, nodes: [fault.node], extraCaught, description: `${node.spec.name} uploads every batch again, every hour`,
    concerns: () => false };
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${Number(h.toFixed(2))} h` : `${Math.round(ms / 60_000)} min`;
}
