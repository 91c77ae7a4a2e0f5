// Recruitment sources (admins): their sync state and secrets, a form to
// create one and one to change its settings, and the actions that rotate
// secrets or switch a source off. Role rules are edited as sentences
// ("title contains office manager → Office manager"); the regular
// expressions the API stores are built and read back here.

import { h, replace, preserveFocus } from '../dom.js';
import { t, lang } from '../i18n.js';
import { gql } from '../api.js';
import { formatDate, languageName } from '../format.js';
import { notify, errorText } from '../app.js';
import { ruleFromPattern, patternOf } from '../rules.js';

const SOURCE = `id name kind active feedUrl allowedHosts language timeZone createdAt disabledAt
  lastSyncAt lastPullAt lastError lastErrorAt openVacancies closedVacancies expiredVacancies
  roleRules { field pattern role } secrets { id hint createdAt revokedAt lastUsedAt }`;
const CREDENTIALS = `clientId clientSecret tokenEndpoint source { ${SOURCE} }`;
const SOURCES = `query Sources { sources { ${SOURCE} } }`;
const ROLES = 'query RolePicker($locale: String, $after: String) { roles(locale: $locale, first: 100, after: $after) { edges { node { slug title } } pageInfo { hasNextPage endCursor } } }';
const CREATE = `mutation CreateSource($in: CreateSourceInput!) { result: createSource(input: $in) { ${CREDENTIALS} } }`;
const UPDATE = `mutation UpdateSource($id: ID!, $in: UpdateSourceInput!) { result: updateSource(id: $id, input: $in) { ${SOURCE} } }`;
const ROTATE = `mutation RotateSecret($id: ID!, $revoke: Boolean) { result: rotateSourceSecret(id: $id, revokeOthers: $revoke) { ${CREDENTIALS} } }`;
const DISABLE = `mutation DisableSource($id: ID!, $close: Boolean) { result: disableSource(id: $id, closeVacancies: $close) { ${SOURCE} } }`;
const ENABLE = `mutation EnableSource($id: ID!) { result: enableSource(id: $id) { ${SOURCE} } }`;

export const KINDS = ['PUSH', 'INDEED_XML', 'RECRUITEE', 'JSONLD', 'PERSONIO', 'GREENHOUSE', 'LEVER'];
const RULE_FIELDS = ['title', 'category', 'any'];
const RULE_OPS = ['contains', 'is', 'matches'];
const LANGUAGES = ['nl', 'en', 'de', 'fr'];
const COMMON_ZONES = ['Europe/Amsterdam', 'Europe/Brussels', 'Europe/Berlin', 'Europe/London', 'UTC'];

/**
 * ACTIONS are what can be done to a source besides changing its settings.
 * The dangerous ones ask first, saying what will happen.
 */
const ACTIONS = {
  rotate: { query: ROTATE, vars: (src) => ({ id: src.id, revoke: false }), applies: (src) => src.active, danger: false },
  rotateRevoke: { query: ROTATE, vars: (src) => ({ id: src.id, revoke: true }), applies: (src) => src.active, danger: true },
  disable: { query: DISABLE, vars: (src) => ({ id: src.id, close: false }), applies: (src) => src.active, danger: true },
  disableClose: { query: DISABLE, vars: (src) => ({ id: src.id, close: true }), applies: (src) => src.active, danger: true },
  enable: { query: ENABLE, vars: (src) => ({ id: src.id }), applies: (src) => !src.active, danger: false },
};

async function fetchRoles() {
  const out = [];
  let after = null;
  for (;;) {
    const data = await gql(ROLES, { locale: lang(), after });
    out.push(...data.roles.edges.map((e) => e.node));
    if (!data.roles.pageInfo.hasNextPage) return out;
    after = data.roles.pageInfo.endCursor;
  }
}

function zones() {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...COMMON_ZONES, ...all])];
}

/** draftOf is the form's copy of a source (or of a new one). */
function draftOf(src) {
  return {
    name: src ? src.name : '',
    kind: src ? src.kind : 'PUSH',
    feedUrl: (src && src.feedUrl) || '',
    allowedHosts: src ? src.allowedHosts.join('\n') : '',
    language: src ? src.language : 'nl',
    timeZone: src ? src.timeZone : 'Europe/Amsterdam',
    rules: src ? src.roleRules.map((r) => ({ field: r.field, role: r.role, ...ruleFromPattern(r.pattern) })) : [],
  };
}

