// The built-in workspace: a small chat client over wardline's workspace JSON API.
const $ = (id) => document.getElementById(id);
const state = { as: null, people: [], channels: [], channel: null, thread: null, options: null, unread: new Set() };

async function api(path, body) {
  const res = await fetch(path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || `The server answered ${res.status}.`);
  return data;
}

function say(text) {
  $('status').textContent = text || '';
  if (text) setTimeout(() => { if ($('status').textContent === text) $('status').textContent = ''; }, 8000);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

const time = (iso) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

function renderMessage(m, inThread) {
  const model = m.model || null;
  const isCard = model && (model.type === 'case_card' || model.type === 'confirmation');
  const li = el('li', { class: `message${m.author ? '' : ' bot'}${isCard ? ' card' : ''}`, 'data-message-id': m.id });
  const author = m.author ? m.author.name : 'wardline';
  li.append(el('div', { class: 'meta' }, el('span', { class: 'author' }, author), el('time', { datetime: m.createdAt }, time(m.createdAt)),
    m.updatedAt !== m.createdAt ? el('span', {}, ' · edited') : null));
  if (isCard) {
    const labels = model.type === 'case_card' ? [model.case] : model.cases;
    li.append(el('div', {}, ...labels.map((c) => el('span', { class: 'status-label', 'data-status': c.status }, `${c.reference}: ${c.statusLabel}`))));
  }
  li.append(el('p', { class: 'text' }, m.text));
  if (model && model.image && /^[A-Za-z0-9+/=]+$/.test(model.image.png)) {
    li.append(el('img', { class: 'chart', src: `data:image/png;base64,${model.image.png}`, alt: model.image.alt }));
  }
  const buttons = (model && model.buttons) || [];
  const row = el('div', { class: 'actions' });
  for (const b of buttons) {
    row.append(el('button', { type: 'button', class: b.style || '', onclick: () => press(m, b) }, b.label));
  }
  if (!inThread) {
    const n = m.replyCount;
    row.append(el('button', { type: 'button', onclick: () => openThread(m.id), 'aria-label': `${n ? `${n} ${n === 1 ? 'reply' : 'replies'}` : 'Reply in thread'} to the message from ${author}` },
      n ? `${n} ${n === 1 ? 'reply' : 'replies'}` : 'Reply in thread'));
  }
  if (row.childNodes.length) li.append(row);
  return li;
}

async function press(m, b) {
  let input = null;
  if (b.form) {
    input = await askForm(b);
    if (input === null) return;
  }
  try {
    const r = await api('/api/workspace/actions', { as: state.as, messageId: m.id, actionId: b.actionId, value: b.value, input });
    say(r.ephemeral || 'Done.');
  } catch (e) { say(e.message); }
}

function askForm(b) {
  const dialog = $('form-dialog');
  const fields = $('form-fields');
  $('form-title').textContent = b.label;
  fields.replaceChildren();
  const o = state.options || { services: [], wards: [], assignees: [] };
  const select = (id, label, list, blank) => {
    const s = el('select', { id }, el('option', { value: '' }, blank), ...list.map((x) => el('option', { value: x.id }, x.name)));
    fields.append(el('label', { for: id }, label), s);
  };
  if (b.form.kind === 'text') fields.append(el('label', { for: 'form-text' }, b.form.label), el('textarea', { id: 'form-text', rows: 4, required: b.form.required }));
  if (b.form.kind === 'person') select('form-person', b.form.label, o.assignees, 'Choose a person');
  if (b.form.kind === 'route') {
    fields.append(el('p', {}, b.form.label));
    select('form-service', 'Service', o.services, 'Keep the service');
    select('form-ward', 'Ward', o.wards, 'Keep the ward');
  }
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'ok') return resolve(null);
      if (b.form.kind === 'text') return resolve($('form-text').value);
      if (b.form.kind === 'person') return resolve($('form-person').value || null);
      const route = { serviceId: $('form-service').value || undefined, wardId: $('form-ward').value || undefined };
      resolve(route.serviceId || route.wardId ? JSON.stringify(route) : null);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    fields.querySelector('textarea, select')?.focus();
  });
}

