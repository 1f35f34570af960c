/**
 * The per-hotspot table: its header is drawn here, one column per NodeResult field; the page's script
 * fills the rows from the embedded report and sorts them when a header is clicked (page-script.ts).
 */
import type { NodeResult } from './model.js';

interface Column {
  readonly key: keyof NodeResult;
  readonly title: string;
  /** `number` sorts and aligns as numbers, shown with `digits` decimals; `list` joins an array. */
  readonly kind: 'number' | 'text' | 'list';
  readonly digits?: number;
}

export const NODE_COLUMNS: readonly Column[] = [
  { key: 'index', title: '#', kind: 'number' },
  { key: 'name', title: 'Name', kind: 'text' },
  { key: 'address', title: 'Address', kind: 'text' },
  { key: 'board', title: 'Board', kind: 'text' },
  { key: 'lat', title: 'Lat', kind: 'number', digits: 5 },
  { key: 'lon', title: 'Lon', kind: 'number', digits: 5 },
  { key: 'heightM', title: 'Height m', kind: 'number', digits: 1 },
  { key: 'antennaGainDbi', title: 'Gain dBi', kind: 'number', digits: 1 },
  { key: 'beaconsSent', title: 'Beacons sent', kind: 'number' },
  { key: 'beaconsHeardBy', title: 'Heard by', kind: 'number' },
  { key: 'witnessed', title: 'Witnessed', kind: 'number' },
  { key: 'receiptsCreated', title: 'Receipts created', kind: 'number' },
  { key: 'receiptsUploaded', title: 'Receipts uploaded', kind: 'number' },
  { key: 'validBeacons', title: 'Valid beacons', kind: 'number' },
  { key: 'validWitnesses', title: 'Valid witnesses', kind: 'number' },
  { key: 'invalid', title: 'Invalid', kind: 'number' },
  { key: 'airtimeMs', title: 'Airtime ms', kind: 'number' },
  { key: 'rewards', title: 'Rewards', kind: 'number', digits: 2 },
  { key: 'faults', title: 'Faults', kind: 'list' },
];

/** The table section, with an empty body for the script to fill; nothing when there are no hotspots. */
export function nodesSection(perNode: readonly NodeResult[]): string {
  if (perNode.length === 0) return '';
  const headers = NODE_COLUMNS.map(
    (column) => `<th scope="col" data-key="${column.key}" data-kind="${column.kind}" data-digits="${column.digits ?? 0}"`
      + ` aria-sort="${column.key === 'index' ? 'ascending' : 'none'}"><button type="button">${column.title}</button></th>`,
  );
  return '<section id="nodes"><h2>Hotspots</h2>'
    + '<p class="muted">Click a column\'s header to sort by it, again to reverse; click a row to show the hotspot on the map.</p>'
    + '<div class="table-wrap"><table id="node-table" class="nodes">'
    + `<thead><tr>${headers.join('')}</tr></thead><tbody></tbody></table></div>`
    + '<p id="node-table-more" class="muted" hidden></p></section>';
}
