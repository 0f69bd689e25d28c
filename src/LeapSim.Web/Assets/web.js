// The `leapsim serve` page: controls built from the catalogue, the scenario kept in the address (a shareable link),
// runs streamed from the server (server-sent events over a POST) into the report's charts and map. No network
// beyond this server.
(function () {
  'use strict';
  var cat = JSON.parse(document.getElementById('catalog').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var esc = LeapSim.esc;
  var presets = {}, policies = {}, params = {};
  cat.presets.forEach(function (p) { presets[p.name] = p; });
  cat.policies.forEach(function (p) { policies[p.key] = p; });
  cat.parameters.forEach(function (p) { params[p.name] = p; });
  var DEFAULT_NAME = 'my-scenario';
  var rows = {};          // event id -> { id, policy, added, el, on, date, settings: {name: input} }
  var paramInputs = {};   // parameter name -> input
  var presetName = presets['default'] ? 'default' : cat.presets[0].name;
  var added = 0;

  // ---------------------------------------------------------------- controls

  function num(v) { return String(v); } // the shortest text that reads back as the same number
  function settingInfo(policy, name) {
    var p = policies[policy];
    return p ? p.settings.filter(function (s) { return s.name === name; })[0] : null;
  }
  function msgSpan(key) { var s = document.createElement('span'); s.className = 'msg'; s.dataset.msgFor = key; return s; }
  function numberInput(key, info) {
    var i = document.createElement('input');
    i.type = 'number'; i.step = 'any'; i.dataset.key = key;
    if (info) { i.min = info.min; i.max = info.max; i.title = (info.description || '') + ' [' + num(info.min) + ', ' + num(info.max) + '] ' + (info.unit || ''); }
    return i;
  }
  var eventsBox = $('events'), groups = {};
  function group(policy) {
    if (groups[policy]) return groups[policy];
    var p = policies[policy] || { key: policy, description: '', settings: [] };
    var fs = document.createElement('fieldset');
    fs.className = 'policy'; fs.dataset.policy = policy;
    fs.innerHTML = '<legend>' + esc(policy) + ' <small>' + esc(p.description) + '</small></legend>';
    var add = document.createElement('button');
    add.type = 'button'; add.className = 'add'; add.textContent = '+ add a ' + policy + ' event';
    add.addEventListener('click', function () {
      var row = addedRow(policy, null);
      row.on.checked = true;
      row.el.classList.remove('off');
      changed();
    });
    fs.appendChild(add);
    eventsBox.appendChild(fs);
    groups[policy] = { el: fs, add: add };
    return groups[policy];
  }
  function makeRow(id, policy, description, settingNames, isAdded) {
    var g = group(policy);
    var el = document.createElement('div');
    el.className = 'event'; el.dataset.event = id;
    var line = document.createElement('div'); line.className = 'line';
    var label = document.createElement('label'); label.className = 'on';
    var on = document.createElement('input'); on.type = 'checkbox'; on.dataset.key = 'events.' + id + '.enabled';
    label.appendChild(on);
    label.insertAdjacentHTML('beforeend', ' <span class="id">' + esc(id) + '</span>');
    line.appendChild(label);
    var date = document.createElement('input');
    date.type = 'month'; date.min = cat.firstMonth; date.max = cat.lastMonth; date.dataset.key = 'events.' + id + '.date';
    date.title = 'the month the event takes effect';
    line.appendChild(date);
    line.appendChild(msgSpan('events.' + id + '.date'));
    var inputs = {};
    settingNames.forEach(function (s) {
      var info = settingInfo(policy, s);
      var l = document.createElement('label'); l.className = 'setting';
      l.appendChild(document.createTextNode(s + ' '));
      var i = numberInput('events.' + id + '.' + s, info);
      l.appendChild(i);
      if (info && info.unit) l.insertAdjacentHTML('beforeend', ' <span class="unit">' + esc(info.unit) + '</span>');
      line.appendChild(l);
      line.appendChild(msgSpan('events.' + id + '.' + s));
      inputs[s] = i;
    });
    if (isAdded) {
      var rm = document.createElement('button'); rm.type = 'button'; rm.className = 'remove'; rm.textContent = 'remove';
      rm.addEventListener('click', function () { el.remove(); delete rows[id]; changed(); });
      line.appendChild(rm);
    }
    el.appendChild(line);
    el.appendChild(msgSpan('events.' + id));
    var d = document.createElement('div'); d.className = 'desc'; d.textContent = description || '';
    el.appendChild(d);
    g.el.insertBefore(el, g.add);
    var row = { id: id, policy: policy, added: isAdded, el: el, on: on, date: date, settings: inputs };
    on.addEventListener('change', function () { el.classList.toggle('off', !on.checked); });
    rows[id] = row;
    return row;
  }
  function addedRow(policy, id) {
    if (!id) { do { added++; id = 'added_' + policy + '_' + added; } while (rows[id]); }
    var p = policies[policy];
    var row = makeRow(id, policy, 'added here', p ? p.settings.map(function (s) { return s.name; }) : [], true);
    row.date.value = '1959-01';
    (p ? p.settings : []).forEach(function (s) { row.settings[s.name].value = num(s['default']); });
    return row;
  }
  cat.events.forEach(function (e) { makeRow(e.id, e.policy, e.description, e.settings, false); });
  cat.policies.forEach(function (p) { group(p.key); });

  var paramBox = $('parameters'), lastModule = null;
  cat.parameters.forEach(function (p) {
    var module = p.name.split('.')[0];
    if (module !== lastModule) { paramBox.insertAdjacentHTML('beforeend', '<h3 class="module">' + esc(module) + '</h3>'); lastModule = module; }
    var el = document.createElement('div'); el.className = 'param'; el.dataset.param = p.name;
    var l = document.createElement('label');
    l.innerHTML = '<code>' + esc(p.name) + '</code> ';
    var i = numberInput('parameters.' + p.name, p);
    l.appendChild(i);
    el.appendChild(l);
    el.insertAdjacentHTML('beforeend', '<span class="unit">' + esc(p.unit) + ' [' + num(p.min) + ', ' + num(p.max) + ']' + (p.calibrated ? ', calibrated' : '') + '</span>');
    el.appendChild(msgSpan('parameters.' + p.name));
    el.title = p.description + '. Source: ' + p.source;
    paramBox.appendChild(el);
    paramInputs[p.name] = i;
  });
  $('params').querySelector('summary').textContent = 'Model parameters (' + cat.parameters.length + ')';

  var presetSel = $('preset'), resSel = $('resolution'), seedIn = $('seed'), nameIn = $('name');
  cat.presets.forEach(function (p) { presetSel.insertAdjacentHTML('beforeend', '<option value="' + esc(p.name) + '">' + esc(p.name) + '</option>'); });
  cat.resolutions.forEach(function (r) { resSel.insertAdjacentHTML('beforeend', '<option value="' + esc(r) + '">' + esc(r) + '</option>'); });

  // ---------------------------------------------------------------- presets, the scenario's changes and the address

  function applyPreset(name) {
    presetName = name;
    presetSel.value = name;
    var p = presets[name];
    $('preset-description').textContent = p.description;
    Object.keys(rows).forEach(function (id) {
      var row = rows[id];
      if (row.added) { row.el.remove(); delete rows[id]; return; }
      var e = p.events[id];
      row.on.checked = !!(e && e.enabled);
      row.el.classList.toggle('off', !row.on.checked);
      row.el.classList.toggle('absent', !e);
      var base = e || firstDefinition(id);
      row.date.value = base ? base.date : '1959-01';
      Object.keys(row.settings).forEach(function (s) {
        var v = base && base.settings[s] !== undefined ? base.settings[s] : settingDefault(row.policy, s);
        row.settings[s].value = v === undefined ? '' : num(v);
      });
    });
    Object.keys(paramInputs).forEach(function (n) { paramInputs[n].value = num(presetParam(n)); });
  }
  function firstDefinition(id) {
    for (var i = 0; i < cat.presets.length; i++) if (cat.presets[i].events[id]) return cat.presets[i].events[id];
    return null;
  }
  function settingDefault(policy, s) { var i = settingInfo(policy, s); return i ? i['default'] : undefined; }
  function presetParam(n) { var v = presets[presetName].parameters[n]; return v === undefined ? params[n]['default'] : v; }
  function value(input) { return input.value.trim() === '' ? NaN : Number(input.value); }
  function same(a, b) { return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)); }

  // The changes from the preset, as the server reads them (RunRequest): only what differs is sent and kept in the link.
  function changes() {
    var p = presets[presetName], events = {}, parameters = {};
    Object.keys(rows).forEach(function (id) {
      var row = rows[id], e = row.added ? null : p.events[id], ch = {}, settings = {}, any = false;
      if (e) {
        if (row.on.checked !== e.enabled) ch.enabled = row.on.checked;
        if (row.date.value !== e.date) ch.date = row.date.value;
        Object.keys(row.settings).forEach(function (s) {
          var raw = row.settings[s].value.trim(), v = value(row.settings[s]);
          if (raw === '' && e.settings[s] === undefined) return;
          if (e.settings[s] === undefined || !same(v, e.settings[s])) { settings[s] = isNaN(v) ? raw : v; any = true; }
        });
      } else {
        if (!row.on.checked) { row.el.classList.remove('changed'); return; }
        ch.policy = row.policy;
        ch.date = row.date.value;
        Object.keys(row.settings).forEach(function (s) {
          var raw = row.settings[s].value.trim(), v = value(row.settings[s]);
          if (raw !== '') { settings[s] = isNaN(v) ? raw : v; any = true; }
        });
      }
      if (any) ch.settings = settings;
      var has = Object.keys(ch).length > 0;
      row.el.classList.toggle('changed', has);
      if (has) events[id] = ch;
    });
    Object.keys(paramInputs).forEach(function (n) {
      var input = paramInputs[n], v = value(input), differs = !same(v, presetParam(n));
      input.parentNode.parentNode.classList.toggle('changed', differs);
      if (differs) parameters[n] = isNaN(v) ? input.value : v;
    });
    var seed = seedIn.value.trim() === '' ? cat.defaultSeed : Number(seedIn.value);
    return { preset: presetName, resolution: resSel.value, seed: seed, name: nameIn.value.trim() || DEFAULT_NAME, parameters: parameters, events: events };
  }

  // The link: ?preset=P&res=R&seed=N[&name=S]&ev:ID:on=0|1&ev:ID:date=YYYY-MM&ev:ID:policy=P&ev:ID:SETTING=V&par:NAME=V
  function enc(s) { return encodeURIComponent(s).replace(/%3A/g, ':'); }
  function toQuery(c) {
    var q = ['preset=' + enc(c.preset), 'res=' + enc(c.resolution), 'seed=' + enc(String(c.seed))];
    if (c.name !== DEFAULT_NAME) q.push('name=' + enc(c.name));
    Object.keys(c.events).forEach(function (id) {
      var e = c.events[id], k = 'ev:' + id + ':';
      if (e.policy) q.push(k + 'policy=' + enc(e.policy));
      if (e.enabled !== undefined) q.push(k + 'on=' + (e.enabled ? 1 : 0));
      if (e.date) q.push(k + 'date=' + enc(e.date));
      Object.keys(e.settings || {}).forEach(function (s) { q.push(k + enc(s) + '=' + enc(String(e.settings[s]))); });
    });
    Object.keys(c.parameters).forEach(function (n) { q.push('par:' + enc(n) + '=' + enc(String(c.parameters[n]))); });
    return '?' + q.join('&');
  }
  function fromQuery(search) {
    var pairs = search.replace(/^\?/, '').split('&').filter(Boolean).map(function (kv) {
      var i = kv.indexOf('=');
      var dec = function (s) { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (e) { return s; } };
      return i < 0 ? [dec(kv), ''] : [dec(kv.slice(0, i)), dec(kv.slice(i + 1))];
    });
    var get = function (k) { var p = pairs.filter(function (x) { return x[0] === k; })[0]; return p ? p[1] : null; };
    applyPreset(presets[get('preset')] ? get('preset') : presetName);
    resSel.value = cat.resolutions.indexOf(get('res')) >= 0 ? get('res') : cat.defaultResolution;
    seedIn.value = get('seed') !== null ? get('seed') : String(cat.defaultSeed);
    nameIn.value = get('name') || DEFAULT_NAME;
    // new events first (they need their policy to have controls), then every field
    pairs.forEach(function (kv) {
      var m = /^ev:([^:]+):policy$/.exec(kv[0]);
      if (m && !rows[m[1]] && policies[kv[1]]) {
        var row = addedRow(kv[1], m[1]);
        row.on.checked = true;
        Object.keys(row.settings).forEach(function (s) { row.settings[s].value = ''; });
      }
    });
    pairs.forEach(function (kv) {
      var m = /^ev:([^:]+):(.+)$/.exec(kv[0]), row = m && rows[m[1]];
      if (row) {
        if (m[2] === 'on') row.on.checked = kv[1] === '1' || kv[1] === 'true';
        else if (m[2] === 'date') row.date.value = kv[1];
        else if (row.settings[m[2]]) row.settings[m[2]].value = kv[1];
        row.el.classList.toggle('off', !row.on.checked);
      }
      var pm = /^par:(.+)$/.exec(kv[0]);
      if (pm && paramInputs[pm[1]]) { paramInputs[pm[1]].value = kv[1]; $('params').open = true; }
    });
  }

  // ---------------------------------------------------------------- checking values against their ranges

  function setMsg(key, text) {
    var spans = document.querySelectorAll('[data-msg-for]'), shown = false;
    // the message goes next to the control of its key, or of the nearest enclosing key (events.ID)
    var k = key;
    while (k && !shown) {
      for (var i = 0; i < spans.length; i++) if (spans[i].dataset.msgFor === k) { spans[i].textContent = text; shown = true; break; }
      var dot = k.lastIndexOf('.');
      if (k.indexOf('events.') === 0 && dot > 'events.'.length) k = k.slice(0, dot); else break;
    }
    var input = document.querySelector('[data-key="' + (window.CSS && CSS.escape ? CSS.escape(key) : key) + '"]');
    if (input) {
      input.classList.toggle('invalid', !!text);
      if (text) {
        var d = input.closest('details');
        if (d) d.open = true;
        if (text && input.scrollIntoView) input.scrollIntoView({ block: 'nearest' });
      }
    }
    return shown;
  }
  function clearMsgs() {
    document.querySelectorAll('[data-msg-for]').forEach(function (s) { s.textContent = ''; });
    document.querySelectorAll('input.invalid').forEach(function (i) { i.classList.remove('invalid'); });
  }
  function check(input) {
    var key = input.dataset.key;
    if (!key || input.type !== 'number') return;
    var raw = input.value.trim(), v = Number(raw), text = '';
    if (raw === '' || isNaN(v)) text = raw === '' && key.indexOf('events.') === 0 ? '' : 'a number is needed';
    else if (input.min !== '' && v < Number(input.min) || input.max !== '' && v > Number(input.max))
      text = num(v) + ' is outside the range [' + input.min + ', ' + input.max + ']';
    setMsg(key, text);
  }

  var pending = null;
  function changed() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      var c = changes(), n = Object.keys(c.events).length + Object.keys(c.parameters).length;
      history.replaceState(null, '', toQuery(c));
      $('changes').textContent = n ? n + ' change' + (n > 1 ? 's' : '') + ' from ' + presetName + ' (highlighted).' : '';
    }, 0);
  }
  document.addEventListener('input', function (ev) { if (ev.target.dataset && ev.target.dataset.key) check(ev.target); if (ev.target.closest && ev.target.closest('#controls, .runbar')) changed(); });
  document.addEventListener('change', function (ev) { if (ev.target.closest && ev.target.closest('#controls, .runbar')) changed(); });
  presetSel.addEventListener('change', function () { clearMsgs(); applyPreset(presetSel.value); changed(); });

  // ---------------------------------------------------------------- running: the stream of server-sent events

  var status = $('status'), current = null;
  var timings = window.leapsimTimings = {};
  var mapControl = LeapSim.provinceMap(document, null);
  LeapSim.bindTabs(document);
  function say(text, error) { status.textContent = text; status.classList.toggle('error', !!error); }
  function showErrors(errors) {
    var loose = [];
    errors.forEach(function (e) { if (!setMsg(e.key, e.message)) loose.push(e.message); });
    say('Not run: ' + (loose.length ? loose.join('; ') : 'a value needs fixing (marked in red).'), true);
  }
  function post(path, body, signal) {
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: signal, cache: 'no-store' });
  }
  function resetView() {
    $('excess').textContent = '–';
    $('counter-month').textContent = '';
    $('historical-counter').textContent = '';
    $('progress').value = 0;
    $('progress-label').textContent = '';
    $('downloads').innerHTML = '';
    $('queue').hidden = true;
    frameWaiting = null; // a frame of the previous run is never drawn over this one
  }
  var handlers = {
    accepted: function (d) {
      timings.accepted = performance.now();
      timings.server.readMs = d.readMs; timings.server.checkedMs = d.checkedMs; say('Accepted: ' + d.scenario + ' (from ' + d.preset + '), ' + d.resolution + ' resolution, seed ' + d.seed + '.'); },
    preparing: function (d) { say('Preparing: ' + d.text + '.'); },
    queued: function (d) {
      var q = $('queue');
      q.hidden = false;
      q.dataset.position = d.position;
      q.textContent = 'Waiting in line: position ' + d.position + ' (at most ' + document.body.dataset.maxRuns + ' simulations run at once).';
      say('Waiting for a free slot…');
    },
    started: function (d) {
      $('queue').hidden = true;
      $('progress').max = d.months;
      timings.started = performance.now();
      timings.server.startedMs = d.waitedMs;
      say('Running…');
    },
    month: function (d) {
      if (d.m === 1) { timings.firstMonthEvent = performance.now(); timings.server.firstMonthMs = d.elapsedMs; timings.server.buildMs = d.buildMs; timings.server.gcPauseMs = d.gcPauseMs; }
      $('excess').textContent = d.excessDeathsM.toFixed(2);
      $('counter-month').textContent = 'by the end of ' + d.date;
      $('historical-counter').textContent = 'historical default by then: ' + d.historicalExcessDeathsM.toFixed(2) + ' million';
      $('progress').value = d.m;
      $('progress-label').textContent = d.date + ' (' + d.m + ' of ' + $('progress').max + ' months)';
      timings.lastMonth = d.m;
    },
    frame: function (d) {
      if (timings.firstFrameEvent === undefined) { timings.firstFrameEvent = performance.now(); timings.server.firstFrameMs = d.elapsedMs; timings.server.firstRenderMs = d.renderMs; }
      timings.server.renderMs = (timings.server.renderMs || 0) + d.renderMs;
      queueFrame(d);
    },
    done: function (d) {
      drawFrame(); // the last frame now, not at the next repaint
      timings.done = performance.now();
      timings.server.doneMs = Math.round(d.seconds * 1000);
      say('Done: 10 years in ' + d.seconds.toFixed(1) + ' s on the server. The tables of this run:');
      $('downloads').innerHTML = d.csv.map(function (c) { return '<a href="' + esc(c.href) + '" download>' + esc(c.name) + '</a>'; }).join('');
    },
    error: function (d) { say(d.message, true); },
  };
  // A frame is drawn at the browser's next repaint, and only the latest: when frames come faster than the page draws
  // them (a slow or busy machine, a tab in the background), those in between are skipped, never queued up.
  var frameWaiting = null, drawScheduled = false;
  function queueFrame(d) {
    if (frameWaiting) {
      // a skipped frame's yearly charts and map stay wanted when the newer frame has none (its year is not complete)
      if (!d.yearly) d.yearly = frameWaiting.yearly;
      if (!d.map) d.map = frameWaiting.map;
      timings.skippedFrames = (timings.skippedFrames || 0) + 1;
    }
    frameWaiting = d;
    if (!drawScheduled) { drawScheduled = true; requestAnimationFrame(drawFrame); }
  }
  function drawFrame() {
    drawScheduled = false;
    var d = frameWaiting;
    frameWaiting = null;
    if (!d) return;
    var t0 = performance.now();
    Object.keys(d.monthly).forEach(function (id) { swap('slot-month-' + id, d.monthly[id]); });
    if (d.yearly) Object.keys(d.yearly).forEach(function (id) { swap('slot-year-' + id, d.yearly[id]); });
    if (d.map) mapControl.setData(d.map);
    var t1 = performance.now();
    if (timings.firstFrame === undefined) timings.firstFrame = t1;
    timings.frames = (timings.frames || 0) + 1;
    timings.framedMonths = d.monthsDone;
    (timings.drawMs = timings.drawMs || []).push(Math.round(t1 - t0));
  }
  function swap(id, html) {
    var slot = $(id);
    if (!slot) return;
    slot.innerHTML = html;
    LeapSim.bindCharts(slot);
  }
  function dispatch(block) {
    var name = 'message', data = '';
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event: ') === 0) name = line.slice(7);
      else if (line.indexOf('data: ') === 0) data += line.slice(6);
    });
    if (handlers[name] && data) handlers[name](JSON.parse(data));
  }
  function run(ev) {
    // timed from the click itself (the event's time), so that the page's own work before the request counts too
    var clicked = ev && ev.timeStamp > 0 ? ev.timeStamp : performance.now();
    stop();
    var c = changes();
    var ctrl = new AbortController();
    current = ctrl;
    timings = window.leapsimTimings = { clicked: clicked, server: {} };
    var sent = post('api/runs', c, ctrl.signal); // the request goes first; the page is tidied while it travels
    clearMsgs();
    resetView();
    history.replaceState(null, '', toQuery(c));
    $('run').disabled = true; $('stop').disabled = false;
    say('Sending…');
    sent.then(function (res) {
      timings.headers = performance.now();
      if (!res.ok) return res.json().then(function (j) { showErrors(j.errors || [{ key: '<request>', message: 'refused (' + res.status + ')' }]); });
      var reader = res.body.getReader(), decoder = new TextDecoder(), buffer = '';
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return;
          buffer += decoder.decode(r.value, { stream: true });
          var cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) { dispatch(buffer.slice(0, cut)); buffer = buffer.slice(cut + 2); }
          return pump();
        });
      }
      return pump();
    }).catch(function (e) {
      if (e.name !== 'AbortError') say('The connection to the server failed: ' + e.message, true);
    }).then(function () {
      if (current === ctrl) { current = null; $('run').disabled = false; $('stop').disabled = true; }
    });
  }
  function stop() {
    if (current) { current.abort(); current = null; say('Stopped.'); }
    $('run').disabled = false; $('stop').disabled = true;
  }
  $('run').addEventListener('click', run);
  $('stop').addEventListener('click', stop);
  $('save-scenario').addEventListener('click', function () {
    clearMsgs();
    var c = changes();
    post('api/scenario', c).then(function (res) {
      if (!res.ok) return res.json().then(function (j) { showErrors(j.errors); });
      return res.blob().then(function (blob) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = c.name + '.yaml';
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        say('Scenario file ' + c.name + '.yaml saved: run it with leapsim run --scenario ' + c.name + '.yaml');
      });
    });
  });

  // the controls sit below the header bar, whatever its height
  function fitBar() { document.documentElement.style.setProperty('--bar', document.querySelector('header.bar').offsetHeight + 'px'); }
  window.addEventListener('resize', fitBar);
  new ResizeObserver(fitBar).observe(document.querySelector('header.bar'));

  fromQuery(location.search);
  document.querySelectorAll('#controls input[type=number]').forEach(check);
  changed();
})();