async function loadChannels() {
  const { channels } = await api(`/api/workspace/channels?as=${state.as}`);
  state.channels = channels;
  const ul = $('channels');
  ul.replaceChildren(...channels.map((c) => {
    const label = c.kind === 'dm' ? 'wardline (direct messages)' : `# ${c.name}`;
    return el('li', {}, el('button', {
      type: 'button', 'aria-current': state.channel === c.id ? 'true' : 'false', 'data-channel': c.id, onclick: () => openChannel(c.id),
    }, el('span', { class: state.unread.has(c.id) ? 'unread' : '' }, label + (state.unread.has(c.id) ? ' (new)' : ''))));
  }));
}

async function openChannel(id) {
  state.channel = id;
  state.unread.delete(id);
  const c = state.channels.find((x) => x.id === id);
  $('channel-title').textContent = c ? (c.kind === 'dm' ? 'Direct messages with wardline' : `# ${c.name}`) : id;
  $('compose-label').textContent = c ? (c.kind === 'dm' ? 'Message wardline' : `Message # ${c.name}`) : 'Message';
  $('compose').disabled = false;
  $('send').disabled = false;
  closeThread();
  await Promise.all([loadChannels(), loadMessages()]);
}

async function loadMessages() {
  if (!state.channel) return;
  const { messages } = await api(`/api/workspace/channels/${encodeURIComponent(state.channel)}/messages?as=${state.as}`);
  $('messages').replaceChildren(...messages.map((m) => renderMessage(m, false)));
  $('messages').scrollTop = $('messages').scrollHeight;
}

async function openThread(id) {
  state.thread = id;
  $('thread').hidden = false;
  await loadThread();
  $('reply').focus();
}

function closeThread() {
  state.thread = null;
  $('thread').hidden = true;
}

async function loadThread() {
  if (!state.thread) return;
  const { messages } = await api(`/api/workspace/channels/${encodeURIComponent(state.channel)}/messages?as=${state.as}&thread=${state.thread}`);
  $('replies').replaceChildren(...messages.map((m) => renderMessage(m, true)));
}

async function send(text, threadId) {
  if (!text.trim()) return;
  try {
    const r = await api(`/api/workspace/channels/${encodeURIComponent(state.channel)}/messages`, { as: state.as, text, threadId });
    if (r.ephemeral) say(r.ephemeral);
    await (threadId ? loadThread() : loadMessages());
  } catch (e) { say(e.message); }
}

async function choosePersona(id) {
  state.as = id || null;
  state.channel = null;
  if (!id) return;
  localStorage.setItem('wardline.as', id);
  await loadChannels();
  const dm = state.channels.find((c) => c.kind === 'dm');
  if (dm) await openChannel(dm.id);
}

function listen() {
  const es = new EventSource('/api/workspace/events');
  es.addEventListener('change', (e) => {
    const ch = JSON.parse(e.data);
    if (ch.channelId === state.channel) {
      loadMessages();
      if (state.thread) loadThread();
    } else if (state.channels.some((c) => c.id === ch.channelId)) {
      state.unread.add(ch.channelId);
      loadChannels();
    }
  });
}

async function start() {
  const [{ people }, options] = await Promise.all([api('/api/workspace/people'), api('/api/workspace/options')]);
  state.people = people;
  state.options = options;
  const select = $('persona');
  const groups = new Map();
  for (const p of people) {
    const role = p.roles[0] || 'other';
    if (!groups.has(role)) groups.set(role, el('optgroup', { label: role.replace('_', ' ') }));
    groups.get(role).append(el('option', { value: p.id }, `${p.name}${p.wards.length ? ` (${p.wards.slice(0, 2).join(', ')})` : ''}`));
  }
  select.replaceChildren(el('option', { value: '' }, 'Choose a person'), ...groups.values());
  select.addEventListener('change', () => choosePersona(select.value));
  $('composer').addEventListener('submit', (e) => { e.preventDefault(); const t = $('compose').value; $('compose').value = ''; send(t, null); });
  $('reply-form').addEventListener('submit', (e) => { e.preventDefault(); const t = $('reply').value; $('reply').value = ''; send(t, state.thread); });
  for (const [box, form] of [['compose', 'composer'], ['reply', 'reply-form']]) {
    $(box).addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $(form).requestSubmit(); } });
  }
  $('close-thread').addEventListener('click', closeThread);
  listen();
  const wanted = new URLSearchParams(location.search).get('as') || localStorage.getItem('wardline.as');
  if (wanted && people.some((p) => p.id === wanted)) { select.value = wanted; await choosePersona(wanted); }
}

start().catch((e) => say(`The workspace could not start: ${e.message}`));
