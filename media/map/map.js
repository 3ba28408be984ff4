// The architecture map's webview script (plain JS, loaded by nonce under a strict CSP). It draws the SVG the
// extension renders, patches state and findings in place when they change, and turns clicks and keys into
// messages: the extension does the work (open a definition, export, copy).
// @ts-check
(function () {
  'use strict';
  const started = performance.now();
  /* global acquireVsCodeApi -- provided by the webview host */
  const vscode = acquireVsCodeApi();
  const body = document.body;
  const canvas = /** @type {HTMLElement} */ (document.getElementById('canvas'));
  const live = /** @type {HTMLElement} */ (document.getElementById('live'));
  const note = /** @type {HTMLElement} */ (document.getElementById('note'));
  const projectTitle = /** @type {HTMLElement} */ (document.getElementById('project'));
  const summary = /** @type {HTMLElement} */ (document.getElementById('summary'));
  const viewButtons = /** @type {HTMLButtonElement[]} */ (Array.from(document.querySelectorAll('.segmented button')));
  const saved = vscode.getState() || {};
  let zoom = typeof saved.zoom === 'number' ? saved.zoom : 1;
  let painted = false;
  /** @type {string | undefined} */
  let focusedService;

  function persist(extra) {
    vscode.setState(Object.assign({ familyKey: body.dataset.family, view: body.dataset.view, zoom }, extra || {}));
  }

  function announce(text) {
    live.textContent = '';
    // A separate task, so that the same text twice is announced twice.
    setTimeout(() => (live.textContent = text), 30);
  }

  /** @returns {SVGSVGElement | null} */
  function svg() {
    return canvas.querySelector('svg.cb-map');
  }

  function applyZoom() {
    const root = svg();
    if (!root) return;
    const [, , width, height] = (root.getAttribute('viewBox') || '0 0 0 0').split(' ').map(Number);
    root.setAttribute('width', String(Math.round(width * zoom)));
    root.setAttribute('height', String(Math.round(height * zoom)));
    persist();
  }

  function services() {
    return /** @type {SVGGElement[]} */ (Array.from(canvas.querySelectorAll('.cb-service')));
  }

  function byName(name) {
    return services().find((g) => g.dataset.service === name);
  }

  function render(message) {
    body.dataset.view = message.view;
    projectTitle.textContent = message.project;
    summary.textContent = message.summary || '';
    for (const button of viewButtons) {
      const on = button.dataset.view === message.view;
      button.setAttribute('aria-checked', String(on));
      button.tabIndex = on ? 0 : -1;
    }
    note.hidden = !(message.view === 'prod' && !message.hasProd) && !message.empty;
    note.textContent = message.empty || (message.view === 'prod' && !message.hasProd ? body.dataset.noProd || '' : '');
    const parsed = new DOMParser().parseFromString(message.svg, 'image/svg+xml');
    const root = parsed.documentElement;
    if (root.nodeName !== 'svg') {
      showError('The map could not be read.');
      return;
    }
    const hadFocus = focusedService;
    canvas.replaceChildren(document.importNode(root, true));
    applyZoom();
    if (hadFocus) byName(hadFocus)?.focus({ preventScroll: true });
    persist();
    if (!painted) {
      painted = true;
      requestAnimationFrame(() => vscode.postMessage({ type: 'painted', ms: performance.now() - started, services: services().length }));
    }
  }

  function showError(text) {
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = text;
    canvas.replaceChildren(p);
  }

  function patchStatus(list) {
    for (const s of list) {
      const g = byName(s.name);
      if (!g) continue;
      const changed = g.dataset.state !== s.state || g.dataset.health !== s.health;
      g.dataset.state = s.state;
      g.dataset.health = s.health;
      g.setAttribute('aria-label', s.label);
      const status = g.querySelector('.cb-status');
      if (status) status.textContent = s.text;
      const badge = /** @type {SVGGElement | null} */ (canvas.querySelector('.cb-badge[data-service="' + CSS.escape(s.name) + '"]'));
      if (badge) {
        badge.dataset.count = String(s.findings);
        badge.dataset.severity = s.severity || '';
        badge.setAttribute('tabindex', s.findings > 0 ? '0' : '-1');
        const count = badge.querySelector('.cb-badge-count');
        if (count) count.textContent = String(s.findings);
        if (s.badgeLabel) badge.setAttribute('aria-label', s.badgeLabel);
      }
      if (changed && painted) announce(s.name + ': ' + s.text);
    }
  }

  /** The nearest box in a direction from the focused one (by the layout's coordinates). */
  function neighbour(from, key) {
    const x = Number(from.dataset.x);
    const y = Number(from.dataset.y);
    let best;
    let bestScore = Infinity;
    for (const g of services()) {
      if (g === from) continue;
      const dx = Number(g.dataset.x) - x;
      const dy = Number(g.dataset.y) - y;
      const along = key === 'ArrowRight' ? dx : key === 'ArrowLeft' ? -dx : key === 'ArrowDown' ? dy : -dy;
      const across = key === 'ArrowRight' || key === 'ArrowLeft' ? Math.abs(dy) : Math.abs(dx);
      if (along <= 0) continue;
      const score = along + across * 2;
      if (score < bestScore) {
        bestScore = score;
        best = g;
      }
    }
    return best;
  }

  canvas.addEventListener('click', (event) => {
    const target = /** @type {Element} */ (event.target);
    const badge = target.closest('.cb-badge');
    if (badge instanceof SVGGElement && Number(badge.dataset.count) > 0) {
      vscode.postMessage({ type: 'openFindings', service: badge.dataset.service });
      return;
    }
    const box = target.closest('.cb-service');
    if (box instanceof SVGGElement) vscode.postMessage({ type: 'open', service: box.dataset.service });
  });

  canvas.addEventListener('keydown', (event) => {
    const target = /** @type {Element} */ (event.target);
    if (!(target instanceof SVGGElement)) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (target.classList.contains('cb-badge')) vscode.postMessage({ type: 'openFindings', service: target.dataset.service });
      else if (target.classList.contains('cb-service')) vscode.postMessage({ type: 'open', service: target.dataset.service });
      return;
    }
    if (event.key.startsWith('Arrow') && target.classList.contains('cb-service')) {
      const next = neighbour(target, event.key);
      if (next) {
        event.preventDefault();
        next.focus();
        next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      }
    }
    if ((event.key === 'Home' || event.key === 'End') && target.classList.contains('cb-service')) {
      const all = services();
      const next = event.key === 'Home' ? all[0] : all[all.length - 1];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    }
  });

  canvas.addEventListener('focusin', (event) => {
    const target = /** @type {Element} */ (event.target);
    if (target instanceof SVGGElement && target.classList.contains('cb-service')) focusedService = target.dataset.service;
  });

  for (const button of viewButtons) {
    button.addEventListener('click', () => vscode.postMessage({ type: 'view', view: button.dataset.view }));
    button.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      const other = viewButtons.find((b) => b !== button);
      if (other) {
        other.focus();
        vscode.postMessage({ type: 'view', view: other.dataset.view });
      }
    });
  }
  document.getElementById('export-svg')?.addEventListener('click', () => vscode.postMessage({ type: 'exportSvg' }));
  document.getElementById('copy-mermaid')?.addEventListener('click', () => vscode.postMessage({ type: 'copyMermaid' }));
  document.getElementById('zoom-in')?.addEventListener('click', () => {
    zoom = Math.min(3, zoom * 1.25);
    applyZoom();
  });
  document.getElementById('zoom-out')?.addEventListener('click', () => {
    zoom = Math.max(0.2, zoom / 1.25);
    applyZoom();
  });
  document.getElementById('zoom-fit')?.addEventListener('click', () => {
    const root = svg();
    if (!root) return;
    const [, , width, height] = (root.getAttribute('viewBox') || '0 0 1 1').split(' ').map(Number);
    zoom = Math.max(0.2, Math.min(1, (canvas.clientWidth - 16) / width, (canvas.clientHeight - 16) / height));
    applyZoom();
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    switch (message && message.type) {
      case 'render':
        render(message);
        break;
      case 'status':
        patchStatus(message.services);
        break;
      case 'error':
        showError(message.message);
        break;
      case 'announce':
        announce(message.text);
        break;
    }
  });

  persist();
  vscode.postMessage({ type: 'ready' });
})();
