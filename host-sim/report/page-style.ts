/** The page's stylesheet, inlined by renderHtml: a light page with a dark map, readable when printed. */
export const PAGE_STYLE = `
:root { --ink: #1c2430; --muted: #5d6b7c; --line: #d5dbe3; --panel: #f5f7fa; --accent: #2a788e; --bad: #c0392b; --ok: #1e8449; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code { font: 12px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.muted, small { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin-top: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .label { display: block; color: var(--muted); font-size: 12px; }
.card strong { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
.card.big strong { font-size: 34px; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 28px; }
.columns table { width: 100%; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.figures td, table.figures tbody th { white-space: nowrap; }
table.figures td { text-align: right; }
table.figures.faults td { text-align: left; white-space: normal; }
table.figures.faults td.outcome { max-width: 420px; }
tr.valid th { color: var(--ok); }
tr.invalid th { color: var(--bad); }
tr.reason th { padding-left: 22px; font-weight: normal; }
tr.over { color: var(--bad); font-weight: 600; }
.meter { display: inline-block; width: 120px; height: 10px; background: #e6eaf0; border-radius: 5px; overflow: hidden; vertical-align: middle; }
.meter span { display: block; height: 100%; background: var(--accent); }
tr.over .meter span { background: var(--bad); }
td.meter-cell { text-align: left !important; white-space: nowrap; }
.map-wrap { display: flex; gap: 14px; align-items: flex-start; flex-wrap: wrap; }
svg.map { flex: 1 1 640px; max-width: 960px; height: auto; border-radius: 6px; }
.map-bg { fill: #121a24; }
.link { fill: none; stroke-width: 1; stroke-opacity: 0.55; }
path.link { stroke-opacity: 0.3; }
line.link:hover { stroke-opacity: 1; stroke-width: 2.5; }
.hotspot { fill: #e9eef5; stroke: #121a24; stroke-width: 1; cursor: pointer; }
.hotspot.faulty { fill: #ff6b5b; stroke: #fff; }
.hotspot:hover, .hotspot.selected { fill: #ffd23f; stroke: #fff; stroke-width: 2; }
.scale-bar path { fill: none; stroke: #e9eef5; stroke-width: 2; }
.scale-bar text, .north-arrow text { fill: #e9eef5; font-size: 12px; text-anchor: middle; }
.north-arrow path { fill: #e9eef5; }
.details { flex: 0 1 280px; min-height: 120px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.details h3 { margin: 0; font-size: 16px; word-break: break-all; }
.details dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 8px 0 0; }
.details dt { color: var(--muted); }
.details dd { margin: 0; word-break: break-all; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 8px 0 0; font-size: 12px; }
.legend-title { flex-basis: 100%; color: var(--muted); }
.swatch { display: inline-block; width: 22px; height: 4px; margin-right: 6px; vertical-align: middle; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: middle; background: #e9eef5; border: 1px solid #121a24; }
.dot.faulty { background: #ff6b5b; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.chart { margin: 0; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart svg { width: 100%; height: auto; }
.bar { fill: var(--accent); }
.bar:hover { fill: #22a884; }
.axis line { stroke: #8895a5; }
.axis line.grid { stroke: #e6eaf0; }
.axis text, .axis-title { fill: var(--muted); font-size: 11px; }
.table-wrap { overflow-x: auto; max-height: 640px; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; }
table.nodes { width: 100%; font-size: 12px; }
table.nodes thead th { position: sticky; top: 0; background: var(--panel); padding: 0; white-space: nowrap; }
table.nodes th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 6px 8px; cursor: pointer; color: inherit; }
table.nodes th[aria-sort="ascending"] button::after { content: " ▲"; }
table.nodes th[aria-sort="descending"] button::after { content: " ▼"; }
table.nodes td { white-space: nowrap; }
table.nodes td.num { text-align: right; }
table.nodes tbody tr { cursor: pointer; }
table.nodes tbody tr:hover { background: #eef3f8; }
table.nodes tbody tr.selected { background: #fff3c4; }
footer { margin-top: 32px; padding-top: 10px; padding-bottom: 24px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
`;