/** inputOf is the API input a draft asks for. */
function inputOf(draft, isNew) {
  const input = {
    kind: draft.kind,
    feedUrl: draft.kind === 'PUSH' ? '' : draft.feedUrl.trim(),
    allowedHosts: draft.allowedHosts.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean),
    language: draft.language,
    timeZone: draft.timeZone,
    roleRules: draft.rules.map((r) => ({ field: r.field, pattern: patternOf(r.op, r.value), role: r.role })),
  };
  if (isNew) {
    input.name = draft.name.trim();
    if (!input.feedUrl) delete input.feedUrl;
  }
  return input;
}

export async function sourcesView(main) {
  const state = {
    sources: [],
    roles: [],
    once: null, // credentials to show this once
    editing: '', // id of the source whose settings form is open
    confirming: '', // `${sourceId}:${action}` waiting for a yes
    drafts: { new: draftOf(null) },
    errors: {}, // form key -> { message, field }
    busy: false,
  };

  const load = async () => {
    const [data, roles] = await Promise.all([gql(SOURCES), fetchRoles()]);
    state.sources = data.sources;
    state.roles = roles;
  };

  const roleTitle = (slug) => {
    const r = state.roles.find((x) => x.slug === slug);
    return r ? r.title : slug;
  };

  const render = (focusId) => {
    preserveFocus(() => replace(main,
      h('h1', { tabindex: '-1' }, t('sync.sourcesTitle')),
      h('p', { class: 'muted' }, t('sync.sourcesIntro')),
      state.once && onceBox(state.once),
      state.sources.length === 0
        ? h('p', { class: 'card muted', id: 'sources-empty' }, t('sync.noSources'))
        : state.sources.map((src, i) => card(src, i)),
      sourceForm('new', null)), focusId);
  };

  const run = async (key, query, vars, focusId) => {
    if (state.busy) return false;
    state.busy = true;
    try {
      const data = await gql(query, vars);
      const r = data.result;
      state.once = r && r.clientSecret ? r : null;
      const updated = r && r.clientSecret ? r.source : r;
      const at = state.sources.findIndex((s) => s.id === updated.id);
      if (at >= 0) state.sources[at] = updated;
      else state.sources.push(updated);
      state.sources.sort((a, b) => a.name.localeCompare(b.name));
      delete state.errors[key];
      state.busy = false;
      render(state.once ? 'secret-once' : focusId);
      return true;
    } catch (err) {
      state.busy = false;
      if (err.code === 'BAD_USER_INPUT' || err.code === 'CONFLICT') {
        state.errors[key] = { message: err.code === 'CONFLICT' ? err.message : errorText(err), field: (err.extensions && err.extensions.field) || '' };
        render(`${key === 'new' ? 'source-new' : `source-${key}-form`}-error`);
      } else if (err.code !== 'SESSION_ENDED') {
        notify(errorText(err), 'error');
      }
      return false;
    }
  };

  /** card shows one source: what it is, its rules, its secrets and what can be done. */
  const card = (src, i) => {
    const base = `source-${i}`;
    return h('article', { class: ['card', 'source', !src.active && 'inactive'], 'data-source': src.name, 'aria-labelledby': `${base}-title` },
      h('div', { class: 'source-head' },
        h('h2', { id: `${base}-title` }, src.name),
        h('span', { class: ['badge', src.active ? 'badge-published' : 'badge-saved'] }, src.active ? t('source.active') : t('sync.disabled')),
        h('span', { class: 'muted small' }, t(`source.kind.${src.kind}`))),
      h('dl', { class: 'doc' },
        src.feedUrl && [h('dt', null, t('gen.feedUrl')), h('dd', null, src.feedUrl)],
        h('dt', null, t('gen.allowedHosts')), h('dd', null, src.allowedHosts.length ? src.allowedHosts.join(', ') : t('source.anyHost')),
        h('dt', null, t('gen.language')), h('dd', null, languageName(src.language)),
        h('dt', null, t('gen.timeZone')), h('dd', null, src.timeZone),
        h('dt', null, t('gen.lastSyncAt')), h('dd', null, src.lastSyncAt ? formatDate(src.lastSyncAt) : t('sync.never')),
        src.lastPullAt && [h('dt', null, t('gen.lastPullAt')), h('dd', null, formatDate(src.lastPullAt))],
        src.lastError && [h('dt', null, t('gen.lastError')), h('dd', { class: 'error-text' }, `${src.lastError} (${formatDate(src.lastErrorAt)})`)],
        h('dt', null, t('source.vacancies')), h('dd', null, t('source.counts', { open: src.openVacancies, closed: src.closedVacancies, expired: src.expiredVacancies })),
        h('dt', null, t('gen.createdAt')), h('dd', null, formatDate(src.createdAt))),
      h('div', { class: 'source-rules' },
        h('h3', null, t('sync.roleRules')),
        src.roleRules.length === 0
          ? h('p', { class: 'muted' }, t('source.noRules'))
          : h('ol', { class: 'rules-read' }, src.roleRules.map((r) => {
            const rule = ruleFromPattern(r.pattern);
            return h('li', null, t(`rule.field.${r.field}`), ' ', t(`rule.op.${rule.op}`), ' ',
              h('q', null, rule.value), ' → ', h('strong', null, roleTitle(r.role)));
          }))),
      h('div', { class: 'secrets' },
        h('h3', null, t('sync.secrets')),
        src.secrets.length === 0 ? h('p', { class: 'muted' }, t('list.empty')) : h('ul', null, src.secrets.map((sec) => h('li', null,
          h('code', null, sec.hint), ' ',
          sec.revokedAt ? h('span', { class: 'badge badge-saved' }, t('sync.revoked')) : h('span', { class: 'badge badge-published' }, t('sync.works')), ' ',
          h('span', { class: 'muted small' }, [
            t('source.secretCreated', { at: formatDate(sec.createdAt) }),
            sec.lastUsedAt ? t('source.secretUsed', { at: formatDate(sec.lastUsedAt) }) : t('source.secretUnused'),
            sec.revokedAt && t('source.secretRevoked', { at: formatDate(sec.revokedAt) }),
          ].filter(Boolean).join(' · ')))))),
      state.editing === src.id
        ? sourceForm(src.id, src)
        : h('div', { class: 'actions' },
          h('button', {
            type: 'button', class: 'secondary small', id: `${base}-edit`,
            onclick: () => { state.editing = src.id; state.drafts[src.id] = draftOf(src); render(`source-${src.id}-form-kind`); },
          }, t('source.edit')),
          ['rotate', 'enable'].filter((a) => ACTIONS[a].applies(src)).map((a) => actionButton(src, i, a))),
      dangerZone(src, i));
  };

  const actionButton = (src, i, action) => {
    const a = ACTIONS[action];
    return h('button', {
      type: 'button', class: 'secondary small', id: `source-${i}-${action}`, 'data-action': action,
      onclick: async () => {
        if (await run(src.id, a.query, a.vars(src), `source-${i}-title`)) notify(t(`source.done.${action}`, { name: src.name }), 'success');
      },
    }, t(`source.action.${action}`));
  };

  /** dangerZone holds the actions that cut a source off; each asks first and says what follows. */
  const dangerZone = (src, i) => {
    const actions = ['rotateRevoke', 'disable', 'disableClose'].filter((a) => ACTIONS[a].applies(src));
    if (!actions.length) return null;
    const armed = actions.find((a) => state.confirming === `${src.id}:${a}`);
    return h('details', { class: 'danger-zone', open: Boolean(armed) },
      h('summary', null, t('source.dangerZone')),
      armed
        ? h('div', { class: 'confirm-box', role: 'alertdialog', 'aria-labelledby': `source-${i}-confirm-text`, id: `source-${i}-confirm` },
          h('p', { id: `source-${i}-confirm-text` }, t(`source.consequence.${armed}`, { name: src.name, open: src.openVacancies })),
          h('div', { class: 'actions' },
            h('button', {
              type: 'button', class: 'danger', id: `source-${i}-${armed}-yes`,
              onclick: async () => {
                state.confirming = '';
                if (await run(src.id, ACTIONS[armed].query, ACTIONS[armed].vars(src), `source-${i}-title`)) notify(t(`source.done.${armed}`, { name: src.name }), 'success');
              },
            }, t(`source.yes.${armed}`)),
            h('button', { type: 'button', class: 'secondary', id: `source-${i}-confirm-cancel`, onclick: () => { state.confirming = ''; render(`source-${i}-${armed}`); } }, t('common.cancel'))))
        : h('div', { class: 'actions' }, actions.map((a) => h('button', {
          type: 'button', class: 'secondary small danger-text', id: `source-${i}-${a}`, 'data-action': a,
          onclick: () => { state.confirming = `${src.id}:${a}`; render(`source-${i}-confirm-cancel`); },
        }, t(`source.action.${a}`)))));
  };

  /** sourceForm creates a source (key "new") or changes one. */
  const sourceForm = (key, src) => {
    const draft = state.drafts[key];
    const isNew = key === 'new';
    const p = isNew ? 'source-new' : `source-${key}-form`;
    const err = state.errors[key];
    const invalid = (field) => Boolean(err && err.field && (err.field === field || err.field.startsWith(`${field}.`)));
    const field = (name, label, control, help) => h('div', { class: 'field' },
      h('label', { for: `${p}-${name}` }, label), control, help && h('p', { class: 'field-help', id: `${p}-${name}-help` }, help));
    const set = (name) => (e) => { draft[name] = e.target.value; };
    const zoneList = zones();
    if (!zoneList.includes(draft.timeZone)) zoneList.unshift(draft.timeZone);
    const langs = LANGUAGES.includes(draft.language) ? LANGUAGES : [draft.language, ...LANGUAGES];
    return h('form', {
      class: ['card', 'source-form', isNew ? 'form-wide' : 'card-inner'], id: p, 'aria-labelledby': `${p}-title`, novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        const input = inputOf(draft, isNew);
        const blank = draft.rules.findIndex((r) => !r.value.trim() || !r.role);
        if (blank >= 0) {
          state.errors[key] = { message: t('rule.incomplete', { n: blank + 1 }), field: `roleRules[${blank}]` };
          render(`${p}-error`);
          return;
        }
        const ok = isNew
          ? await run(key, CREATE, { in: input }, `${p}-title`)
          : await run(key, UPDATE, { id: key, in: input }, `source-${state.sources.findIndex((s) => s.id === key)}-title`);
        if (!ok) return;
        if (isNew) {
          state.drafts.new = draftOf(null);
          render('secret-once');
          notify(t('source.created', { name: input.name }), 'success');
        } else {
          state.editing = '';
          delete state.drafts[key];
          render();
          notify(t('source.updated', { name: src.name }), 'success');
        }
      },
    },
    h(isNew ? 'h2' : 'h3', { id: `${p}-title` }, isNew ? t('sync.newSource') : t('source.editTitle', { name: src.name })),
    isNew && field('name', [t('gen.name'), h('span', { class: 'required' }, ' *')],
      h('input', { id: `${p}-name`, value: draft.name, autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': `${p}-name-help`, 'aria-invalid': invalid('name') ? 'true' : null, oninput: set('name') }),
      t('source.nameHelp')),
    field('kind', t('gen.kind'),
      h('select', {
        id: `${p}-kind`,
        onchange: (e) => { draft.kind = e.target.value; render(); },
      }, KINDS.map((k) => h('option', { value: k, selected: k === draft.kind }, t(`source.kind.${k}`)))),
      t(`source.kindHelp.${draft.kind}`)),
    draft.kind !== 'PUSH' && field('feedUrl', t('gen.feedUrl'),
      h('input', { id: `${p}-feedUrl`, value: draft.feedUrl, inputmode: 'url', autocomplete: 'off', spellcheck: 'false', 'aria-invalid': invalid('feedUrl') ? 'true' : null, oninput: set('feedUrl') })),
    field('allowedHosts', t('gen.allowedHosts'),
      h('textarea', { id: `${p}-allowedHosts`, rows: 2, spellcheck: 'false', 'aria-describedby': `${p}-allowedHosts-help`, 'aria-invalid': invalid('allowedHosts') ? 'true' : null, oninput: set('allowedHosts') }, draft.allowedHosts),
      t('source.hostsHelp')),
    h('div', { class: 'field-pair' },
      field('language', t('gen.language'),
        h('select', { id: `${p}-language`, onchange: set('language') }, langs.map((l) => h('option', { value: l, selected: l === draft.language }, languageName(l))))),
      field('timeZone', t('gen.timeZone'),
        h('select', { id: `${p}-timeZone`, onchange: set('timeZone') }, zoneList.map((z) => h('option', { value: z, selected: z === draft.timeZone }, z.replace(/_/g, ' ')))))),
    ruleEditor(p, draft, err),
    h('p', { class: 'error', role: 'alert', id: `${p}-error`, tabindex: '-1' }, err ? err.message : ''),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: `${p}-submit`, disabled: state.busy }, isNew ? t('sync.create') : t('source.save')),
      !isNew && h('button', {
        type: 'button', class: 'secondary', id: `${p}-cancel`,
        onclick: () => { state.editing = ''; delete state.drafts[key]; delete state.errors[key]; render(`source-${state.sources.findIndex((s) => s.id === key)}-edit`); },
      }, t('common.cancel'))));
  };

  /** ruleEditor edits the role rules as rows: field, how it compares, the text, and the role it leads to. */
  const ruleEditor = (p, draft, err) => h('fieldset', { class: 'rules', id: `${p}-rules` },
    h('legend', null, t('sync.roleRules')),
    h('p', { class: 'field-help' }, t('rule.help')),
    draft.rules.length === 0 && h('p', { class: 'muted' }, t('source.noRules')),
    h('ol', { class: 'rule-list' }, draft.rules.map((r, i) => {
      const id = `${p}-rule-${i}`;
      const bad = err && err.field && err.field.startsWith(`roleRules[${i}]`);
      return h('li', { class: ['rule', bad && 'invalid'], 'data-rule': String(i) },
        h('label', { class: 'sr-only', for: `${id}-field` }, t('rule.fieldLabel', { n: i + 1 })),
        h('select', { id: `${id}-field`, onchange: (e) => { r.field = e.target.value; } },
          RULE_FIELDS.map((f) => h('option', { value: f, selected: f === r.field }, t(`rule.field.${f}`)))),
        h('label', { class: 'sr-only', for: `${id}-op` }, t('rule.opLabel', { n: i + 1 })),
        h('select', { id: `${id}-op`, onchange: (e) => { r.op = e.target.value; } },
          RULE_OPS.map((o) => h('option', { value: o, selected: o === r.op }, t(`rule.op.${o}`)))),
        h('label', { class: 'sr-only', for: `${id}-value` }, t('rule.valueLabel', { n: i + 1 })),
        h('input', {
          id: `${id}-value`, value: r.value, autocomplete: 'off', spellcheck: 'false', placeholder: t('rule.valuePlaceholder'),
          'aria-invalid': bad ? 'true' : null, oninput: (e) => { r.value = e.target.value; },
        }),
        h('span', { class: 'rule-arrow', 'aria-hidden': 'true' }, '→'),
        h('label', { class: 'sr-only', for: `${id}-role` }, t('rule.roleLabel', { n: i + 1 })),
        h('select', { id: `${id}-role`, onchange: (e) => { r.role = e.target.value; } },
          h('option', { value: '' }, t('rule.chooseRole')),
          !state.roles.some((x) => x.slug === r.role) && r.role && h('option', { value: r.role, selected: true }, r.role),
          state.roles.map((x) => h('option', { value: x.slug, selected: x.slug === r.role }, x.title))),
        h('span', { class: 'item-actions' },
          h('button', {
            type: 'button', class: 'icon', id: `${id}-up`, disabled: i === 0, 'aria-label': t('rule.up', { n: i + 1 }),
            onclick: () => { draft.rules.splice(i - 1, 0, ...draft.rules.splice(i, 1)); render(`${p}-rule-${i - 1}-up`); },
          }, '↑'),
          h('button', {
            type: 'button', class: 'icon danger', id: `${id}-remove`, 'aria-label': t('rule.remove', { n: i + 1 }),
            onclick: () => { draft.rules.splice(i, 1); render(draft.rules.length ? `${p}-rule-${Math.min(i, draft.rules.length - 1)}-value` : `${p}-rule-add`); },
          }, '✕')));
    })),
    h('button', {
      type: 'button', class: 'secondary small', id: `${p}-rule-add`,
      onclick: () => { draft.rules.push({ field: 'title', op: 'contains', value: '', role: '' }); render(`${p}-rule-${draft.rules.length - 1}-value`); },
    }, t('rule.add')));

  try {
    await load();
  } catch (err) {
    replace(main, h('h1', { tabindex: '-1' }, t('sync.sourcesTitle')), h('p', { class: 'error' }, errorText(err)));
    return {};
  }
  render();
  return { rerender: () => render() };
}

/** onceBox shows what a create or rotate returned: the secret appears once and only here. */
function onceBox(cred) {
  const rows = [
    ['clientId', cred.clientId, true],
    ['clientSecret', cred.clientSecret, true],
    ['tokenEndpoint', cred.tokenEndpoint.startsWith('/') ? `${location.origin}${cred.tokenEndpoint}` : cred.tokenEndpoint, false],
  ];
  return h('section', { class: 'notice notice-warning once', id: 'secret-once', role: 'alert', tabindex: '-1' },
    h('h2', null, t('sync.onceTitle', { name: cred.source.name })),
    h('p', null, t('sync.onceText')),
    h('dl', { class: 'doc' }, rows.map(([k, v, copy]) => [h('dt', null, t(`gen.${k}`)), h('dd', null,
      h('code', { class: 'secret', 'data-key': k }, v),
      copy && [' ', h('button', {
        type: 'button', class: 'secondary small',
        onclick: () => navigator.clipboard.writeText(v).then(() => notify(t('sync.copied')), () => notify(t('sync.copyFailed'), 'error')),
      }, t('sync.copy'))])])));
}
