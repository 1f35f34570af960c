/**
 * The coverage page's own script (html.ts inlines it after Leaflet). It reads the embedded
 * `#coverage-data` ({ geojson, ramp, unheard, hotspot, tiles }), draws every hex and hotspot with
 * Leaflet's SVG renderer, and wires the hex details, the legend and the date filter.
 *
 * For tests and for anyone scripting the page: `window.coverageMap` has `hexesDrawn()`, `hexCount`,
 * `select(h3)` (true when that hex is shown and now selected), `clearSelection()` and
 * `setDays(from, to)` ('YYYY-MM-DD' or ''); each hex's path has `data-h3` and `data-state`, each
 * hotspot's `data-address`, and `#map` keeps `data-hexes-drawn` and `data-selected` current.
 */
export const PAGE_SCRIPT = String.raw`(() => {
  'use strict';
  const config = JSON.parse(document.getElementById('coverage-data').textContent);
  const { ramp, unheard, hotspot: hotspotStyle } = config;
  const features = config.geojson.features;
  const hexFeatures = features.filter((f) => f.properties.kind === 'hex');
  const hotspotFeatures = features.filter((f) => f.properties.kind === 'hotspot');
  const mapElement = document.getElementById('map');
  const details = document.getElementById('details');
  const DAY_MS = 86400000;

  const map = L.map(mapElement, { zoomSnap: 0.25, maxZoom: 22 });
  if (config.tiles) L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxNativeZoom: 19, maxZoom: 22 }).addTo(map);
  L.control.scale().addTo(map);
  const bbox = config.geojson.bbox;
  if (bbox) map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { padding: [24, 24] });
  else map.setView([0, 0], 2);

  const hexLayer = L.featureGroup().addTo(map);
  const linkLayer = L.layerGroup().addTo(map);
  const hotspotLayer = L.layerGroup().addTo(map);

  function rssiAlpha(dbm) {
    const t = Math.min(1, Math.max(0, (dbm - ramp.weakDbm) / (ramp.strongDbm - ramp.weakDbm)));
    return ramp.weakAlpha + t * (ramp.strongAlpha - ramp.weakAlpha);
  }
  function hexStyle(p) {
    if (p.state === 'unheard') return { color: unheard.outline, weight: 1, opacity: 0.9, fillColor: 'url(#unheard-hatch)', fillOpacity: unheard.fillAlpha };
    return { color: ramp.colour, weight: 1, opacity: ramp.outlineAlpha, fillColor: ramp.colour, fillOpacity: rssiAlpha(p.bestRssiDbm) };
  }

  // A path element exists only while its layer is on the map, and a new one each time it is added.
  const hexes = new Map();
  for (const feature of hexFeatures) {
    const p = feature.properties;
    const latLngs = feature.geometry.coordinates[0].slice(0, -1).map(([lon, lat]) => [lat, lon]);
    const layer = L.polygon(latLngs, Object.assign({ className: 'coverage-hex' }, hexStyle(p)));
    layer.on('add', () => {
      layer.getElement().setAttribute('data-h3', p.h3);
      layer.getElement().setAttribute('data-state', p.state);
    });
    layer.on('click', (event) => {
      L.DomEvent.stopPropagation(event);
      select(p.h3);
    });
    hexes.set(p.h3, { feature, layer, shown: false, firstMs: Date.parse(p.firstWalked), lastMs: Date.parse(p.lastWalked) });
  }
  for (const feature of hotspotFeatures) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const marker = L.circleMarker([lat, lon], {
      className: 'coverage-hotspot', radius: hotspotStyle.radiusPx, color: hotspotStyle.stroke, weight: 1.5,
      fillColor: hotspotStyle.fill, fillOpacity: 1,
    });
    marker.bindTooltip(p.address + ': heard ' + p.cellsHeard + (p.cellsHeard === 1 ? ' hex' : ' hexes') + ', best ' + p.bestRssiDbm + ' dBm');
    marker.on('add', () => marker.getElement().setAttribute('data-address', p.address));
    hotspotLayer.addLayer(marker);
  }

  const fmtTime = (iso) => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : '–');
  const fmtDistance = (m) => (m < 1000 ? m + ' m' : (m / 1000).toFixed(m < 10000 ? 2 : 1) + ' km');
  const fmtDb = (value, unit) => (value === null ? '–' : value.toFixed(1) + ' ' + unit);
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showDetails(p) {
    details.replaceChildren(element('h2', '', 'Hex'));
    const list = element('dl');
    const facts = [
      ['H3', p.h3, 'details-h3'], ['State', p.state === 'heard' ? 'heard' : 'walked, not heard', 'details-state'],
      ['Best RSSI', fmtDb(p.bestRssiDbm, 'dBm'), 'details-rssi'], ['SNR', fmtDb(p.snrDb, 'dB'), 'details-snr'],
      ['Hotspots', String(p.hotspotCount), 'details-hotspot-count'], ['Uplinks heard', p.uplinksHeard + ' of ' + p.uplinksSent, ''],
      ['First walked', fmtTime(p.firstWalked), ''], ['Last walked', fmtTime(p.lastWalked), ''], ['Last heard', fmtTime(p.lastHeard), ''],
    ];
    for (const [term, value, className] of facts) list.append(element('dt', '', term), element('dd', className, value));
    details.append(list);
    if (p.hotspots.length === 0) return details.append(element('p', 'muted', 'No hotspot heard an uplink sent here.'));
    const table = element('table', 'details-hotspots');
    const head = element('tr');
    for (const title of ['Hotspot', 'RSSI', 'SNR', 'Distance']) head.append(element('th', '', title));
    table.append(element('thead'), element('tbody'));
    table.tHead.append(head);
    for (const h of p.hotspots) {
      const row = element('tr');
      row.setAttribute('data-address', h.address);
      row.append(element('td', 'address', h.address), element('td', 'number', fmtDb(h.bestRssiDbm, 'dBm')),
        element('td', 'number', fmtDb(h.snrDb, 'dB')), element('td', 'number', fmtDistance(h.distanceM)));
      table.tBodies[0].append(row);
    }
    details.append(table);
  }

  let selected = null;
  function clearSelection() {
    if (selected) selected.layer.setStyle(hexStyle(selected.feature.properties));
    selected = null;
    linkLayer.clearLayers();
    mapElement.removeAttribute('data-selected');
    details.replaceChildren(element('p', 'muted', 'Click a hex for its details.'));
  }
  function select(h3) {
    const hex = hexes.get(h3);
    if (!hex || !hex.shown) return false;
    clearSelection();
    selected = hex;
    hex.layer.setStyle({ color: '#212121', weight: 3, opacity: 1 }).bringToFront();
    const p = hex.feature.properties;
    for (const h of p.hotspots) {
      L.polyline([[p.lat, p.lon], [h.lat, h.lon]], { className: 'coverage-link', color: '#37474f', weight: 1.5, dashArray: '4 3', interactive: false }).addTo(linkLayer);
    }
    mapElement.setAttribute('data-selected', h3);
    showDetails(p);
    return true;
  }
  map.on('click', clearSelection);

  // The date filter: a hex is shown when the span it was walked in meets the chosen UTC days.
  const from = document.getElementById('from');
  const to = document.getElementById('to');
  const shownCount = document.getElementById('shown-count');
  if (hexes.size > 0) {
    const spans = [...hexes.values()];
    const first = new Date(spans.reduce((ms, h) => Math.min(ms, h.firstMs), Infinity)).toISOString().slice(0, 10);
    const last = new Date(spans.reduce((ms, h) => Math.max(ms, h.lastMs), -Infinity)).toISOString().slice(0, 10);
    for (const input of [from, to]) Object.assign(input, { min: first, max: last });
  }
  function applyFilter() {
    const fromMs = from.value ? Date.parse(from.value + 'T00:00:00Z') : -Infinity;
    const toMs = to.value ? Date.parse(to.value + 'T00:00:00Z') + DAY_MS : Infinity;
    let shown = 0;
    for (const hex of hexes.values()) {
      const visible = hex.lastMs >= fromMs && hex.firstMs < toMs;
      if (visible && !hex.shown) hexLayer.addLayer(hex.layer);
      if (!visible && hex.shown) hexLayer.removeLayer(hex.layer);
      hex.shown = visible;
      if (visible) shown++;
    }
    if (selected && !selected.shown) clearSelection();
    mapElement.setAttribute('data-hexes-drawn', String(shown));
    shownCount.textContent = shown + ' of ' + hexes.size + ' hexes shown';
  }
  from.addEventListener('input', applyFilter);
  to.addEventListener('input', applyFilter);
  document.getElementById('date-filter').addEventListener('reset', () => setTimeout(applyFilter, 0));

  const legend = L.control({ position: 'bottomright' });
  legend.onAdd = () => {
    const box = element('div', 'legend');
    box.append(element('strong', '', 'Best RSSI'));
    const bar = element('div', 'legend-ramp');
    bar.style.background = 'linear-gradient(to right, ' + ramp.colour + Math.round(ramp.weakAlpha * 255).toString(16).padStart(2, '0') + ', ' + ramp.colour + Math.round(ramp.strongAlpha * 255).toString(16).padStart(2, '0') + ')';
    const labels = element('div', 'legend-labels');
    labels.append(element('span', '', ramp.weakDbm + ' dBm'), element('span', '', (ramp.weakDbm + ramp.strongDbm) / 2 + ''), element('span', '', ramp.strongDbm + ' dBm'));
    const unheardRow = element('div', 'legend-row');
    unheardRow.append(element('span', 'legend-swatch legend-unheard'), element('span', '', 'walked, not heard'));
    const hotspotRow = element('div', 'legend-row');
    hotspotRow.append(element('span', 'legend-swatch legend-hotspot'), element('span', '', 'hotspot'));
    box.append(bar, labels, unheardRow, hotspotRow);
    return box;
  };
  legend.addTo(map);

  clearSelection();
  applyFilter();
  window.coverageMap = {
    hexCount: hexes.size,
    hexesDrawn: () => hexLayer.getLayers().length,
    select,
    clearSelection,
    setDays(fromDay, toDay) {
      from.value = fromDay;
      to.value = toDay;
      applyFilter();
      return hexLayer.getLayers().length;
    },
  };
})();
`;
