/**
 * One simulated node as the world keeps it: its scenario entry, settings and network link, the hardware
 * its firmware runs on, and each boot of that firmware as the report reads it.
 */
import type { Status } from '../../src/health.js';
import type { Hotspot, HotspotPorts } from '../../src/hotspot.js';
import type { Http, HttpRequest, HttpResponse } from '../../src/ports.js';
import type { Settings } from '../../src/settings.js';
import type { ScenarioNode } from '../scenario/index.js';

/** The Http port as a hotspot has it: down during an ingest outage, and watched (replay faults). */
export class NodeLink implements Http {
  down = false;
  /** Told about every request that got an answer. */
  onAnswer: ((request: HttpRequest, response: HttpResponse) => void) | undefined;

  constructor(private readonly inner: Http) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    if (this.down) throw new Error('network unreachable (ingest outage)');
    const response = await this.inner.request(request);
    this.onAnswer?.(request, response);
    return response;
  }
}

/** One boot of a node's firmware as the report reads it: its key and its counters. */
export interface Boot {
  readonly publicKey: Uint8Array;
  status(): Status;
}

/** The node's hardware as its firmware finds it: the ports, and its radio's way off the air. */
interface SimBoard {
  readonly ports: HotspotPorts;
  readonly detachRadio: () => void;
}

export interface SimNode {
  readonly spec: ScenarioNode;
  readonly settings: Settings;
  readonly link: NodeLink;
  /** The node's hardware; undefined once the run has let it go (SimWorld.retireHotspots). */
  board: SimBoard | undefined;
  /** The firmware now running, or undefined while the power is off. */
  hotspot: Hotspot | undefined;
  /**
   * Every boot of this node, the first and any after power cuts: the running firmware's own status
   * while it may still change, and a copy of its last counters once the hotspots are retired.
   */
  readonly boots: Boot[];
}
