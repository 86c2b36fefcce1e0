// The portal's one stylesheet and one script, served as files (no build step; the Content-Security-Policy
// allows only these). Colours meet WCAG 2.1 AA contrast (text #1b1f24 on #fff is 16:1, links #0b4f9c 8:1,
// white on #0b4f9c 8:1); focus is always visible (a 3px outline); the layout reflows at tablet width (768px).
export const PORTAL_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#fff}
a{color:#0b4f9c}
:focus-visible{outline:3px solid #c45100;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
header{background:#0b2540;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:1rem}
header a{color:#fff}
.brand{margin:0;font-weight:700}
nav{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;flex:1}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
nav li a{display:block;padding:.5rem .75rem;border-radius:4px;text-decoration:none}
nav li a[aria-current=page]{background:#fff;color:#0b2540;font-weight:700}
nav li a:hover{text-decoration:underline}
.sign-out{margin-left:auto;display:flex;align-items:center;gap:.5rem}
main{padding:1rem 1.5rem;max-width:72rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem}
form.stack{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem 1.5rem;max-width:48rem}
form.stack .wide{grid-column:1/-1}
label{display:block;font-weight:600;margin-bottom:.25rem}
.hint{display:block;font-weight:400;color:#4a5562;font-size:.9rem}
input,select,textarea{font:inherit;width:100%;padding:.5rem;border:2px solid #5b6672;border-radius:4px;background:#fff;color:#1b1f24}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border-color:#b3261e}
.field-error{color:#b3261e;font-weight:600;display:block}
button,.button{font:inherit;font-weight:600;padding:.55rem 1.1rem;border:2px solid #0b4f9c;border-radius:4px;background:#0b4f9c;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#0b4f9c}
button:disabled{border-color:#5b6672;color:#4a5562;background:#eef1f4;cursor:not-allowed}
button.danger{background:#b3261e;border-color:#b3261e}
header button{background:#fff;color:#0b2540;border-color:#fff;padding:.3rem .8rem}
.error-summary{border:3px solid #b3261e;padding:.5rem 1rem;margin-bottom:1rem;max-width:48rem}
.notice{border-left:6px solid #0b4f9c;background:#eef4fb;padding:.75rem 1rem;margin:1rem 0;max-width:48rem}
.notice.bad{border-color:#b3261e;background:#fdecea}
.notice.good{border-color:#1e6b34;background:#e9f5ec}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #c9d0d8;vertical-align:top}
th{background:#eef1f4}
td.mono,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem;overflow-wrap:anywhere}
.state{font-weight:700;padding:.1rem .45rem;border-radius:3px;background:#eef1f4;white-space:nowrap}
.state-installed,.state-enabled,.state-anchored,.state-ok{background:#1e6b34;color:#fff}
.state-error,.state-unavailable,.state-down{background:#b3261e;color:#fff}
.table-wrap{overflow-x:auto}
.search{display:flex;gap:.5rem;align-items:end;flex-wrap:wrap;margin-bottom:1rem}
.search div{flex:1;min-width:14rem}
.pager{display:flex;gap:1rem;align-items:center;margin:1rem 0}
.code{display:block;font-size:1.5rem;font-weight:700;letter-spacing:.15em}
.qr svg{width:14rem;height:14rem;border:1px solid #c9d0d8}
.result{display:grid;grid-template-columns:auto 1fr;gap:1.5rem;align-items:start}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere}
ol.timeline{padding-left:1.25rem}
.check{display:flex;gap:.5rem;align-items:center}
.check input{width:1.25rem;height:1.25rem}
.check label{margin:0}
.check + .hint{margin:-.75rem 0 0 1.75rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:820px){
  main{padding:1rem}
  form.stack{grid-template-columns:1fr}
  .result{grid-template-columns:1fr}
  .brand{flex-basis:100%}
  .sign-out{margin-left:0}
  th.optional,td.optional{display:none}
}
`;

// Live updates of the Orders page over Server-Sent Events: each order change replaces its row's state (or adds
// the row on the first page of an unfiltered list) and is announced in the live region, without a reload.
export const PORTAL_JS = `
'use strict';
(function () {
  // A refused form: move focus to the list of what to correct (WCAG 3.3.1), so keyboard and screen-reader users land on it.
  var errors = document.getElementById('errors');
  if (errors) errors.focus();
})();
(function () {
  var table = document.querySelector('table[data-live-orders]');
  if (!table || typeof EventSource === 'undefined') return;
  var body = table.querySelector('tbody');
  var announce = document.getElementById('announce');
  var source = new EventSource('/orders/events');
  function cell(text, className) {
    var td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }
  function stateCell(state) {
    var td = document.createElement('td');
    var span = document.createElement('span');
    span.className = 'state state-' + state;
    span.textContent = state;
    td.appendChild(span);
    return td;
  }
  source.addEventListener('order', function (message) {
    var order = JSON.parse(message.data);
    var row = body.querySelector('tr[data-iccid="' + order.iccid + '"]');
    if (!row) {
      if (table.getAttribute('data-first-page') !== 'true') return;
      row = document.createElement('tr');
      row.setAttribute('data-iccid', order.iccid);
      var link = document.createElement('a');
      link.href = '/orders/' + encodeURIComponent(order.iccid);
      link.textContent = order.iccid;
      var first = document.createElement('td');
      first.className = 'mono';
      first.appendChild(link);
      row.appendChild(first);
      row.appendChild(stateCell(order.state));
      row.appendChild(cell(order.profileType || '', 'optional'));
      row.appendChild(cell(order.matchingId || '', 'mono optional'));
      row.appendChild(cell(order.updated, ''));
      body.insertBefore(row, body.firstChild);
      var empty = body.querySelector('tr[data-empty]');
      if (empty) empty.remove();
    } else {
      row.replaceChild(stateCell(order.state), row.children[1]);
      row.children[4].textContent = order.updated;
    }
    if (announce) announce.textContent = 'Order ' + order.iccid + ' is now ' + order.state;
  });
})();
`;
