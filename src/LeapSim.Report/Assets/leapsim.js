// LeapSim pages (report.html and the `leapsim serve` page): tabs, chart hover read-outs and the province map.
// Vanilla JS, no network. Exposes window.LeapSim; each page's own script decides what to bind.
var LeapSim = (function () {
  'use strict';
  function tipElement() { return document.getElementById('tooltip'); }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return 'n/a';
    var a = Math.abs(v);
    return a >= 100 ? v.toLocaleString('en-US', { maximumFractionDigits: 0 }) : a >= 10 ? v.toFixed(1) : String(Math.round(v * 100) / 100);
  }
  function showTip(html, ev) {
    var tip = tipElement();
    tip.innerHTML = html;
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var x = ev.clientX + 14, y = ev.clientY + 14;
    if (x + w > window.innerWidth - 4) x = ev.clientX - w - 14;
    if (y + h > window.innerHeight - 4) y = ev.clientY - h - 14;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }
  function hideTip() { tipElement().hidden = true; }

  // ---- tabs: buttons with data-tab show the .panel with the same data-panel ----
  function bindTabs(root) {
    var buttons = root.querySelectorAll('.tabs button');
    buttons.forEach(function (b) {
      b.addEventListener('click', function () {
        buttons.forEach(function (x) { x.classList.toggle('active', x === b); });
        root.querySelectorAll('.panel').forEach(function (p) { p.hidden = p.dataset.panel !== b.dataset.tab; });
      });
    });
  }

  // ---- chart read-out: the values of every line at the nearest time ----
  function bindChart(svg) {
    if (!svg.dataset.hover) return; // drawn without its read-out (a run still in progress on the serve page)
    var h = JSON.parse(svg.dataset.hover);
    var cursor = svg.querySelector('line.cursor');
    function toX(px) { return h.x0 + (px - h.left) / (h.right - h.left) * (h.x1 - h.x0); }
    function toPx(x) { return h.left + (x - h.x0) / (h.x1 - h.x0) * (h.right - h.left); }
    svg.addEventListener('mousemove', function (ev) {
      var m = svg.getScreenCTM();
      if (!m) return;
      var p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
      if (p.x < h.left || p.x > h.right) { hideTip(); cursor.setAttribute('visibility', 'hidden'); return; }
      var x = toX(p.x), ref = null, rows = [];
      h.s.forEach(function (s) {
        var best = -1, bd = Infinity;
        for (var i = 0; i < s.x.length; i++) {
          if (s.x[i] === null) continue;
          var d = Math.abs(s.x[i] - x);
          if (d < bd) { bd = d; best = i; }
        }
        if (best < 0) return;
        if (ref === null) ref = s.x[best];
        if (Math.abs(s.x[best] - ref) < 1e-6) rows.push('<div><span class="k" style="background:' + esc(s.c) + '"></span>' + esc(s.l) + ': <b>' + fmt(s.y[best]) + '</b></div>');
      });
      if (ref === null) return;
      var year = Math.floor(ref + 1e-9), when = String(year);
      if (h.monthly) { var mo = Math.round((ref - year - 1 / 24) * 12) + 1; when = year + '-' + (mo < 10 ? '0' : '') + mo; }
      cursor.setAttribute('x1', toPx(ref)); cursor.setAttribute('x2', toPx(ref)); cursor.setAttribute('visibility', 'visible');
      showTip('<b>' + when + '</b> <span style="color:#666">(' + esc(h.unit) + ')</span>' + rows.join(''), ev);
    });
    svg.addEventListener('mouseleave', function () { hideTip(); cursor.setAttribute('visibility', 'hidden'); });
  }
  function bindCharts(root) { root.querySelectorAll('svg.chart').forEach(bindChart); }

  // ---- the province map (markup: ReportBuilder.MapSection; data: ReportBuilder.MapData) ----
  // Returns { setData(md) }: a page that streams a run gives it the data again as years complete; the slider then
  // follows the latest year unless the reader moved it.
  function provinceMap(root, md) {
    var sel = root.querySelector('#map-series'), slider = root.querySelector('#map-year');
    var yearOut = root.querySelector('#map-year-label'), legend = root.querySelector('#map-legend');
    var table = root.querySelector('#map-table'), play = root.querySelector('#map-play');
    var paths = Array.prototype.slice.call(root.querySelectorAll('svg.map path.province'));
    var stops = ['#ffffcc', '#ffeda0', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#bd0026', '#800026'];
    function hex(c) { return [1, 3, 5].map(function (i) { return parseInt(c.substr(i, 2), 16); }); }
    function colour(t) {
      t = Math.max(0, Math.min(1, t)) * (stops.length - 1);
      var i = Math.min(stops.length - 2, Math.floor(t)), f = t - i, a = hex(stops[i]), b = hex(stops[i + 1]);
      return 'rgb(' + a.map(function (v, k) { return Math.round(v + (b[k] - v) * f); }).join(',') + ')';
    }
    function series() { return md.series.filter(function (s) { return s.key === sel.value; })[0] || md.series[0]; }
    function maxOf(s) {
      var max = 0;
      Object.keys(s.values).forEach(function (k) { s.values[k].forEach(function (v) { if (v !== null && v > max) max = v; }); });
      return max > 0 ? max : 1;
    }
    function shade(s, v, max) { return colour(s.lowIsBad ? 1 - v / max : v / max); }
    function render() {
      yearOut.textContent = slider.value;
      if (!md || !md.series.length || !md.years.length) {
        paths.forEach(function (p) { p.style.fill = ''; });
        legend.innerHTML = '';
        table.innerHTML = '';
        return;
      }
      var s = series(), yi = md.years.indexOf(Number(slider.value)), max = maxOf(s);
      paths.forEach(function (p) {
        var vals = s.values[p.dataset.province], v = vals && yi >= 0 ? vals[yi] : null;
        p.style.fill = v === null || v === undefined ? '' : shade(s, v, max);
      });
      var grad = '';
      for (var i = 0; i <= 20; i++) grad += '<rect x="' + (10 + i * 19) + '" y="4" width="19.5" height="12" fill="' + shade(s, max * i / 20, max) + '"/>';
      legend.innerHTML = '<svg viewBox="0 0 420 44">' + grad + '<text x="10" y="30">0</text><text x="400" y="30" text-anchor="end">' + fmt(max) +
        '</text><text x="205" y="42" text-anchor="middle">' + esc(s.label) + ' (' + esc(s.unit) + ')' + (s.lowIsBad ? ', darker = less' : '') + '</text></svg>';
      var rows = Object.keys(s.values).map(function (k) { return [k, yi >= 0 ? s.values[k][yi] : null]; })
        .sort(function (a, b) { return (b[1] === null ? -Infinity : b[1]) - (a[1] === null ? -Infinity : a[1]); });
      table.innerHTML = '<thead><tr><th>province (1957)</th><th>' + esc(s.unit) + ', ' + esc(slider.value) + '</th></tr></thead><tbody>' +
        rows.map(function (r) { return '<tr><td>' + esc(r[0]) + '</td><td class="v">' + fmt(r[1]) + '</td></tr>'; }).join('') + '</tbody>';
    }
    paths.forEach(function (p) {
      p.addEventListener('mousemove', function (ev) {
        if (!md || !md.series.length) return;
        var name = p.dataset.province, yi = md.years.indexOf(Number(slider.value));
        var modern = (md.modern[name] || [name]).join(' + ');
        var html = '<b>' + esc(name) + '</b> <span style="color:#666">(drawn: modern ' + esc(modern) + ')</span>';
        var note = md.notes[p.dataset.modern];
        if (note) html += '<div style="color:#666">' + esc(p.dataset.modern) + ': ' + esc(note) + '</div>';
        if (!md.series[0].values[name]) html += '<div>not simulated in this run</div>';
        else if (yi < 0) html += '<div>no figures for ' + esc(slider.value) + ' yet</div>';
        else md.series.forEach(function (s) { html += '<div>' + esc(s.label) + ', ' + esc(slider.value) + ': <b>' + fmt(s.values[name][yi]) + '</b> ' + esc(s.unit) + '</div>'; });
        showTip(html, ev);
      });
      p.addEventListener('mouseleave', hideTip);
    });
    var timer = null, following = true;
    play.addEventListener('click', function () {
      if (timer) { clearInterval(timer); timer = null; play.textContent = 'play'; return; }
      if (Number(slider.value) >= Number(slider.max)) slider.value = slider.min;
      play.textContent = 'stop';
      timer = setInterval(function () {
        if (Number(slider.value) >= Number(slider.max)) { clearInterval(timer); timer = null; play.textContent = 'play'; return; }
        slider.value = Number(slider.value) + 1;
        render();
      }, 800);
    });
    sel.addEventListener('change', render);
    slider.addEventListener('input', function () { following = Number(slider.value) >= Number(slider.max); render(); });
    render();
    return {
      setData: function (data) {
        md = data;
        if (md && md.years.length) {
          var last = md.years[md.years.length - 1];
          slider.min = md.years[0];
          slider.max = last;
          if (following) slider.value = last;
        }
        render();
      },
      follow: function () { following = true; },
    };
  }

  return { esc: esc, fmt: fmt, showTip: showTip, hideTip: hideTip, bindTabs: bindTabs, bindChart: bindChart, bindCharts: bindCharts, provinceMap: provinceMap };
})();
