// Scheduled publishing: in the editor, pick a date and time per locale to
// publish it (the draft as it is then) or take it offline, see what waits
// and what was refused when its time came, and cancel it; on the
// dashboard, everything that waits. The server performs the actions on
// time; this module only schedules and shows them.

import { h } from '../dom.js';
import { lang } from '../i18n.js';
import { gql } from '../api.js';
import { ENTRY_FIELDS } from '../model.js';
import { formatDate, localeName, typeName } from '../format.js';
import { can, notify, errorText } from '../app.js';

// The words of this module, kept beside it in both interface languages.
const TEXT = {
  en: {
    summary: 'Schedule…',
    when: ({ locale }) => `Date and time for ${locale}`,
    publish: ({ locale }) => `Publish ${locale} then`,
    unpublish: ({ locale }) => `Take ${locale} offline then`,
    pickTime: 'Pick a date and time first.',
    scheduledPUBLISH: ({ locale, at }) => `${locale} is scheduled to be published on ${at}.`,
    scheduledUNPUBLISH: ({ locale, at }) => `${locale} is scheduled to go offline on ${at}.`,
    PUBLISH: ({ at, n }) => `Publishes revision ${n} on ${at}`,
    UNPUBLISH: ({ at }) => `Goes offline on ${at}`,
    by: ({ by }) => ` (scheduled by ${by})`,
    refused: ({ at }) => `Refused on ${at}:`,
    cancel: 'Cancel',
    dismiss: 'Dismiss',
    cancelled: 'The scheduled action is cancelled.',
    listLabel: ({ locale }) => `Scheduled for ${locale}`,
    title: 'Scheduled',
    none: 'Nothing is scheduled.',
  },
  nl: {
    summary: 'Inplannen…',
    when: ({ locale }) => `Datum en tijd voor ${locale}`,
    publish: ({ locale }) => `${locale} dan publiceren`,
    unpublish: ({ locale }) => `${locale} dan offline halen`,
    pickTime: 'Kies eerst een datum en tijd.',
    scheduledPUBLISH: ({ locale, at }) => `${locale} wordt gepubliceerd op ${at}.`,
    scheduledUNPUBLISH: ({ locale, at }) => `${locale} gaat offline op ${at}.`,
    PUBLISH: ({ at, n }) => `Publiceert revisie ${n} op ${at}`,
    UNPUBLISH: ({ at }) => `Gaat offline op ${at}`,
    by: ({ by }) => ` (ingepland door ${by})`,
    refused: ({ at }) => `Geweigerd op ${at}:`,
    cancel: 'Annuleren',
    dismiss: 'Wegklikken',
    cancelled: 'De geplande actie is geannuleerd.',
    listLabel: ({ locale }) => `Ingepland voor ${locale}`,
    title: 'Ingepland',
    none: 'Er is niets ingepland.',
  },
};

function tt(key, params = {}) {
  const v = (TEXT[lang()] || TEXT.en)[key];
  return typeof v === 'function' ? v(params) : v;
}

const MUTATION = { PUBLISH: 'schedulePublish', UNPUBLISH: 'scheduleUnpublish' };
const scheduleMutation = (action) => `mutation Schedule($id: ID!, $l: [String!]!, $at: Time!) { ${MUTATION[action]}(id: $id, locales: $l, at: $at) { ${ENTRY_FIELDS} } }`;
const CANCEL = `mutation CancelScheduled($id: ID!) { cancelScheduled(id: $id) { ${ENTRY_FIELDS} } }`;
const UPCOMING = `query Scheduled { scheduledActions(first: 100) {
  id locale action at state refusal refusedAt revisionNumber by { email } entry { id type label } } }`;

/** describe says in words what a scheduled action does and when. */
function describe(a) {
  return [tt(a.action, { at: formatDate(a.at), n: a.revisionNumber }), a.by ? tt('by', { by: a.by.email }) : ''];
}

/**
 * scheduleControls is one locale's scheduling in the editor ed: what waits
 * or was refused, and for editors a date and time to publish or take the
 * locale offline then.
 */
