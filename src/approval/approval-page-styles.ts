/**
 * The stylesheet of the approval pages, inlined in their <head> and allowed by its hash in the CSP.
 * Constant: nothing from a request or a record goes in. Text colours keep at least 4.5:1 against
 * their background, borders of form fields 3:1; focus is a thick outline, never removed.
 */
export const APPROVAL_PAGE_CSS = `
:root{--bg:#f4f5f7;--surface:#fff;--border:#dde1e7;--border-strong:#c3c9d2;--field:#6f7886;--text:#18202c;--muted:#4f5968;
--accent:#1f56c9;--focus:#1f56c9;--danger:#b42318;--danger-dark:#8f1d14;--danger-soft:#fdeceb;--amber:#7c4405;--amber-soft:#fdf1d3;
--green:#05683a;--green-soft:#e0f5e9;--slate:#3f4a5a;--slate-soft:#e8ebef;--ink:#0f1726}
*{box-sizing:border-box}
html{color-scheme:light;-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;background:var(--bg);color:var(--text);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
a{color:var(--accent);text-underline-offset:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
main:focus{outline:none}
code{font:.9em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--slate-soft);color:var(--slate);padding:1px 5px;border-radius:4px;overflow-wrap:anywhere}
h1,h2,h3{line-height:1.25;margin:0}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.skip-link{position:absolute;left:-999px;top:8px;background:#fff;color:var(--accent);padding:8px 12px;border-radius:6px;z-index:2}
.skip-link:focus{left:8px}
.wrap{max-width:980px;margin:0 auto;padding:0 20px}
.bar{background:var(--ink);color:#e9edf3}
.bar .wrap{display:flex;align-items:center;justify-content:space-between;gap:12px;padding-top:14px;padding-bottom:14px}
.brand{display:flex;align-items:center;gap:8px;font-weight:650;letter-spacing:.02em}
.brand svg{width:18px;height:18px}
.bar-note{font-size:14px;color:#c4ccd9}
main.wrap{display:block;flex:1 0 auto;width:100%;padding-top:32px;padding-bottom:40px}
.eyebrow{margin:0 0 8px;font-size:13px;font-weight:650;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
h1{font-size:30px;font-weight:700;letter-spacing:-.01em;margin:0 0 12px;overflow-wrap:anywhere}
h1 .poc{color:var(--ink)}
h2{font-size:19px;font-weight:650;margin:0 0 12px}
h3{font-size:18px;font-weight:650;margin:0 0 6px}
.lede{font-size:18px;margin:0 0 10px;max-width:68ch}
.reassure,.unchanged{margin:0 0 24px;color:var(--muted);max-width:68ch}
.unchanged{font-weight:600;color:var(--text)}
.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.muted{color:var(--muted)}
.poc{overflow-wrap:anywhere}
section{margin:0 0 32px}
.card{background:var(--surface);border:1px solid var(--border);border-radius:10px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.facts{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));margin:0 0 32px;padding:6px 0;overflow:hidden}
.facts div{padding:12px 18px;min-width:0}
.facts dt{font-size:12.5px;font-weight:650;letter-spacing:.04em;text-transform:uppercase;color:var(--muted)}
.facts dd{margin:3px 0 0;font-size:16.5px;font-weight:600;overflow-wrap:anywhere}
.facts dd .muted{font-weight:400}
.badge{display:inline-flex;align-items:center;gap:6px;padding:2px 10px;border-radius:999px;font-size:13px;font-weight:650;line-height:1.6;white-space:nowrap}
.state-proposed,.state-snoozed{color:var(--accent);background:#e6edfb}
.state-approved,.state-executing{color:var(--amber);background:var(--amber-soft)}
.state-rejected{color:var(--slate);background:var(--slate-soft)}
.state-done{color:var(--green);background:var(--green-soft)}
.state-partially-done,.state-failed{color:var(--danger);background:var(--danger-soft)}
.holds-data{color:var(--amber);background:var(--amber-soft)}
.facts .badge{white-space:normal;text-align:left}
.table-card{overflow:hidden}
table{width:100%;border-collapse:collapse;font-size:15px}
th,td{padding:12px 14px;text-align:left;vertical-align:top;border-bottom:1px solid var(--border)}
thead th{font-size:12.5px;font-weight:650;letter-spacing:.04em;text-transform:uppercase;color:var(--muted);background:#f8f9fb;border-bottom-color:var(--border-strong);white-space:nowrap}
tbody tr:last-child th,tbody tr:last-child td{border-bottom:0}
th.num,td.num{text-align:right}
.resources th[scope=row]{font-weight:400;width:27%}
.resources .res-type{display:block;font-weight:650}
.resources .res-id{display:inline-block;margin:2px 0;font-size:13px}
.resources .res-where{display:block;font-size:13.5px;color:var(--muted)}
.resources td{overflow-wrap:anywhere}
.resources td small{display:block;margin-top:3px;font-size:13.5px;color:var(--muted)}
.steps{margin:0;padding:6px 22px 6px 42px}
.steps li{margin:10px 0;max-width:80ch}
.decide h2{margin-bottom:14px}
.decision{padding:20px 22px 22px;border-left:5px solid var(--border-strong)}
.decision.card{margin:0 0 14px}
.decision-approve{border-left-color:var(--danger)}
.decision .explain{margin:0 0 6px;color:var(--muted);max-width:70ch}
.alternative{margin:0 0 12px}
.alternative summary{cursor:pointer;padding:14px 22px;font-weight:650;list-style-position:inside}
.alternative summary:hover{background:#f8f9fb}
.alternative[open] summary{border-bottom:1px solid var(--border)}
.alternative .decision{border-left:0;padding-top:12px}
.field{margin:16px 0 0}
label{display:block;font-weight:650;margin:0 0 6px}
input[type=text],input[type=date],textarea{display:block;width:100%;max-width:440px;font:inherit;color:var(--text);background:#fff;padding:9px 12px;border:1px solid var(--field);border-radius:6px}
textarea{max-width:640px;min-height:96px;resize:vertical}
input:focus-visible,textarea:focus-visible{outline-offset:1px}
.hint{margin:6px 0 0;font-size:14px;color:var(--muted)}
.field-error{margin:0 0 6px;font-size:14.5px;font-weight:650;color:var(--danger)}
.has-error input,.has-error textarea{border:2px solid var(--danger)}
.actions{margin:20px 0 0}
.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:10px 22px;border-radius:6px;border:2px solid transparent;font:inherit;font-weight:650;cursor:pointer}
.button.danger{background:var(--danger);color:#fff}
.button.danger:hover{background:var(--danger-dark)}
.button.secondary{background:#fff;color:var(--text);border-color:var(--slate)}
.button.secondary:hover{background:var(--slate-soft)}
.error-summary{margin:0 0 28px;padding:16px 20px;border:2px solid var(--danger);border-radius:10px;background:var(--surface)}
.error-summary h2{font-size:17px;color:var(--danger);margin:0 0 8px}
.error-summary ul{margin:0;padding-left:20px}
.error-summary a{color:var(--danger);font-weight:650}
.notice{margin:0 0 24px;padding:14px 18px;border-left:5px solid #d98a0b;background:var(--amber-soft);color:#4d2a02;border-radius:6px;max-width:70ch}
.history{list-style:none;margin:0;padding:4px 0}
.history li{display:grid;grid-template-columns:minmax(190px,auto) 1fr;gap:2px 18px;padding:10px 20px;border-bottom:1px solid var(--border)}
.history li:last-child{border-bottom:0}
.history .when{color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap}
.history .what{overflow-wrap:anywhere}
.history .note{display:block;color:var(--muted)}
.outcome h1,.problem h1{font-size:32px}
.outcome-approve h1{color:var(--danger-dark)}
.outcome-reject h1,.outcome-snooze h1{color:var(--ink)}
.outcome .lede{margin-bottom:24px}
.problem .facts{max-width:560px;grid-template-columns:repeat(2,minmax(0,1fr))}
.fine-print{margin:0;font-size:14px;color:var(--muted)}
.page-footer{border-top:1px solid var(--border);background:var(--surface)}
.page-footer p{margin:0;padding:18px 0;font-size:14px;color:var(--muted);max-width:80ch}
@media (max-width:720px){
.wrap{padding:0 16px}
main.wrap{padding-top:22px}
.facts{grid-template-columns:repeat(2,minmax(0,1fr))}
.facts div{padding:10px 14px}
h1,.outcome h1,.problem h1{font-size:24px}
.lede{font-size:17px}
.resources thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}
.resources,.resources tbody,.resources tr,.resources th,.resources td{display:block;width:auto}
.resources tr{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);column-gap:16px;padding:12px 16px;border-bottom:1px solid var(--border)}
.resources th[scope=row],.resources td.wide{grid-column:1/-1}
.resources tbody tr:last-child{border-bottom:0}
.resources th[scope=row]{width:auto;padding:0 0 6px;border:0}
.resources td{padding:6px 0;border:0}
.resources td.num{text-align:left}
.resources td::before{content:attr(data-label);display:block;font-size:12px;font-weight:650;letter-spacing:.04em;text-transform:uppercase;color:var(--muted)}
.history li{grid-template-columns:1fr;padding:10px 16px}
.decision{padding:16px}
.alternative summary{padding:14px 16px}
.button{width:100%}
}
`;
