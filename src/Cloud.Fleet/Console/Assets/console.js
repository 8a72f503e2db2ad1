// Live rollout progress: follows the page's server-sent events and updates the counts, each group's and each device's row in place.
// Each row that changes gets data-shown-ms (when the browser showed it), which the tests compare with the ack time.
(function () {
  const section = document.getElementById('rollout');
  if (!section || !window.EventSource) return;
  const events = new EventSource(section.dataset.events);
  const set = (id, text) => { const el = document.getElementById(id); if (el && el.textContent !== String(text)) el.textContent = text; };
  events.onmessage = (e) => {
    const s = JSON.parse(e.data);
    set('state', s.state);
    for (const k of ['applied', 'sent', 'pending', 'rejected', 'cancelled', 'superseded']) set(k, s[k]);
    set('stop-reason', s.stopReason);
    for (const g of s.groups) {
      const row = section.ownerDocument.querySelector('tr[data-group="' + g.group + '"]');
      if (!row) continue;
      row.querySelector('.group-state').textContent = g.state;
      for (const k of ['applied', 'rejected', 'cancelled', 'superseded', 'sent', 'pending']) row.querySelector('.' + k).textContent = g[k];
    }
    const progress = document.getElementById('progress');
    if (progress) { progress.value = s.applied + s.rejected + s.cancelled + s.superseded; progress.textContent = progress.value + ' of ' + progress.max; }
    for (const d of s.devices) {
      const row = section.ownerDocument.querySelector('tr[data-device="' + CSS.escape(d.id) + '"]');
      if (!row) continue;
      const outcome = row.querySelector('.outcome');
      if (outcome.textContent !== d.outcome) {
        outcome.textContent = d.outcome;
        row.dataset.shownMs = String(Date.now());
        row.dataset.ackedMs = String(d.ackedMs);
      }
      row.querySelector('.bytes').textContent = d.bytes;
      row.querySelector('.acked').textContent = d.acked;
      row.querySelector('.reason').textContent = d.reason;
    }
    section.dataset.live = 'true';
  };
  events.addEventListener('done', () => { events.close(); section.dataset.live = 'done'; });
})();
