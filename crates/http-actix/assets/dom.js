// DOM helpers: elements are built with properties and text nodes only (never innerHTML), so
// server data can never become markup, and nothing needs an inline script or style.

/**
 * Creates an element. `attrs` keys: `class`, `text`, `on<Event>` handlers, `dataset`,
 * boolean attributes (`true` sets, `false`/`null`/`undefined` omits), anything else as an
 * attribute. Children may be nodes, strings, arrays or falsy (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'value') el.value = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

let uid = 0;
/** A unique element id with a readable prefix. */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Announces a message to screen readers through the page's polite live region. */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes screen readers read a repeated message again.
  setTimeout(() => { region.textContent = message; }, 50);
}

/** Empties the live region, so a message from an earlier view is not read again later. */
export function clearAnnouncement() {
  const region = document.getElementById('announcer');
  if (region) region.textContent = '';
}

/** Sets the page title; each view and step has its own, read first by screen readers. */
export function setTitle(text) {
  document.title = `${text} — MT Télécom`;
}

/**
 * A field's error message. The warning sign is decoration for sighted users only: hidden from
 * screen readers, which already hear that the field is invalid.
 */
export function fieldError(id, message, attrs = {}) {
  return h('p', { id, class: 'field-error', ...attrs },
    h('span', { class: 'field-error-sign', 'aria-hidden': 'true', text: '⚠ ' }),
    h('span', { class: 'field-error-text', text: message }));
}

/** Moves focus to `el` (made focusable if needed) so keyboard users land on the news. */
export function focus(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) {
    el.setAttribute('tabindex', '-1');
  }
  el.focus();
}

/** An alert box (`role="alert"`, read at once) with a message and optional extra nodes. */
export function alertBox(kind, message, ...extra) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('p', { text: message }), ...extra);
}
