// A small formatting toolbar for a Markdown textarea: bold, italic, link,
// bulleted and numbered lists and a heading, each editing the Markdown text
// itself, with Ctrl/Cmd+B, I and K. The edits go through the browser's own
// text insertion, so Ctrl+Z undoes them and the field's input listeners see
// them as typing.

import { h } from './dom.js';
import { t } from './i18n.js';

/** replaceSelection puts text where the selection is and selects [selStart, selEnd) of it. */
function replaceSelection(area, text, selStart, selEnd) {
  const from = area.selectionStart;
  area.focus();
  // execCommand keeps the undo history; where a browser refuses it, set
  // the text directly and announce the change ourselves.
  if (!document.execCommand('insertText', false, text)) {
    area.setRangeText(text, area.selectionStart, area.selectionEnd, 'end');
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }
  area.setSelectionRange(from + selStart, from + selEnd);
}

/** wrap surrounds the selection with marks, or with a placeholder when nothing is selected. */
function wrap(area, mark) {
  const { selectionStart: s, selectionEnd: e, value } = area;
  const inner = value.slice(s, e);
  if (value.slice(s - mark.length, s) === mark && value.slice(e, e + mark.length) === mark) {
    // Already wrapped: take the marks away again.
    area.setSelectionRange(s - mark.length, e + mark.length);
    replaceSelection(area, inner, 0, inner.length);
    return;
  }
  replaceSelection(area, `${mark}${inner}${mark}`, mark.length, mark.length + inner.length);
}

function link(area) {
  const { selectionStart: s, selectionEnd: e, value } = area;
  const text = value.slice(s, e) || t('md.linkText');
  const url = 'https://';
  // The address is selected afterwards, ready to be typed over.
  replaceSelection(area, `[${text}](${url})`, text.length + 3, text.length + 3 + url.length);
}

// A list marker of either kind, so one list kind can replace the other.
const LIST_MARK = /^(?:[-*]|\d+\.) /;

/**
 * prefixLines starts every line of the selection with prefix(i), or takes
 * it away if all lines already have it (own); strip is what a line loses
 * first, so a numbered list becomes a bulleted one and not both.
 */
function prefixLines(area, prefix, own, strip = own) {
  const { selectionStart: s, selectionEnd: e, value } = area;
  const start = value.lastIndexOf('\n', s - 1) + 1;
  // A selection that ends just after a line break does not take the next line.
  const last = e > s && value[e - 1] === '\n' ? e - 1 : e;
  let end = value.indexOf('\n', last);
  if (end < 0) end = value.length;
  const lines = value.slice(start, end).split('\n');
  const all = lines.every((l) => own.test(l));
  const next = lines.map((l, i) => (all ? l.replace(own, '') : `${prefix(i)}${l.replace(strip, '')}`)).join('\n');
  area.setSelectionRange(start, end);
  replaceSelection(area, next, next.length, next.length);
}

const ACTIONS = {
  bold: { label: 'B', key: 'b', run: (a) => wrap(a, '**') },
  italic: { label: 'I', key: 'i', run: (a) => wrap(a, '_') },
  link: { label: () => t('md.linkButton'), key: 'k', run: link },
  bullets: { label: '•', run: (a) => prefixLines(a, () => '- ', /^[-*] /, LIST_MARK) },
  numbers: { label: '1.', run: (a) => prefixLines(a, (i) => `${i + 1}. `, /^\d+\. /, LIST_MARK) },
  heading: { label: 'H', run: (a) => prefixLines(a, () => '## ', /^#{1,6} /) },
};

/**
 * markdownToolbar builds the toolbar for a textarea and gives the textarea
 * its shortcuts. label names the field for screen readers.
 */
export function markdownToolbar(area, label) {
  area.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || area.readOnly) return;
    const action = Object.values(ACTIONS).find((a) => a.key === e.key.toLowerCase());
    if (!action) return;
    e.preventDefault();
    action.run(area);
  });
  const buttons = Object.entries(ACTIONS).map(([name, a], i) => h('button', {
    type: 'button', class: ['md-button', `md-${name}`], id: `${area.id}-md-${name}`, tabindex: i === 0 ? '0' : '-1',
    title: t(`md.${name}`), 'aria-label': t(`md.${name}`), 'aria-controls': area.id,
    // Keep the selection in the textarea when the button is clicked.
    onmousedown: (e) => e.preventDefault(),
    onclick: () => a.run(area),
  }, typeof a.label === 'function' ? a.label() : a.label));
  // One tab stop for the whole toolbar; the arrow keys move within it.
  const bar = h('div', {
    class: 'md-toolbar', role: 'toolbar', 'aria-label': t('md.toolbar', { field: label }), 'aria-controls': area.id,
    onkeydown: (e) => {
      const at = buttons.indexOf(document.activeElement);
      if (at < 0 || !['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
      e.preventDefault();
      const next = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: buttons.length - 1 }[e.key];
      const target = buttons[(next + buttons.length) % buttons.length];
      buttons.forEach((b) => b.setAttribute('tabindex', b === target ? '0' : '-1'));
      target.focus();
    },
  }, buttons);
  return bar;
}
