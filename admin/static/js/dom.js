// Tiny DOM helpers. Everything is built with createElement and text nodes,
// so no text from the server is ever parsed as HTML; the one exception is
// the Markdown preview, which inserts the server's sanitized HTML.

const PROPS = new Set(['value', 'checked', 'disabled', 'readOnly', 'hidden', 'required', 'selected', 'multiple', 'open', 'tabIndex', 'type']);

/**
 * h builds an element: h('button', { class: 'x', onclick: fn }, 'text', child).
 * Attributes starting with "on" and holding a function become listeners;
 * value, checked, disabled, readOnly, hidden, required, selected… are set as
 * properties; everything else (aria-*, data-*, for, id, role…) as attributes.
 * Children may be strings, nodes, arrays, or null/false (skipped).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false && !PROPS.has(key)) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'class') {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      } else if (key === 'for') {
        el.htmlFor = value;
      } else if (PROPS.has(key)) {
        el[key] = value;
      } else if (key === 'dataset') {
        Object.assign(el.dataset, value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** clear removes every child of el and appends the given children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let counter = 0;
/** uid returns a page-unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * preserveFocus runs rebuild() and then puts the focus (and the caret) back
 * on the element with the same id, or on fallbackId when given, so a
 * re-render after adding or moving an item does not throw keyboard users
 * back to the top of the page.
 */
export function preserveFocus(rebuild, fallbackId) {
  const active = document.activeElement;
  const id = active && active.id;
  let start = null;
  let end = null;
  try {
    if (active && 'selectionStart' in active) {
      start = active.selectionStart;
      end = active.selectionEnd;
    }
  } catch { /* inputs like number have no selection */ }
  const scrollY = window.scrollY;
  rebuild();
  window.scrollTo(0, scrollY);
  const target = (fallbackId && document.getElementById(fallbackId)) || (id && document.getElementById(id));
  if (target && typeof target.focus === 'function') {
    target.focus({ preventScroll: true });
    const box = target.getBoundingClientRect();
    if (box.bottom < 80 || box.top > window.innerHeight - 40) target.scrollIntoView({ block: 'center' });
    if (start !== null && !fallbackId && 'setSelectionRange' in target) {
      try { target.setSelectionRange(start, end); } catch { /* not a text input */ }
    }
  }
}
