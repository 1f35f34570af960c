/**
 * The page's only script, inlined by renderHtml: hotspot details on hover and click, and the per-hotspot
 * table (filled from the embedded report, sorted by the clicked column). It reads everything from the
 * `report-data` JSON and touches the page only through textContent, so a name is never parsed as HTML.
 * Plain browser JavaScript kept as text: nothing here runs in Node.
 */
export const PAGE_SCRIPT = String.raw`'use strict';
(() => {
  const report = JSON.parse(document.getElementById('report-data').textContent);
  const nodes = report.result.perNode;
  const byIndex = new Map(nodes.map((node) => [node.index, node]));
  const ROWS_SHOWN = 500;
  const map = document.getElementById('map');
  const details = document.getElementById('hotspot-details');
  const table = document.getElementById('node-table');
  const hint = details ? [...details.childNodes].map((child) => child.cloneNode(true)) : [];
  let pinned = null;

  const formatNumber = (value, digits) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
    const [whole, fraction] = value.toFixed(digits).split('.');
    const grouped = whole.replace('-', '−').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return fraction === undefined ? grouped : grouped + '.' + fraction;
  };
  const count = (value) => formatNumber(value, 0);
  const element = (tag, text, className) => {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    if (className) made.className = className;
    return made;
  };

  const FIELDS = [
    ['Address', (n) => n.address],
    ['Board', (n) => n.board],
    ['Position', (n) => formatNumber(n.lat, 5) + ', ' + formatNumber(n.lon, 5)],
    ['Antenna', (n) => formatNumber(n.heightM, 1) + ' m up, ' + formatNumber(n.antennaGainDbi, 1) + ' dBi'],
    ['Beacons sent', (n) => count(n.beaconsSent)],
    ['Heard by', (n) => count(n.beaconsHeardBy) + ' receptions of its beacons'],
    ['Witnessed', (n) => count(n.witnessed) + ' beacons of others'],
    ['Receipts', (n) => count(n.receiptsCreated) + ' created, ' + count(n.receiptsUploaded) + ' uploaded'],
    ['Valid', (n) => count(n.validBeacons) + ' beacons, ' + count(n.validWitnesses) + ' witnesses'],
    ['Invalid', (n) => count(n.invalid)],
    ['Airtime', (n) => formatNumber(n.airtimeMs / 1000, 1) + ' s'],
    ['Rewards', (n) => formatNumber(n.rewards, 2)],
    ['Faults', (n) => (n.faults.length ? n.faults.join(', ') : 'none')],
  ];

  const showDetails = (index) => {
    const node = byIndex.get(index);
    if (!details || !node) return;
    const list = element('dl');
    for (const [label, value] of FIELDS) list.append(element('dt', label), element('dd', value(node)));
    const state = pinned === index ? ' · selected; click it again to let go' : '';
    details.replaceChildren(element('h3', node.name, 'details-name'), element('p', '#' + node.index + state, 'muted'), list);
    details.dataset.index = String(index);
  };
  const restoreDetails = () => {
    if (pinned !== null) return showDetails(pinned);
    if (!details) return;
    details.replaceChildren(...hint.map((child) => child.cloneNode(true)));
    delete details.dataset.index;
  };
  const marked = (index) => [
    map && map.querySelector('.hotspot[data-index="' + index + '"]'),
    table && table.querySelector('tbody tr[data-index="' + index + '"]'),
  ].filter(Boolean);
  const select = (index) => {
    if (pinned !== null) for (const item of marked(pinned)) item.classList.remove('selected');
    pinned = index;
    if (index !== null) for (const item of marked(index)) item.classList.add('selected');
    restoreDetails();
  };

  if (map) {
    const hotspotOf = (event) => (event.target instanceof Element ? event.target.closest('.hotspot') : null);
    map.addEventListener('mouseover', (event) => {
      const hotspot = hotspotOf(event);
      if (hotspot) showDetails(Number(hotspot.dataset.index));
    });
    map.addEventListener('mouseout', (event) => {
      if (hotspotOf(event)) restoreDetails();
    });
    map.addEventListener('click', (event) => {
      const hotspot = hotspotOf(event);
      const index = hotspot ? Number(hotspot.dataset.index) : null;
      select(index === pinned ? null : index);
    });
  }

  if (table) {
    const body = table.tBodies[0];
    const more = document.getElementById('node-table-more');
    const collator = new Intl.Collator('en', { numeric: true });
    const columns = [...table.tHead.querySelectorAll('th')].map((th) => ({
      th, key: th.dataset.key, kind: th.dataset.kind, digits: Number(th.dataset.digits),
    }));
    let order = nodes.slice();
    let sorted = columns[0];
    let ascending = true;
    let showAll = nodes.length <= ROWS_SHOWN;

    const cell = (node, column) => {
      const value = node[column.key];
      if (column.kind === 'number') return element('td', formatNumber(value, column.digits), 'num');
      return element('td', column.kind === 'list' ? value.join(', ') : String(value));
    };
    const render = () => {
      const rows = document.createDocumentFragment();
      for (const node of showAll ? order : order.slice(0, ROWS_SHOWN)) {
        const row = element('tr', undefined, node.index === pinned ? 'selected' : '');
        row.dataset.index = String(node.index);
        row.append(...columns.map((column) => cell(node, column)));
        rows.append(row);
      }
      body.replaceChildren(rows);
      if (!more) return;
      more.hidden = showAll;
      if (showAll) return;
      const button = element('button', 'Show all ' + count(nodes.length));
      button.type = 'button';
      button.addEventListener('click', () => { showAll = true; render(); });
      more.replaceChildren('Showing the first ' + count(ROWS_SHOWN) + ' of ' + count(nodes.length) + ' hotspots in this order. ', button);
    };
    const compare = (column) => {
      const key = column.key;
      if (column.kind === 'number') return (a, b) => (a[key] - b[key]) || (a.index - b.index);
      const text = column.kind === 'list' ? (n) => n[key].join(', ') : (n) => String(n[key]);
      return (a, b) => collator.compare(text(a), text(b)) || (a.index - b.index);
    };

    table.tHead.addEventListener('click', (event) => {
      const th = event.target instanceof Element ? event.target.closest('th') : null;
      const column = columns.find((candidate) => candidate.th === th);
      if (!column) return;
      ascending = column === sorted ? !ascending : true;
      sorted = column;
      order = nodes.slice().sort(compare(column));
      if (!ascending) order.reverse();
      for (const other of columns) {
        other.th.setAttribute('aria-sort', other === column ? (ascending ? 'ascending' : 'descending') : 'none');
      }
      render();
    });
    body.addEventListener('click', (event) => {
      const row = event.target instanceof Element ? event.target.closest('tr') : null;
      if (!row) return;
      const index = Number(row.dataset.index);
      select(index === pinned ? null : index);
    });
    render();
  }
})();
`;
