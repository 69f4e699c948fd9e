// Courtier's web console. The MQTT side is MQTT.js (vendor/mqtt.min.js); this file only
// draws the page, calls the console's JSON API and keeps credentials for this tab.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const el = (tag, props, ...children) => {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const c of children) e.append(c);
    return e;
  };
  const state = {
    info: null, client: null, tab: 'overview', clientTimer: null,
    sys: {}, lastTick: null, history: [], userSubs: new Map(), messages: 0,
  };

  // ---- credentials and API -------------------------------------------------------------

  const creds = () => {
    const user = sessionStorage.getItem('courtier.user');
    return user === null ? null : { user, pass: sessionStorage.getItem('courtier.pass') || '' };
  };

  async function api(path, options) {
    const headers = { 'X-Courtier-Console': '1' };
    const c = creds();
    if (c) headers.Authorization = 'Basic ' + btoa(unescape(encodeURIComponent(c.user + ':' + c.pass)));
    const res = await fetch(path, Object.assign({ headers, cache: 'no-store' }, options || {}));
    if (res.status === 401) {
      showLogin(c ? 'Wrong user name or password.' : '');
      throw new Error('login needed');
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || res.statusText);
    return body;
  }

  function showLogin(message) {
    $('login').classList.remove('hidden');
    $('login-error').textContent = message || '';
    $('login-user').focus();
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('courtier.user', $('login-user').value);
    sessionStorage.setItem('courtier.pass', $('login-pass').value);
    $('login').classList.add('hidden');
    boot();
  });

  $('logout').addEventListener('click', () => {
    sessionStorage.removeItem('courtier.user');
    sessionStorage.removeItem('courtier.pass');
    location.reload();
  });

  // ---- formatting ----------------------------------------------------------------------

  const num = (n) => (n === undefined || n === null || isNaN(n)) ? '–' : Number(n).toLocaleString('en-US');
  const rate = (n) => n === null ? '–' : n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US');
  function bytes(n) {
    if (n === undefined || isNaN(n)) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    n = Number(n);
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? Math.round(n) : n.toFixed(1)) + ' ' + units[i];
  }
  function duration(s) {
    s = Number(s);
    if (isNaN(s)) return '–';
    const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + m + 'm';
    if (m > 0) return m + 'm ' + (s % 60) + 's';
    return s + 's';
  }

  // ---- tabs ----------------------------------------------------------------------------

  document.querySelectorAll('.tabs button').forEach((b) => b.addEventListener('click', () => selectTab(b.dataset.tab)));

  function selectTab(name) {
    state.tab = name;
    document.querySelectorAll('.tabs button').forEach((b) => b.classList.toggle('active', b.dataset.tab === name));
    document.querySelectorAll('.tab').forEach((s) => s.classList.toggle('active', s.id === name));
    clearInterval(state.clientTimer);
    if (name === 'clients') {
      loadClients();
      state.clientTimer = setInterval(loadClients, 3000);
    } else if (name === 'topics') {
      loadTopics();
    } else if (name === 'overview') {
      drawChart();
    } else if (name === 'security') {
      loadSecurity();
    } else if (name === 'bridges') {
      loadBridges();
      state.clientTimer = setInterval(loadBridges, 3000);
    }
    history.replaceState(null, '', '#' + name);
  }

  // ---- MQTT over WebSockets ------------------------------------------------------------

  function connectMqtt() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const c = creds();
    const options = {
      clientId: 'courtier-console-' + Math.random().toString(16).slice(2, 10),
      clean: true, keepalive: 30, reconnectPeriod: 3000, connectTimeout: 10000, protocolVersion: 4,
    };
    if (c) { options.username = c.user; options.password = c.pass; }
    const client = mqtt.connect(scheme + location.host + state.info.mqttPath, options);
    state.client = client;
    client.on('connect', () => {
      setMqttState(true);
      client.subscribe('$SYS/broker/#', { qos: 0 });
      for (const [filter, qos] of state.userSubs) client.subscribe(filter, { qos });
    });
    client.on('close', () => setMqttState(false));
    client.on('offline', () => setMqttState(false));
    client.on('error', (err) => { $('mqtt-state').title = String(err && err.message || err); });
    client.on('message', onMessage);
  }

  function setMqttState(on) {
    const pill = $('mqtt-state');
    pill.textContent = on ? 'live' : 'offline';
    pill.className = 'pill ' + (on ? 'pill-on' : 'pill-off');
  }

  function onMessage(topic, payload, packet) {
    if (topic.startsWith('$SYS/broker/')) onSys(topic.slice(12), payload.toString());
    for (const filter of state.userSubs.keys()) {
      if (matches(filter, topic)) { addMessage(topic, payload, packet); break; }
    }
  }

  // Which of the user's filters a topic matches, to show only what they asked for next to
  // the console's own $SYS subscription (MQTT 3.1.1 section 4.7).
  function matches(filter, topic) {
    if (filter.startsWith('$share/')) filter = filter.split('/').slice(2).join('/');
    const f = filter.split('/'), t = topic.split('/');
    if (topic.startsWith('$') && (f[0] === '#' || f[0] === '+')) return false;
    for (let i = 0; i < f.length; i++) {
      if (f[i] === '#') return true;
      if (i >= t.length) return false;
      if (f[i] !== '+' && f[i] !== t[i]) return false;
    }
    return f.length === t.length;
  }

  // ---- overview from $SYS --------------------------------------------------------------

  function onSys(name, value) {
    state.sys[name] = value;
    const v = (k) => state.sys[k];
    $('ov-clients').textContent = num(v('clients/connected'));
    $('ov-clients-max').textContent = v('clients/maximum') !== undefined ? 'max ' + num(v('clients/maximum')) : '';
    $('ov-total-in').textContent = num(v('publish/messages/received')) + ' total';
    $('ov-total-out').textContent = num(v('publish/messages/sent')) + ' total';
    $('ov-bytes-in').textContent = bytes(v('bytes/received'));
    $('ov-bytes-out').textContent = bytes(v('bytes/sent'));
    $('ov-retained').textContent = num(v('retained messages/count'));
    $('ov-subs').textContent = num(v('subscriptions/count'));
    $('ov-stored').textContent = v('messages/stored') !== undefined ? num(v('messages/stored')) + ' messages stored' : '';
    if (v('version')) $('ov-version').textContent = v('version');
    // A cluster node: how many nodes it sees and their names, this one marked.
    if (v('cluster/nodes') !== undefined) {
      $('ov-cluster-card').classList.remove('hidden');
      $('ov-cluster').textContent = num(v('cluster/nodes'));
      $('ov-cluster-members').textContent = String(v('cluster/members') || '').split(' ')
        .map((n) => (n === v('cluster/node') ? n + ' (this node)' : n)).join(', ');
    }
    if (name === 'uptime') {
      $('ov-uptime').textContent = duration(parseInt(value, 10));
      tick();
    }
  }

  // sys_interval 0 turns $SYS off (as in Mosquitto): the overview then polls the JSON API and
  // feeds the same values through the same path.
  async function pollOverview() {
    let o;
    try { o = await api('api/overview'); } catch (e) { return; }
    const values = {
      'clients/connected': o.clientsConnected, 'clients/maximum': o.clientsMaximum,
      'publish/messages/received': o.messagesReceived, 'publish/messages/sent': o.messagesSent,
      'bytes/received': o.bytesReceived, 'bytes/sent': o.bytesSent, 'retained messages/count': o.retained,
      'subscriptions/count': o.subscriptions, 'version': 'courtier version ' + o.version,
    };
    if (o.cluster) {
      values['cluster/node'] = o.cluster.node;
      values['cluster/members'] = o.cluster.nodes.map((n) => n.name).join(' ');
      values['cluster/nodes'] = o.cluster.nodes.length;
    }
    for (const [k, v] of Object.entries(values)) onSys(k, String(v));
    onSys('uptime', o.uptimeSeconds + ' seconds');
  }

  // Rates come from the counters' change between two uptime ticks (the counters themselves
  // are only published when they change, so a quiet broker sends no new value).
  function tick() {
    // Right after subscribing, uptime arrives before the retained counters: wait for them all.
    const keys = ['publish/messages/received', 'publish/messages/sent', 'bytes/received', 'bytes/sent'];
    if (keys.some((k) => state.sys[k] === undefined)) return;
    const now = Date.now();
    const snap = {
      t: now, in: Number(state.sys['publish/messages/received'] || 0), out: Number(state.sys['publish/messages/sent'] || 0),
      bin: Number(state.sys['bytes/received'] || 0), bout: Number(state.sys['bytes/sent'] || 0),
    };
    const last = state.lastTick;
    state.lastTick = snap;
    if (!last) return;
    const dt = (snap.t - last.t) / 1000;
    if (dt <= 0.2) return;
    const rin = Math.max(0, (snap.in - last.in) / dt), rout = Math.max(0, (snap.out - last.out) / dt);
    $('ov-rate-in').textContent = rate(rin);
    $('ov-rate-out').textContent = rate(rout);
    $('ov-bytes-in-rate').textContent = bytes(Math.max(0, (snap.bin - last.bin) / dt)) + '/s';
    $('ov-bytes-out-rate').textContent = bytes(Math.max(0, (snap.bout - last.bout) / dt)) + '/s';
    state.history.push([rin, rout]);
    if (state.history.length > 90) state.history.shift();
    drawChart();
  }

  function drawChart() {
    const canvas = $('chart');
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (!w) return;
    canvas.width = w * ratio; canvas.height = h * ratio;
    const g = canvas.getContext('2d');
    g.scale(ratio, ratio);
    g.clearRect(0, 0, w, h);
    const data = state.history;
    const max = Math.max(1, ...data.map((d) => Math.max(d[0], d[1])));
    g.strokeStyle = '#e1e6ef'; g.lineWidth = 1; g.fillStyle = '#6a7488'; g.font = '11px system-ui, sans-serif';
    for (let i = 0; i <= 2; i++) {
      const y = 10 + (h - 30) * i / 2;
      g.beginPath(); g.moveTo(40, y); g.lineTo(w, y); g.stroke();
      g.fillText(rate(max * (1 - i / 2)), 0, y + 4);
    }
    if (data.length < 2) {
      g.fillText('Waiting for two $SYS updates…', 48, h / 2);
      return;
    }
    const css = getComputedStyle(document.documentElement);
    [[0, css.getPropertyValue('--in')], [1, css.getPropertyValue('--out')]].forEach(([k, color]) => {
      g.strokeStyle = color.trim(); g.lineWidth = 2; g.beginPath();
      data.forEach((d, i) => {
        const x = 40 + (w - 44) * i / (data.length - 1), y = 10 + (h - 30) * (1 - d[k] / max);
        if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
    });
  }
  window.addEventListener('resize', drawChart);

  // ---- clients -------------------------------------------------------------------------

  async function loadClients() {
    let data;
    try {
      data = await api('api/clients?q=' + encodeURIComponent($('client-filter').value));
    } catch (e) {
      $('client-message').textContent = e.message === 'login needed' ? '' : 'Could not load clients: ' + e.message;
      return;
    }
    $('client-message').textContent = '';
    const connected = data.clients.filter((c) => c.connected).length;
    $('client-count').textContent = connected + ' connected, ' + (data.total - connected) + ' offline sessions'
      + (data.total > data.clients.length ? ' (first ' + data.clients.length + ' shown)' : '');
    const body = $('client-table').tBodies[0];
    body.replaceChildren(...data.clients.map(clientRow));
    if (!data.clients.length) body.append(el('tr', {}, el('td', { colSpan: 8, className: 'muted', textContent: 'No clients.' })));
  }

  function clientRow(c) {
    const id = el('td', { className: 'id', textContent: c.id, title: (c.filters || []).join('\n') });
    if (c.username) id.append(el('span', { className: 'tag', textContent: c.username }));
    if (!c.connected) id.append(el('span', { className: 'tag off', textContent: 'offline' }));
    if (c.transport === 'websockets') id.append(el('span', { className: 'tag', textContent: 'ws' }));
    if (state.client && c.id === state.client.options.clientId) id.append(el('span', { className: 'tag', textContent: 'this console' }));
    const action = el('td');
    if (c.connected && state.info.canAdmin) {
      const b = el('button', { type: 'button', className: 'danger', textContent: 'Disconnect' });
      b.addEventListener('click', () => disconnect(c.id, b));
      action.append(b);
    }
    return el('tr', {}, id,
      el('td', { className: 'mono', textContent: c.address || '–' }),
      el('td', { textContent: c.protocol ? 'MQTT ' + c.protocol : '–' }),
      el('td', { className: 'num', textContent: c.connected ? c.keepAlive + ' s' : '–' }),
      el('td', { className: 'num', textContent: num(c.subscriptions) }),
      el('td', { className: 'num', textContent: num(c.queued) }),
      el('td', { className: 'num', textContent: num(c.inflight) }),
      action);
  }

  // ---- bridges -------------------------------------------------------------------------

  async function loadBridges() {
    let data;
    try {
      data = await api('api/bridges');
    } catch (e) {
      $('bridge-message').textContent = e.message === 'login needed' ? '' : 'Could not load bridges: ' + e.message;
      return;
    }
    $('bridge-message').textContent = '';
    $('bridge-table').tBodies[0].replaceChildren(...data.map((b) => {
      const name = el('td', { className: 'id', textContent: b.name, title: 'local client id ' + b.localClientId });
      name.append(el('span', { className: b.connected ? 'tag' : 'tag off', textContent: b.connected ? 'up' : 'down' }));
      return el('tr', {}, name,
        el('td', { className: 'mono', textContent: b.addresses }),
        el('td', { className: 'mono', textContent: b.remoteClientId }),
        el('td', { className: 'num', textContent: num(b.queued) }),
        el('td', { className: 'num', textContent: num(b.inflight) }),
        el('td', { className: 'num', textContent: num(b.forwarded) }),
        el('td', { className: 'num', textContent: num(b.received) }),
        el('td', { className: 'num', textContent: num(b.connections) }));
    }));
  }

  async function disconnect(id, button) {
    if (!button.classList.contains('confirm')) { // a second click confirms
      button.classList.add('confirm');
      button.textContent = 'Confirm';
      return;
    }
    try {
      await api('api/clients/disconnect?id=' + encodeURIComponent(id), { method: 'POST' });
      $('client-message').textContent = 'Disconnected ' + id + '.';
    } catch (e) {
      $('client-message').textContent = 'Could not disconnect ' + id + ': ' + e.message;
    }
    setTimeout(loadClients, 300);
  }

  $('client-filter').addEventListener('input', loadClients);
  $('client-refresh').addEventListener('click', loadClients);

  // ---- retained topics -----------------------------------------------------------------

  async function loadTopics() {
    let data;
    try { data = await api('api/retained'); } catch (e) { return; }
    $('topic-count').textContent = num(data.total) + ' retained messages'
      + (data.total > data.topics.length ? ' (first ' + data.topics.length + ' shown)' : '');
    const root = { children: new Map() };
    for (const t of data.topics) {
      let node = root;
      for (const part of t.topic.split('/')) {
        if (!node.children.has(part)) node.children.set(part, { children: new Map() });
        node = node.children.get(part);
      }
      node.message = t;
    }
    $('topic-tree').replaceChildren(renderLevel(root, 0));
  }

  function renderLevel(node, depth) {
    const ul = el('ul');
    for (const [name, child] of [...node.children.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const label = name === '' ? '(empty)' : name;
      const li = el('li');
      const leaf = child.message ? leafButton(label, child.message) : null;
      if (child.children.size) {
        const details = el('details', { open: depth < 1 });
        const summary = el('summary');
        summary.append(leaf || el('span', { className: 'name', textContent: label }),
          el('span', { className: 'size', textContent: countLeaves(child) + '' }));
        details.append(summary, renderLevel(child, depth + 1));
        li.append(details);
      } else {
        li.append(leaf);
      }
      ul.append(li);
    }
    return ul;
  }

  function countLeaves(node) {
    let n = node.message ? 1 : 0;
    for (const c of node.children.values()) n += countLeaves(c);
    return n;
  }

  function leafButton(label, message) {
    const b = el('button', { type: 'button', className: 'leaf', textContent: label, title: message.topic });
    b.addEventListener('click', (e) => { e.preventDefault(); showPayload(message.topic, b); });
    return b;
  }

  async function showPayload(topic, button) {
    document.querySelectorAll('.tree .leaf.selected').forEach((b) => b.classList.remove('selected'));
    button.classList.add('selected');
    let m;
    try { m = await api('api/retained/message?topic=' + encodeURIComponent(topic)); } catch (e) {
      $('payload-view').textContent = e.message;
      return;
    }
    $('payload-topic').textContent = m.topic;
    $('payload-meta').textContent = 'QoS ' + m.qos + ' · ' + bytes(m.size) + ' · stored ' + new Date(m.storedAt).toLocaleString();
    let text = m.text;
    if (text !== null) {
      try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON: show as is */ }
    }
    $('payload-view').textContent = text !== null ? text : '(binary, base64)\n' + m.base64;
  }

  $('topic-refresh').addEventListener('click', loadTopics);

  // ---- publish and subscribe -----------------------------------------------------------

  $('sub-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const filter = $('sub-topic').value.trim();
    const qos = Number($('sub-qos').value);
    if (!filter || !state.client) return;
    state.client.subscribe(filter, { qos }, (err, granted) => {
      if (err || (granted && granted[0] && granted[0].qos === 128)) {
        $('pub-status').textContent = 'Subscription to ' + filter + ' refused.';
        return;
      }
      state.userSubs.set(filter, qos);
      renderSubs();
    });
  });

  function renderSubs() {
    $('sub-list').replaceChildren(...[...state.userSubs.entries()].map(([filter, qos]) => {
      const x = el('button', { type: 'button', textContent: '×', title: 'Unsubscribe' });
      x.setAttribute('aria-label', 'Unsubscribe from ' + filter);
      x.addEventListener('click', () => {
        state.client.unsubscribe(filter);
        state.userSubs.delete(filter);
        renderSubs();
      });
      return el('li', {}, el('span', { className: 'mono', textContent: filter + '  (QoS ' + qos + ')' }), x);
    }));
  }

  function addMessage(topic, payload, packet) {
    let text;
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(payload); } catch (e) {
      text = '(' + payload.length + ' bytes, binary)';
    }
    if (text.length > 2000) text = text.slice(0, 2000) + '…';
    const t = el('td', { className: 'mono', textContent: new Date().toLocaleTimeString() });
    const name = el('td', { className: 'mono', textContent: topic });
    if (packet.retain) name.append(el('span', { className: 'tag', textContent: 'retained' }));
    const row = el('tr', {}, t, name, el('td', { className: 'num', textContent: String(packet.qos) }),
      el('td', { className: 'msg-payload mono', textContent: text }));
    const body = $('msg-table').tBodies[0];
    body.prepend(row);
    while (body.rows.length > 200) body.deleteRow(body.rows.length - 1);
    state.messages++;
    $('msg-count').textContent = '(' + num(state.messages) + ')';
  }

  $('msg-clear').addEventListener('click', () => {
    $('msg-table').tBodies[0].replaceChildren();
    state.messages = 0;
    $('msg-count').textContent = '';
  });

  $('pub-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const topic = $('pub-topic').value.trim();
    const qos = Number($('pub-qos').value);
    const retain = $('pub-retain').checked;
    if (!topic || !state.client) return;
    state.client.publish(topic, $('pub-payload').value, { qos, retain }, (err) => {
      $('pub-status').textContent = err ? 'Publish failed: ' + err.message
        : 'Published to ' + topic + ' at QoS ' + qos + (retain ? ', retained' : '') + ' · ' + new Date().toLocaleTimeString();
    });
  });

  // ---- start ---------------------------------------------------------------------------

  // ---- dynamic security: mosquitto_ctrl's commands through POST api/dynsec ------------

  async function dynsec(commands) {
    const body = await api('api/dynsec', { method: 'POST', body: JSON.stringify({ commands }) });
    const failed = (body.responses || []).filter((r) => r.error);
    if (failed.length) throw new Error(failed.map((r) => r.command + ': ' + r.error).join('; '));
    return body.responses;
  }

  const secStatus = (text, error) => {
    $('sec-status').textContent = text;
    $('sec-status').classList.toggle('error', !!error);
  };

  async function change(commands, done) {
    try {
      await dynsec(commands);
      secStatus(done, false);
      await loadSecurity();
    } catch (e) {
      secStatus(e.message, true);
    }
  }

  const button = (label, onClick) => {
    const b = el('button', { type: 'button', className: 'secondary', textContent: label });
    b.addEventListener('click', onClick);
    return b;
  };
  const names = (list, key) => (list || []).map((m) => m[key] + (m.priority !== undefined ? ' (' + m.priority + ')' : '')).join(', ');
  const options = (select, values) => {
    const keep = select.value;
    select.replaceChildren(...values.map((v) => el('option', { textContent: v, value: v })));
    if (values.includes(keep)) select.value = keep;
  };

  async function loadSecurity() {
    let r;
    try {
      r = await dynsec([
        { command: 'listClients', verbose: true }, { command: 'listRoles', verbose: true },
        { command: 'listGroups', verbose: true }, { command: 'getDefaultACLAccess' }, { command: 'getAnonymousGroup' },
      ]);
    } catch (e) {
      secStatus(e.message, true);
      return;
    }
    const clients = r[0].data.clients, roles = r[1].data.roles, groups = r[2].data.groups;
    $('sec-clients').tBodies[0].replaceChildren(...clients.map((c) => el('tr', {},
      el('td', { textContent: c.username + (c.disabled ? ' (disabled)' : '') }),
      el('td', { textContent: names(c.roles, 'rolename') }), el('td', { textContent: names(c.groups, 'groupname') }),
      el('td', {},
        button(c.disabled ? 'Enable' : 'Disable', () => change([{ command: c.disabled ? 'enableClient' : 'disableClient', username: c.username }],
          (c.disabled ? 'Enabled ' : 'Disabled ') + c.username)),
        button('Delete', () => confirm('Delete client ' + c.username + '?')
          && change([{ command: 'deleteClient', username: c.username }], 'Deleted ' + c.username))))));
    $('sec-roles').tBodies[0].replaceChildren(...roles.map((role) => el('tr', {},
      el('td', { textContent: role.rolename }),
      el('td', {}, ...role.acls.map((a) => el('div', { className: 'acl' },
        a.acltype + ' ' + (a.allow ? 'allow' : 'deny') + ' ' + a.topic + ' (' + a.priority + ') ',
        button('×', () => change([{ command: 'removeRoleACL', rolename: role.rolename, acltype: a.acltype, topic: a.topic }],
          'Removed an ACL of ' + role.rolename))))),
      el('td', {}, button('Delete', () => confirm('Delete role ' + role.rolename + '?')
        && change([{ command: 'deleteRole', rolename: role.rolename }], 'Deleted ' + role.rolename))))));
    $('sec-groups').tBodies[0].replaceChildren(...groups.map((g) => el('tr', {},
      el('td', { textContent: g.groupname }), el('td', { textContent: names(g.roles, 'rolename') }),
      el('td', { textContent: names(g.clients, 'username') }),
      el('td', {}, button('Delete', () => confirm('Delete group ' + g.groupname + '?')
        && change([{ command: 'deleteGroup', groupname: g.groupname }], 'Deleted ' + g.groupname))))));
    $('sec-defaults').tBodies[0].replaceChildren(...r[3].data.acls.map((a) => el('tr', {},
      el('td', { textContent: a.acltype }),
      el('td', {}, button(a.allow ? 'allow' : 'deny', () => change([{ command: 'setDefaultACLAccess',
        acls: [{ acltype: a.acltype, allow: !a.allow }] }], a.acltype + ': ' + (a.allow ? 'deny' : 'allow')))))));
    $('sec-anonymous').textContent = r[4].data.group.groupname || 'none';
    const userNames = clients.map((c) => c.username), roleNames = roles.map((x) => x.rolename);
    const groupNames = groups.map((g) => g.groupname);
    options($('sec-cr-client'), userNames);
    options($('sec-gm-client'), userNames);
    options($('sec-cr-role'), roleNames);
    options($('sec-acl-role'), roleNames);
    options($('sec-gm-group'), groupNames);
  }

  const priority = (id) => $(id).value === '' ? undefined : Number($(id).value);

  $('sec-client-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const cmd = { command: 'createClient', username: $('sec-client-name').value };
    if ($('sec-client-pass').value) cmd.password = $('sec-client-pass').value;
    change([cmd], 'Added client ' + cmd.username).then(() => { $('sec-client-name').value = ''; $('sec-client-pass').value = ''; });
  });
  $('sec-role-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('sec-role-name').value;
    change([{ command: 'createRole', rolename: name }], 'Added role ' + name).then(() => { $('sec-role-name').value = ''; });
  });
  $('sec-group-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('sec-group-name').value;
    change([{ command: 'createGroup', groupname: name }], 'Added group ' + name).then(() => { $('sec-group-name').value = ''; });
  });
  $('sec-acl-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const cmd = { command: 'addRoleACL', rolename: $('sec-acl-role').value, acltype: $('sec-acl-type').value,
      topic: $('sec-acl-topic').value, allow: $('sec-acl-allow').value === 'true', priority: priority('sec-acl-priority') };
    change([cmd], 'Added an ACL to ' + cmd.rolename).then(() => { $('sec-acl-topic').value = ''; });
  });
  $('sec-client-role-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const cmd = { command: 'addClientRole', username: $('sec-cr-client').value, rolename: $('sec-cr-role').value,
      priority: priority('sec-cr-priority') };
    change([cmd], 'Gave ' + cmd.rolename + ' to ' + cmd.username);
  });
  $('sec-group-member-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const cmd = { command: 'addGroupClient', groupname: $('sec-gm-group').value, username: $('sec-gm-client').value };
    change([cmd], 'Added ' + cmd.username + ' to ' + cmd.groupname);
  });

  async function boot() {
    let info;
    try { info = await api('api/info'); } catch (e) { return; }
    state.info = info;
    $('version').textContent = info.version;
    $('ov-interval').textContent = info.sysInterval;
    if (info.sysInterval <= 0) {
      $('ov-source').textContent = 'sys_interval is 0, so $SYS is off: polled from the JSON API every 2 s.';
      pollOverview();
      setInterval(pollOverview, 2000);
    }
    $('who').textContent = info.user ? info.user : '';
    $('logout').classList.toggle('hidden', !creds());
    if (state.client) state.client.end(true);
    connectMqtt();
    const wanted = location.hash.slice(1);
    $('security-tab').classList.toggle('hidden', !info.dynamicSecurity);
    const bridges = info.bridges > 0 && info.canAdmin;
    $('bridges-tab').classList.toggle('hidden', !bridges);
    const tabs = ['overview', 'clients', 'topics', 'pubsub'].concat(info.dynamicSecurity ? ['security'] : [])
      .concat(bridges ? ['bridges'] : []);
    selectTab(tabs.includes(wanted) ? wanted : 'overview');
  }

  boot();
})();