export function scheduleControls(ed, loc) {
  const state = ed.state;
  state.scheduleAt = state.scheduleAt || {};
  const actions = (state.entry.scheduled || []).filter((a) => a.locale === loc);
  const name = ed.localeName(loc);
  const inputId = `schedule-${loc}-at`;
  return h('div', { class: 'schedule', 'data-locale': loc },
    actions.length > 0 && h('ul', { class: 'scheduled-list', 'aria-label': tt('listLabel', { locale: name }) },
      actions.map((a) => h('li', {
        class: ['scheduled', a.state === 'REFUSED' && 'scheduled-refused'], 'data-scheduled-id': a.id, 'data-action': a.action, 'data-state': a.state,
      },
      h('span', { class: 'small' }, describe(a)),
      a.state === 'REFUSED' && h('p', { class: 'field-error' }, tt('refused', { at: formatDate(a.refusedAt) }), ' ', a.refusal),
      can('EDITOR') && [' ', h('button', {
        type: 'button', class: 'secondary small', id: `cancel-scheduled-${a.id}`, disabled: Boolean(state.busy),
        onclick: () => cancel(ed, a),
      }, a.state === 'REFUSED' ? tt('dismiss') : tt('cancel'))]))),
    can('EDITOR') && h('details', {
      class: 'schedule-form', id: `schedule-${loc}`, open: state.scheduleOpen === loc,
      ontoggle: (ev) => { if (ev.target.open) state.scheduleOpen = loc; else if (state.scheduleOpen === loc) state.scheduleOpen = ''; },
    },
    h('summary', null, tt('summary')),
    h('div', { class: 'field' },
      h('label', { for: inputId }, tt('when', { locale: name })),
      h('input', {
        id: inputId, type: 'datetime-local', step: '60', min: localInputValue(new Date()), value: state.scheduleAt[loc] || '',
        oninput: (ev) => { state.scheduleAt[loc] = ev.target.value; },
      })),
    h('div', { class: 'publish-actions' },
      ['PUBLISH', 'UNPUBLISH'].map((action) => h('button', {
        type: 'button', class: 'secondary', id: `schedule-${action.toLowerCase()}-${loc}`, disabled: Boolean(state.busy) || ed.blockedByConflict(),
        onclick: () => schedule(ed, loc, action),
      }, tt(action === 'PUBLISH' ? 'publish' : 'unpublish', { locale: name }))))));
}

/** localInputValue is d as a datetime-local input shows it: local time, to the minute. */
function localInputValue(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

async function schedule(ed, loc, action) {
  const { state } = ed;
  if (state.busy) return;
  const value = state.scheduleAt[loc];
  const at = value ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) {
    notify(tt('pickTime'), 'error');
    document.getElementById(`schedule-${loc}-at`)?.focus();
    return;
  }
  // What is scheduled is the saved draft: save what was typed first.
  if (action === 'PUBLISH' && ed.dirty() && !(await ed.save())) return;
  state.busy = `schedule-${loc}`;
  state.problems = null;
  ed.render();
  try {
    const data = await gql(scheduleMutation(action), { id: ed.id, l: [loc], at: at.toISOString() });
    ed.accept(data[MUTATION[action]]);
    state.busy = '';
    state.scheduleAt[loc] = '';
    state.scheduleOpen = '';
    ed.render(`schedule-${loc}`);
    notify(tt(`scheduled${action}`, { locale: ed.localeName(loc), at: formatDate(at.toISOString()) }), 'success');
  } catch (err) {
    state.busy = '';
    if (!ed.showPublishProblems(err)) {
      ed.render(`schedule-${loc}-at`);
      if (err.code !== 'SESSION_ENDED') notify(errorText(err), 'error');
    }
  }
}

async function cancel(ed, a) {
  const { state } = ed;
  if (state.busy) return;
  state.busy = `cancel-${a.id}`;
  ed.render();
  try {
    const data = await gql(CANCEL, { id: a.id });
    ed.accept(data.cancelScheduled);
    state.busy = '';
    ed.render(`schedule-${a.locale}`);
    notify(tt('cancelled'), 'success');
  } catch (err) {
    state.busy = '';
    ed.render();
    if (err.code !== 'SESSION_ENDED') notify(errorText(err), 'error');
  }
}

/** loadScheduled fetches what waits on every entry, the earliest first. */
export async function loadScheduled() {
  return (await gql(UPCOMING)).scheduledActions;
}

/** scheduledSection is the dashboard's list of what is scheduled. */
export function scheduledSection(actions, locales) {
  return h('section', { class: 'card scheduled-overview', 'aria-labelledby': 'scheduled-title' },
    h('h2', { id: 'scheduled-title' }, tt('title'), ' ', h('span', { class: 'count' }, `(${actions.length})`)),
    actions.length === 0
      ? h('p', { class: 'muted' }, tt('none'))
      : h('ul', { class: 'work-items scheduled-list' }, actions.map((a) => h('li', {
        class: ['scheduled', a.state === 'REFUSED' && 'scheduled-refused'], 'data-scheduled-id': a.id, 'data-entry': a.entry.id, 'data-state': a.state,
      },
      h('a', { href: `#/entry/${encodeURIComponent(a.entry.id)}` }, a.entry.label),
      ' ', h('span', { class: 'muted' }, `${typeName(a.entry.type)} · ${localeName(locales, a.locale)} · `, describe(a)),
      a.state === 'REFUSED' && h('p', { class: 'field-error' }, tt('refused', { at: formatDate(a.refusedAt) }), ' ', a.refusal)))));
}
