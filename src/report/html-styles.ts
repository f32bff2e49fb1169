/** The stylesheet of the HTML report, inlined in its <head>. Constant: no report data goes in. */
import { OTHER_SERIES, SERIES_PALETTE } from './svg-charts.js';

const seriesRules = [
  ...SERIES_PALETTE.map((color, i) => ({ name: `series-${i}`, ...color })),
  { name: 'series-other', ...OTHER_SERIES },
]
  .map(
    ({ name, fill, ink }) =>
      `.share-chart .${name} rect{fill:${fill}}.share-chart .${name} text{fill:${ink}}.swatch.${name}{background:${fill}}`,
  )
  .join('\n');

export const REPORT_CSS = `
:root{--bg:#f4f5f7;--surface:#fff;--border:#e2e5ea;--border-strong:#cfd4dc;--text:#18202c;--muted:#556070;
--accent:#2558d9;--accent-soft:#e6edfc;--bar:#8aaef0;--bar-est:#cddbf8;
--red:#b42318;--red-soft:#fde7e5;--red-line:#d92d20;--amber:#93500a;--amber-soft:#fdf0cd;--green:#06703f;--green-soft:#ddf7e8;
--violet:#5b2fc9;--violet-soft:#ece8fd;--slate:#3f4a5a;--slate-soft:#e8ebef;--ink:#0f1726}
*{box-sizing:border-box}
html{color-scheme:light;-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
a{color:var(--accent);text-underline-offset:2px}
a:focus-visible,summary:focus-visible{outline:2px solid var(--accent);outline-offset:2px;border-radius:3px}
h1,h2,h3,h4{line-height:1.25;margin:0}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.skip-link{position:absolute;left:-999px;top:8px;background:#fff;padding:6px 10px;border-radius:6px;z-index:2}
.skip-link:focus{left:8px}
.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.muted{color:var(--muted)}
.page-header{background:var(--ink);color:#f3f5f8}
.page-header .wrap{padding-top:22px;padding-bottom:22px}
.brand{display:flex;align-items:center;gap:8px;font-size:13px;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:#b8c2d3}
.brand svg{width:16px;height:16px}
.page-header h1{font-size:26px;font-weight:650;margin:6px 0 12px;color:#fff}
.meta{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0;font-size:13.5px}
.meta div{display:flex;gap:6px}
.meta dt{color:#a9b4c6}
.meta dd{margin:0;color:#f3f5f8}
.meta .estimated{color:#fcd37a}
.wrap{max-width:1200px;margin:0 auto;padding:0 24px}
main.wrap{padding-top:24px;padding-bottom:40px}
section{margin:0 0 28px}
.section-head{display:flex;align-items:baseline;justify-content:space-between;gap:12px;margin:0 0 12px}
.section-head h2{font-size:18px;font-weight:650}
.section-head p{margin:0;color:var(--muted);font-size:13.5px}
.card{background:var(--surface);border:1px solid var(--border);border-radius:12px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(200px,calc(50% - 8px)),1fr));gap:16px}
.stat{padding:16px 18px;border-left:4px solid var(--border-strong)}
.stat h3{font-size:13px;font-weight:600;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.stat .value{font-size:30px;font-weight:650;margin:4px 0 2px;letter-spacing:-.01em;color:var(--text)}
.stat p{margin:0;font-size:13.5px;color:var(--muted)}
.stat.tone-accent{border-left-color:var(--accent)}
.stat.tone-red{border-left-color:var(--red-line)}
.stat.tone-amber{border-left-color:#e8a317}
.stat.tone-slate{border-left-color:#8792a2}
.stat.tone-green{border-left-color:#17a35a}
.stat .value .unit{font-size:16px;font-weight:500;color:var(--muted);margin-left:2px;letter-spacing:0}
.stat a{color:inherit;text-decoration-color:var(--border-strong)}
.stat .flag{color:var(--red);font-weight:600}
.panel{padding:18px 20px}
.share-chart{border-radius:8px}
.legend-list{list-style:none;margin:14px 0 0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:6px 24px;font-size:14px}
.legend-list li{display:flex;align-items:center;gap:8px;min-width:0}
.legend-list .name{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.legend-list .share{color:var(--muted);width:3.2em;text-align:right}
.swatch{display:inline-block;width:12px;height:12px;border-radius:3px;flex:none}
.swatch.series-unattributed{background:repeating-linear-gradient(45deg,#8a94a6 0 2px,#e6e9ee 2px 5px)}
.share-chart .series-unattributed text{fill:var(--text)}
.share-chart rect{stroke:#fff;stroke-width:2}
.share-chart .share-label{font-size:14px;font-weight:600}
.hatch-bg{fill:#e6e9ee}.hatch-line{stroke:#8a94a6;stroke-width:3}
.share-empty{fill:var(--slate-soft)}
${seriesRules}
.table-scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
caption{text-align:left;font-weight:600;padding:0 0 8px}
th,td{padding:8px 10px;text-align:left;vertical-align:middle;border-bottom:1px solid var(--border)}
thead th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;border-bottom:1px solid var(--border-strong);white-space:nowrap}
tbody tr:last-child td,tbody tr:last-child th{border-bottom:0}
th.num,td.num{text-align:right}
.overview th[scope=row]{font-weight:600;white-space:nowrap}
.overview a{color:var(--text);text-decoration:none}
.overview a:hover{text-decoration:underline}
.up{color:var(--red)}.down{color:var(--green)}
.badge{display:inline-flex;align-items:center;gap:6px;padding:2px 10px 2px 8px;border-radius:999px;font-size:12.5px;font-weight:600;white-space:nowrap;line-height:1.6}
.badge::before{content:"";width:7px;height:7px;border-radius:50%;background:currentColor}
.status-over-budget{color:var(--red);background:var(--red-soft)}
.status-warning{color:var(--amber);background:var(--amber-soft)}
.status-ok{color:var(--green);background:var(--green-soft)}
.status-expired{color:var(--slate);background:var(--slate-soft)}
.status-unbudgeted{color:var(--violet);background:var(--violet-soft)}
.sev{display:inline-block;min-width:64px;text-align:center;padding:1px 8px;border-radius:6px;font-size:12px;font-weight:650;text-transform:uppercase;letter-spacing:.03em}
.sev-critical{color:#fff;background:#b42318}
.sev-warning{color:#5c3300;background:#fbd784}
.sev-info{color:#183f8f;background:#dbe6fc}
.new{display:inline-block;padding:0 6px;border-radius:4px;font-size:11.5px;font-weight:700;color:var(--accent);border:1px solid currentColor;letter-spacing:.04em}
.meter{display:inline-block;position:relative;width:84px;height:8px;border-radius:4px;background:var(--slate-soft);vertical-align:middle;margin-right:8px;overflow:hidden}
.meter span{position:absolute;inset:0 auto 0 0;border-radius:4px;background:var(--green)}
.meter.high span{background:#dc8a06}
.meter.over span{background:var(--red-line)}
.used{display:inline-flex;align-items:center;white-space:nowrap}
.alert-list{list-style:none;margin:0;padding:0}
.alert-list li{display:grid;grid-template-columns:auto 1fr;gap:4px 14px;padding:12px 18px;border-bottom:1px solid var(--border)}
.alert-list .sev{justify-self:start;align-self:start}
.alert-list li:last-child{border-bottom:0}
.alert-list .head{display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px;font-size:13.5px;color:var(--muted)}
.alert-list .head strong{color:var(--text);font-size:14.5px}
.alert-list .head a{color:inherit;text-decoration:none}
.alert-list .msg{grid-column:2;margin:0}
.alert-list li.old .msg{color:var(--muted)}
.empty{padding:16px 18px;margin:0;color:var(--muted)}
.poc-grid{display:grid;gap:20px}
.poc-card{padding:20px 24px 18px;border-top:4px solid var(--border-strong);display:flex;flex-direction:column;gap:14px;min-width:0}
.poc-card.tone-over-budget{border-top-color:var(--red-line)}
.poc-card.tone-warning{border-top-color:#e8a317}
.poc-card.tone-ok{border-top-color:#17a35a}
.poc-card.tone-expired{border-top-color:#8792a2}
.poc-card.tone-unbudgeted{border-top-color:#7a5af0}
.poc-title{display:flex;flex-wrap:wrap;align-items:center;gap:8px 12px}
.poc-title h3{font-size:19px;font-weight:650;overflow-wrap:anywhere}
.poc-card .reason{margin:4px 0 0;font-size:14px;color:var(--muted)}
.poc-card .desc{margin:4px 0 0;font-size:14px}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:0}
.poc-body{display:grid;grid-template-columns:minmax(0,1.7fr) minmax(260px,1fr);gap:28px;align-items:start}
.poc-side{display:flex;flex-direction:column;gap:18px;min-width:0}
.figures div{background:#f8f9fb;border:1px solid var(--border);border-radius:8px;padding:8px 12px}
.figures dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em;font-weight:600}
.figures dd{margin:2px 0 0;font-size:18px;font-weight:650}
.figures dd small{display:block;font-size:12.5px;font-weight:400;color:var(--muted);white-space:normal}
.figures dd small.bad{color:var(--red);font-weight:600}
figure{margin:0}
.chart{display:block;width:100%;height:auto;font-family:inherit;overflow:visible}
.chart .grid{stroke:#e9ecf0}
.chart .tick{fill:var(--muted);font-size:11px}
.chart .note{fill:var(--muted);font-size:10.5px}
.chart .label{font-size:11.5px;font-weight:650}
.chart .future{fill:#f5f6f8}
.chart .actual{fill:none;stroke:var(--accent);stroke-width:2.5;stroke-linejoin:round;stroke-linecap:round}
.chart .actual-area{fill:var(--accent);fill-opacity:.08}
.chart .forecast{fill:none;stroke:var(--accent);stroke-width:2;stroke-dasharray:6 5}
.chart .forecast-end{fill:#fff;stroke:var(--accent);stroke-width:2}
.chart .forecast.over,.chart .forecast-end.over{stroke:var(--red-line)}
.chart .forecast-label{fill:var(--accent)}
.chart .forecast-label.over{fill:var(--red)}
.chart .now{fill:var(--accent);stroke:#fff;stroke-width:2}
.chart .now-label{fill:var(--text)}
.chart .budget{stroke:#2f3a4a;stroke-width:1.5}
.chart .budget-label{fill:#2f3a4a}
.chart .pace{stroke:#8a94a6;stroke-width:1.25;stroke-dasharray:1.5 4;stroke-linecap:round}
.chart .bar{fill:var(--bar)}
.chart .bar.estimated{fill:var(--bar-est)}
.chart .bar.over-cap{fill:#f0665c}
.chart .bar.over-cap.estimated{fill:#f8b4ae}
.chart .bar.credit{fill:#3fb67a}
.chart .zero{stroke:#98a2b3}
.chart .cap{stroke:var(--red-line);stroke-dasharray:4 3}
.chart .cap-label{fill:var(--red);font-size:11px}
.chart .marker{stroke:#667085;stroke-dasharray:3 3}
.chart-legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:6px 0 0;padding:0;list-style:none;font-size:12.5px;color:var(--muted)}
.chart-legend li::before{content:"";display:inline-block;width:18px;margin-right:6px;vertical-align:middle;border-top:2.5px solid var(--accent)}
.chart-legend .k-forecast::before{border-top-style:dashed}
.chart-legend .k-forecast-over::before{border-top:2px dashed var(--red-line)}
.chart-legend .k-budget::before{border-top:1.5px solid #2f3a4a}
.chart-legend .k-pace::before{border-top:2px dotted #8a94a6}
.chart-legend .k-cap::before{border-top:1.5px dashed var(--red-line)}
.chart-legend .k-bar::before,.chart-legend .k-est::before,.chart-legend .k-credit::before,.chart-legend .k-overcap::before{width:9px;height:11px;border:0;background:var(--bar);border-radius:1px}
.chart-legend .k-est::before{background:var(--bar-est)}
.chart-legend .k-credit::before{background:#3fb67a}
.chart-legend .k-overcap::before{background:#f0665c}
details{font-size:13.5px}
details>summary{cursor:pointer;color:var(--accent);font-weight:500;padding:2px 0;width:max-content}
details[open]>summary{margin-bottom:6px}
details table{font-size:13px}
details th,details td{padding:4px 8px}
.poc-side h4{font-size:13px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);margin:0 0 6px;font-weight:650}
.services td{padding:5px 0 5px 12px;border:0;vertical-align:top}
.services td.svc{padding-left:0;width:100%;overflow-wrap:anywhere}
.svc-name{display:block;line-height:1.35}
.hbar{display:block;height:5px;margin-top:4px;border-radius:3px;background:var(--bar);min-width:2px}
.mini-alerts{list-style:none;margin:0;padding:0;font-size:13.5px}
.mini-alerts li{display:flex;gap:8px;align-items:baseline;padding:3px 0}
.mini-alerts .sev{flex:none;min-width:0;font-size:10.5px;padding:0 5px;line-height:1.7}
.mini-alerts .new{font-size:10.5px;padding:0 4px;margin-right:2px}
.facts{display:grid;grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr);gap:4px 14px;margin:0;font-size:13.5px;border-top:1px solid var(--border);padding-top:12px}
.facts dt{color:var(--muted)}
.facts dd{margin:0;overflow-wrap:anywhere}
.unsafe-link{color:var(--muted)}
.unattributed-grid{display:grid;grid-template-columns:minmax(260px,1fr) minmax(300px,1.4fr);gap:24px;align-items:start}
.nowrap{white-space:nowrap}
.rec-list{display:grid;gap:16px}
.rec-card{position:relative;overflow:hidden;border-left:4px solid var(--border-strong)}
.rec-card.reason-expired{border-left-color:#8792a2}
.rec-card.reason-idle{border-left-color:var(--accent)}
.rec-head{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:4px 24px;align-items:center;padding:16px 20px 14px;border-bottom:1px solid var(--border)}
.rec-title{display:flex;flex-wrap:wrap;align-items:center;gap:6px 12px;min-width:0}
.rec-title h3{font-size:17px;font-weight:650;overflow-wrap:anywhere}
.rec-title a{color:var(--text);text-decoration:none}
.rec-title a:hover{text-decoration:underline}
.rec-meta{grid-column:1;margin:0;font-size:13.5px;color:var(--muted)}
.rec-meta code,.res-id{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.rec-meta code{background:var(--slate-soft);color:var(--slate);padding:1px 5px;border-radius:4px;overflow-wrap:anywhere}
.holds-data-note{color:var(--amber);font-weight:600}
.rec-savings{grid-column:2;grid-row:1/span 2;margin:0;text-align:right}
.rec-savings .num{display:block;font-size:24px;font-weight:650;color:var(--green);letter-spacing:-.01em}
.rec-savings small{display:block;font-size:12.5px;color:var(--muted)}
.badge.reason::before{display:none}
.badge.reason{padding:2px 10px}
.reason-expired.badge{color:var(--slate);background:var(--slate-soft)}
.reason-idle.badge{color:var(--accent);background:var(--accent-soft)}
.badge.holds-data{color:var(--amber);background:var(--amber-soft)}
.rec-table{font-size:13.5px;table-layout:fixed;min-width:760px}
.rec-table .c-res{width:23%}.rec-table .c-idle{width:11%}.rec-table .c-cost{width:14%}.rec-table .c-data{width:12%}
.rec-table th,.rec-table td{vertical-align:top;padding:10px 12px}
.rec-table th:first-child,.rec-table td:first-child{padding-left:20px}
.rec-table th:last-child,.rec-table td:last-child{padding-right:20px}
.rec-table thead th{background:#f8f9fb;padding-top:8px;padding-bottom:8px}
.rec-table th[scope=row]{font-weight:400}
.rec-table .res-type{display:block;font-weight:600}
.rec-table .res-id{display:block;color:var(--text);overflow-wrap:anywhere}
.rec-table .res-where{display:block;font-size:12px;color:var(--muted);overflow-wrap:anywhere}
.rec-table .evidence{overflow-wrap:anywhere}
.rec-table td small{display:block;margin-top:2px;font-size:12px;color:var(--muted);white-space:normal}
.rec-table tr.holds-data-row{background:#fffbf0}
.figures .figure-bad{border-color:#f4b8b2;background:var(--red-soft)}
.warnings{margin:0;padding:12px 18px 12px 38px}
.warnings li{padding:3px 0}
.warnings code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--slate-soft);padding:1px 5px;border-radius:4px}
.callout{margin:0 0 20px;padding:12px 16px;border:1px solid #f4b8b2;border-left:4px solid var(--red-line);border-radius:8px;background:var(--red-soft);color:#7a1a12}
.callout a{color:inherit}
.skipped{color:var(--red);font-size:12.5px}
.page-footer{border-top:1px solid var(--border);color:var(--muted);font-size:13px;padding:18px 0 28px}
.page-footer p{margin:2px 0}
@media screen and (max-width:900px){
.poc-body{grid-template-columns:1fr}
.facts{grid-template-columns:max-content minmax(0,1fr)}
}
@media screen and (max-width:760px){
.wrap{padding:0 14px}
.page-header h1{font-size:21px}
.stat{padding:12px 14px}
.stat .value{font-size:22px}
.stat h3{font-size:11.5px}
.stat p{font-size:12.5px}
.section-head{flex-wrap:wrap}
.cost-chart .tick,.bars-chart .tick{font-size:17px}
.cost-chart .note{font-size:15px}
.cost-chart .label{font-size:18px}
.unattributed-grid{grid-template-columns:1fr}
.alert-list li{grid-template-columns:1fr}
.alert-list .msg{grid-column:1}
.rec-head{grid-template-columns:1fr}
.rec-savings{grid-column:1;grid-row:auto;text-align:left}
}
@page{margin:12mm}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:11.5px}
.wrap{max-width:none;padding:0}
main.wrap{padding-top:14px}
.page-header .wrap{padding:0 0 12px}
.page-header h1{font-size:20px;margin:2px 0 8px}
section{margin-bottom:16px}
.section-head{break-after:avoid;margin-bottom:6px}
.section-head h2{font-size:15px}
.summary{grid-template-columns:repeat(4,1fr);gap:8px}
.summary.cols-5{grid-template-columns:repeat(5,1fr)}
.stat{padding:8px 10px}
.stat .value{font-size:19px}
.panel{padding:10px 12px}
.table-scroll{overflow:visible}
table{font-size:10.5px}
th,td{padding:4px 6px}
.meter{width:44px}
.alert-list li{padding:6px 10px}
.poc-card{padding:12px 14px;gap:10px}
.poc-body{grid-template-columns:minmax(0,1.6fr) minmax(170px,1fr);gap:16px}
.figures{grid-template-columns:repeat(auto-fit,minmax(90px,1fr));gap:6px}
.rec-head{padding:8px 12px}
.rec-savings .num{font-size:17px}
.rec-table th,.rec-table td{padding:4px 6px}
.rec-table{min-width:0}
.figures div{padding:5px 8px}
.figures dd{font-size:13.5px}
.facts{font-size:11px}
.page-header{background:#fff;color:var(--text);border-bottom:2px solid var(--text)}
.page-header h1,.meta dd{color:var(--text)}
.brand,.meta dt{color:var(--muted)}
.meta .estimated{color:var(--amber)}
.card{box-shadow:none;break-inside:avoid}
.poc-grid{display:block}
.poc-card{margin-bottom:14px}
.skip-link,details>summary{display:none}
a{color:inherit;text-decoration:none}
section{break-inside:auto}
}
`;
