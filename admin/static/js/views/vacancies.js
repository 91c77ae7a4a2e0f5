// Recruitment sources and their vacancies. The vacancy sync is a separate
// part of the API that a server may not have yet, so these screens read
// /schema.graphql and build their queries from what the server offers; on
// a server without it they say so instead of showing made-up data.

import { h, replace } from '../dom.js';
import { t, has } from '../i18n.js';
import { gql } from '../api.js';
import * as sdl from '../sdl.js';
import { formatDate } from '../format.js';
import { can, notify, errorText } from '../main.js';

/** visible hides the fields the signed-in user's role may not read (@hasRole in the schema). */
const visible = (f) => !f.requires || can(f.requires);

const SOURCE_FIELDS = ['id', 'name', 'kind', 'active', 'feedUrl', 'allowedHosts', 'language', 'timeZone', 'createdAt', 'disabledAt',
  'lastSyncAt', 'lastPullAt', 'lastError', 'lastErrorAt', 'openVacancies', 'closedVacancies', 'expiredVacancies',
  'secrets { id hint createdAt revokedAt lastUsedAt }', 'roleRules { field pattern role }', 'state { lastSyncAt lastError open closed expired }'];
const VACANCY_FIELDS = ['id', 'title', 'url', 'status', 'closedReason', 'language', 'datePosted', 'validThrough', 'firstSeenAt', 'lastSeenAt',
  'workplaceType', 'employmentTypes', 'hiringOrganization { name }', 'locations { locality country }', 'role { id title slug }', 'roleId',
  'source { id name }', 'sourceId'];
const WANTED = { Source: SOURCE_FIELDS, Vacancy: VACANCY_FIELDS };

/** listField finds a Query field that lists typeName (plain list or connection) and needs no arguments. */
function listField(schema, typeName, ...preferred) {
  const query = schema.type('Query');
  if (!query || !schema.type(typeName)) return null;
  const candidates = [];
  for (const f of query.fields.values()) {
    if (f.args.some((a) => a.type.nonNull && !a.hasDefault) || !visible(f)) continue;
    const base = sdl.baseName(f.type);
    if (base === typeName && f.type.list) {
      candidates.push({ field: f, connection: false });
    } else if (schema.isConnection(base)) {
      const edges = schema.field(base, 'edges');
      const node = edges && schema.field(sdl.baseName(edges.type), 'node');
      if (node && sdl.baseName(node.type) === typeName) candidates.push({ field: f, connection: true });
    }
  }
  for (const name of preferred) {
    const c = candidates.find((x) => x.field.name === name);
    if (c) return c;
  }
  return candidates[0] || null;
}

function typeString(type) {
  const inner = type.list ? `[${typeString(type.of)}]` : type.name;
  return type.nonNull ? `${inner}!` : inner;
}

/** fetchAll reads every item of a list field, page by page for connections. */
async function fetchAll(schema, found, typeName, extraArgs = '', limit = 1000) {
  const sel = schema.pick(typeName, WANTED[typeName] || [], visible);
  const hasFirst = found.field.args.some((a) => a.name === 'first');
  const hasAfter = found.field.args.some((a) => a.name === 'after');
  const out = [];
  let after = null;
  for (;;) {
    const args = [];
    if (extraArgs) args.push(extraArgs);
    if (hasFirst) args.push('first: 50');
    if (hasAfter && after) args.push(`after: ${JSON.stringify(after)}`);
    const argText = args.length ? `(${args.join(', ')})` : '';
    const body = found.connection ? `{ edges { node { ${sel} } } pageInfo { hasNextPage endCursor } }` : `{ ${sel} }`;
    const data = await gql(`query { list: ${found.field.name}${argText} ${body} }`);
    if (!found.connection) return data.list || [];
    out.push(...data.list.edges.map((e) => e.node));
    if (!data.list.pageInfo.hasNextPage || !hasAfter || out.length >= limit) return out;
    after = data.list.pageInfo.endCursor;
  }
}

function label(key) {
  return has(`gen.${key}`) ? t(`gen.${key}`) : key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

function show(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (Array.isArray(value)) return value.length ? value.map(show).join(value.some((v) => v && typeof v === 'object') ? '; ' : ', ') : '—';
  if (typeof value === 'object') return Object.values(value).filter((v) => v !== null && v !== '' && v !== undefined).map(show).join(', ') || '—';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatDate(value);
  return String(value);
}

function details(obj, skip = []) {
  return h('dl', { class: 'doc' }, Object.entries(obj).filter(([k]) => !skip.includes(k)).map(([k, v]) => [h('dt', null, label(k)), h('dd', null, show(v))]));
}

async function loadSchema(main) {
  try {
    return await sdl.load();
  } catch (err) {
    replace(main, h('h1', { tabindex: '-1' }, t('common.error')), h('p', { class: 'error' }, errorText(err)));
    return null;
  }
}

function notYet(main, title, text) {
  replace(main, h('h1', { tabindex: '-1' }, title),
    h('section', { class: 'card empty-state', id: 'sync-unavailable' },
      h('h2', null, t('sync.notYetTitle')),
      h('p', null, text),
      h('p', { class: 'muted' }, t('sync.notYetHow'))));
}

// --- sources (admins) --------------------------------------------------------

const ACTION_NAMES = {
  rotateSourceSecret: 'sync.action.rotate', disableSource: 'sync.action.disable', enableSource: 'sync.action.enable',
  revokeSourceSecret: 'sync.action.revoke', deleteSource: 'sync.action.delete',
  'rotateSourceSecret+revokeOthers': 'sync.action.rotateRevoke', 'disableSource+closeVacancies': 'sync.action.disableClose',
};

function actionLabel(name, flag) {
  const key = flag ? `${name}+${flag}` : name;
  if (ACTION_NAMES[key]) return t(ACTION_NAMES[key]);
  return flag ? `${actionLabel(name)} (${label(flag)})` : label(name);
}

/** dangerous actions take a second click. */
function dangerous(name, flag) {
  return /disable|revoke|delete/i.test(name) || Boolean(flag);
}

/** sourceMutations sorts the Mutation fields about sources into a create form, per-source and per-secret actions. */
function sourceMutations(schema) {
  const mutation = schema.type('Mutation');
  const out = { create: null, perSource: [], perSecret: [] };
  if (!mutation) return out;
  for (const f of mutation.fields.values()) {
    if (!/source/i.test(f.name)) continue;
    const required = f.args.filter((a) => a.type.nonNull && !a.hasDefault);
    if (/^create/i.test(f.name)) out.create = f;
    else if (required.length === 1 && sdl.baseName(required[0].type) === 'ID') out.perSource.push(f);
    else if (required.length === 2 && required.every((a) => sdl.baseName(a.type) === 'ID') && required.some((a) => /secret/i.test(a.name))) out.perSecret.push(f);
  }
  return out;
}

/** inputFields lists the fields a create form asks for: an input object's fields, or the arguments themselves. */
function inputFields(schema, f) {
  if (f.args.length === 1 && schema.type(sdl.baseName(f.args[0].type)) && schema.type(sdl.baseName(f.args[0].type)).kind === 'input') {
    const input = schema.type(sdl.baseName(f.args[0].type));
    return { wrap: f.args[0], fields: [...input.fields.values()] };
  }
  return { wrap: null, fields: f.args };
}

function control(schema, field, id) {
  const base = sdl.baseName(field.type);
  const ty = schema.type(base);
  if (field.type.list && schema.isLeaf(base)) {
    return { el: h('textarea', { id, rows: 3, 'aria-describedby': `${id}-help` }), kind: 'lines' };
  }
  if (ty && ty.kind === 'enum') {
    return { el: h('select', { id }, !field.type.nonNull && h('option', { value: '' }, '—'), ty.values.map((v) => h('option', { value: v }, v))), kind: 'enum' };
  }
  if (base === 'Boolean') return { el: h('input', { id, type: 'checkbox' }), kind: 'bool' };
  if (base === 'Int' || base === 'Float') return { el: h('input', { id, type: 'number' }), kind: base === 'Int' ? 'int' : 'float' };
  if (schema.isLeaf(base)) return { el: h('input', { id, autocomplete: 'off' }), kind: 'text' };
  return { el: h('textarea', { id, rows: 3, class: 'code', 'aria-describedby': `${id}-help`, placeholder: jsonExample(schema, field.type) }), kind: 'json' };
}

/** jsonExample shows the shape an input object (or a list of them) takes. */
function jsonExample(schema, type) {
  const ty = schema.type(sdl.baseName(type));
  if (!ty || ty.kind !== 'input') return '';
  const obj = Object.fromEntries([...ty.fields.values()].map((f) => [f.name, '…']));
  const text = JSON.stringify(obj);
  return type.list || (type.of && type.of.list) ? `[${text}]` : text;
}

function readControl(c) {
  switch (c.kind) {
    case 'lines': return c.el.value.split('\n').map((x) => x.trim()).filter(Boolean);
    case 'bool': return c.el.checked;
    case 'int': return c.el.value === '' ? null : parseInt(c.el.value, 10);
    case 'float': return c.el.value === '' ? null : Number(c.el.value);
    case 'json': return c.el.value.trim() ? JSON.parse(c.el.value) : null;
    default: return c.el.value.trim() === '' ? null : c.el.value.trim();
  }
}

/** onceBox shows what a create or rotate returned: the secret appears once and only here. */
function onceBox(result) {
  // The credentials themselves; of a nested object (the source) only its name.
  const flat = [];
  for (const [k, v] of Object.entries(result || {})) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (v.name) flat.push([k, v.name]);
    } else {
      flat.push([k, typeof v === 'string' && /endpoint/i.test(k) && v.startsWith('/') ? `${location.origin}${v}` : v]);
    }
  }
  return h('section', { class: 'notice notice-warning once', id: 'secret-once', role: 'alert', tabindex: '-1' },
    h('h2', null, t('sync.onceTitle')),
    h('p', null, t('sync.onceText')),
    h('dl', { class: 'doc' }, flat.map(([k, v]) => {
      const secret = /secret|token|clientId/i.test(k) && typeof v === 'string';
      return [h('dt', null, label(k)), h('dd', null, secret
        ? [h('code', { class: 'secret', 'data-key': k }, v), ' ', h('button', {
          type: 'button', class: 'secondary small',
          onclick: () => navigator.clipboard.writeText(v).then(() => notify(t('sync.copied')), () => notify(t('sync.copyFailed'), 'error')),
        }, t('sync.copy'))]
        : show(v))];
    })));
}

export async function sourcesView(main) {
  const schema = await loadSchema(main);
  if (!schema) return {};
  const found = listField(schema, 'Source', 'sources');
  if (!found) {
    notYet(main, t('sync.sourcesTitle'), t('sync.notYetSources'));
    return {};
  }
  const muts = sourceMutations(schema);
  let once = null;
  let confirming = '';

  const render = async (focusId) => {
    let sources;
    try {
      sources = await fetchAll(schema, found, 'Source');
    } catch (err) {
      replace(main, h('h1', { tabindex: '-1' }, t('sync.sourcesTitle')), h('p', { class: 'error' }, errorText(err)));
      return;
    }
    const run = async (f, args, reloadFocus, flag) => {
      const decls = f.args.filter((a) => args[a.name] !== undefined).map((a) => `$${a.name}: ${typeString(a.type)}`);
      const pass = f.args.filter((a) => args[a.name] !== undefined).map((a) => `${a.name}: $${a.name}`);
      const base = sdl.baseName(f.type);
      const sel = schema.isLeaf(base) ? '' : `{ ${schema.selection(base, (g) => visible(g) && g.name !== 'lastReport' && g.name !== 'roleRules')} }`;
      try {
        const data = await gql(`mutation Run${decls.length ? `(${decls.join(', ')})` : ''} { result: ${f.name}${pass.length ? `(${pass.join(', ')})` : ''} ${sel} }`, args);
        const r = data.result;
        once = r && typeof r === 'object' && Object.keys(r).some((k) => /secret|token/i.test(k) && typeof r[k] === 'string') ? r : null;
        await render(once ? 'secret-once' : reloadFocus);
        notify(t('sync.done', { action: actionLabel(f.name, flag) }), 'success');
      } catch (err) {
        notify(err.code === 'CONFLICT' ? err.message : errorText(err), 'error');
      }
    };

    let form = null;
    if (muts.create && visible(muts.create)) {
      const { wrap, fields } = inputFields(schema, muts.create);
      const controls = fields.map((f) => ({ f, c: control(schema, f, `source-new-${f.name}`) }));
      const error = h('p', { class: 'error', role: 'alert' });
      form = h('form', {
        class: 'card form-narrow', 'aria-labelledby': 'source-new-title',
        onsubmit: async (e) => {
          e.preventDefault();
          error.textContent = '';
          const values = {};
          try {
            for (const { f, c } of controls) {
              const v = readControl(c);
              if (v !== null && !(Array.isArray(v) && v.length === 0 && !f.type.nonNull)) values[f.name] = v;
            }
          } catch {
            error.textContent = t('sync.badJson');
            return;
          }
          await run(muts.create, wrap ? { [wrap.name]: values } : values, 'source-new-title');
        },
      },
      h('h2', { id: 'source-new-title' }, t('sync.newSource')),
      controls.map(({ f, c }) => h('div', { class: c.kind === 'bool' ? 'field inline' : 'field' },
        h('label', { for: c.el.id }, label(f.name), f.type.nonNull ? h('span', { class: 'required' }, ' *') : null),
        c.el,
        c.kind === 'lines' && h('p', { class: 'field-help', id: `${c.el.id}-help` }, t('sync.onePerLine')),
        c.kind === 'json' && h('p', { class: 'field-help', id: `${c.el.id}-help` }, t('sync.jsonHelp')))),
      error,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'source-new-submit' }, t('sync.create'))));
    }

    // An action that disables shows only on active sources, one that
    // enables only on disabled ones.
    const applies = (f, src) => {
      if (!visible(f)) return false;
      if (/^disable/i.test(f.name)) return src.active !== false;
      if (/^enable/i.test(f.name)) return src.active === false;
      return true;
    };
    const card = (src, i) => h('article', { class: 'card source', 'data-source': src.name || src.id || String(i), 'aria-labelledby': `source-${i}-title` },
      h('h2', { id: `source-${i}-title` }, src.name || src.id || `#${i + 1}`, ' ',
        src.active === false ? h('span', { class: 'badge badge-saved' }, t('sync.disabled')) : null),
      details(src, ['secrets', 'roleRules', 'name']),
      Array.isArray(src.roleRules) && src.roleRules.length > 0 && h('div', null,
        h('h3', null, t('sync.roleRules')),
        h('ol', null, src.roleRules.map((r) => h('li', null, `${r.field} ~ /${r.pattern}/ → ${r.role}`)))),
      Array.isArray(src.secrets) && h('div', { class: 'secrets' },
        h('h3', null, t('sync.secrets')),
        src.secrets.length === 0 ? h('p', { class: 'muted' }, t('list.empty')) : h('ul', null, src.secrets.map((sec) => h('li', null,
          h('code', null, sec.hint || sec.id), ' ',
          sec.revokedAt ? h('span', { class: 'badge badge-saved' }, t('sync.revoked')) : h('span', { class: 'badge badge-published' }, t('sync.works')), ' ',
          h('span', { class: 'muted small' }, [
            sec.createdAt && `${label('createdAt')} ${show(sec.createdAt)}`,
            sec.lastUsedAt && `${label('lastUsedAt')} ${show(sec.lastUsedAt)}`,
            sec.revokedAt && `${label('revokedAt')} ${show(sec.revokedAt)}`,
          ].filter(Boolean).join(' · ')),
          muts.perSecret.filter(visible).map((f) => {
            const args = {};
            for (const a of f.args) if (a.type.nonNull) args[a.name] = /secret/i.test(a.name) ? sec.id : src.id;
            return [' ', h('button', { type: 'button', class: 'secondary small', onclick: () => run(f, args, `source-${i}-title`) }, actionLabel(f.name))];
          }))))),
      h('div', { class: 'actions' }, muts.perSource.filter((f) => applies(f, src)).flatMap((f) => {
        // Each optional true/false argument (revokeOthers, closeVacancies)
        // is a second, stronger variant of the action.
        const flags = [null, ...f.args.filter((a) => !a.type.nonNull && sdl.baseName(a.type) === 'Boolean').map((a) => a.name)];
        return flags.map((flag) => {
          const key = `${src.id}:${f.name}:${flag || ''}`;
          const id = `source-${i}-${f.name}${flag ? `-${flag}` : ''}`;
          const args = { [f.args.find((a) => a.type.nonNull).name]: src.id };
          if (flag) args[flag] = true;
          const armed = confirming === key;
          return h('button', {
            type: 'button', id, 'data-action': f.name, 'data-flag': flag || null,
            class: dangerous(f.name, flag) ? (armed ? 'danger small' : 'secondary small danger-text') : 'secondary small',
            onclick: () => {
              if (dangerous(f.name, flag) && !armed) {
                confirming = key;
                render(id);
                return;
              }
              confirming = '';
              run(f, args, `source-${i}-title`, flag);
            },
          }, armed ? t('sync.confirm', { action: actionLabel(f.name, flag) }) : actionLabel(f.name, flag));
        });
      })));

    replace(main,
      h('h1', { tabindex: '-1' }, t('sync.sourcesTitle')),
      h('p', { class: 'muted' }, t('sync.sourcesIntro')),
      once && onceBox(once),
      sources.length === 0 ? h('p', { class: 'card muted', id: 'sources-empty' }, t('sync.noSources')) : sources.map(card),
      form);
    once = null;
    if (focusId) document.getElementById(focusId)?.focus();
  };
  await render();
  return { rerender: () => render() };
}

// --- vacancies ---------------------------------------------------------------

function cellValue(column, v) {
  if (column === 'title' && v.url) return h('a', { href: v.url, rel: 'noopener noreferrer', target: '_blank' }, v.title);
  if (column === 'status' && v.status && has(`sync.status.${v.status}`)) {
    return h('span', { class: ['badge', v.status === 'OPEN' ? 'badge-published' : 'badge-saved'] }, t(`sync.status.${v.status}`));
  }
  return show(v[column]);
}

const COLUMNS = ['title', 'status', 'hiringOrganization', 'locations', 'language', 'datePosted', 'validThrough', 'lastSeenAt', 'closedReason'];
const STATUSES = ['OPEN', 'CLOSED', 'EXPIRED'];

export async function vacanciesView(main) {
  const schema = await loadSchema(main);
  if (!schema) return {};
  // Editors get every status (the sync state); others the public, open list.
  const found = listField(schema, 'Vacancy', 'vacanciesForAdmin', 'vacancies');
  if (!found) {
    notYet(main, t('sync.vacanciesTitle'), t('sync.notYetVacancies'));
    return {};
  }
  let vacancies;
  let sources = null;
  try {
    vacancies = await fetchAll(schema, found, 'Vacancy');
    const sourceList = listField(schema, 'Source', 'sources');
    if (sourceList) sources = await fetchAll(schema, sourceList, 'Source').catch(() => null);
  } catch (err) {
    replace(main, h('h1', { tabindex: '-1' }, t('sync.vacanciesTitle')), h('p', { class: 'error' }, errorText(err)));
    return {};
  }
  let groupBy = 'role';
  let status = '';
  const sourceName = new Map((sources || []).map((src) => [src.id, src.name || src.id]));
  const keyOf = (v) => {
    if (groupBy === 'role') return (v.role && (v.role.title || v.role.slug)) || v.roleSlug || v.roleId || t('sync.noRole');
    return (v.source && (v.source.name || v.source.id)) || sourceName.get(v.sourceId) || v.sourceId || t('sync.unknownSource');
  };
  const columns = COLUMNS.filter((c) => vacancies.some((v) => v[c] !== undefined));
  const hasStatus = vacancies.some((v) => v.status);

  const render = (focusId) => {
    const groups = new Map();
    for (const v of vacancies) {
      if (status && v.status !== status) continue;
      const k = keyOf(v);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(v);
    }
    const radios = ['role', 'source'].map((g) => h('span', { class: 'check' },
      h('input', { type: 'radio', name: 'group-by', id: `group-${g}`, value: g, checked: groupBy === g, onchange: () => { groupBy = g; render(`group-${g}`); } }),
      h('label', { for: `group-${g}` }, t(`sync.by.${g}`))));
    const statusSelect = hasStatus && h('div', { class: 'field inline' },
      h('label', { for: 'vacancy-status' }, t('gen.status')),
      h('select', { id: 'vacancy-status', onchange: (e) => { status = e.target.value; render('vacancy-status'); } },
        h('option', { value: '' }, t('sync.allStatuses')),
        STATUSES.map((st) => h('option', { value: st, selected: st === status }, t(`sync.status.${st}`)))));
    replace(main,
      h('h1', { tabindex: '-1' }, t('sync.vacanciesTitle')),
      h('p', { class: 'muted' }, found.field.name === 'vacancies' ? t('sync.vacanciesIntro') : t('sync.vacanciesIntroAll')),
      sources && h('section', { class: 'card', 'aria-labelledby': 'sync-state-title' }, h('h2', { id: 'sync-state-title' }, t('sync.syncState')),
        sources.length === 0 ? h('p', { class: 'muted' }, t('sync.noSources')) : h('div', { class: 'table-wrap' }, h('table', { class: 'sync-states' },
          h('thead', null, h('tr', null, ['name', 'active', 'lastSyncAt', 'lastError', 'openVacancies', 'closedVacancies', 'expiredVacancies']
            .filter((c) => sources.some((src) => src[c] !== undefined)).map((c) => h('th', { scope: 'col' }, label(c))))),
          h('tbody', null, sources.map((src) => h('tr', { 'data-source': src.name || src.id }, ['name', 'active', 'lastSyncAt', 'lastError', 'openVacancies', 'closedVacancies', 'expiredVacancies']
            .filter((c) => sources.some((x) => x[c] !== undefined)).map((c) => h(c === 'name' ? 'th' : 'td', c === 'name' ? { scope: 'row' } : null, show(src[c]))))))))),
      h('div', { class: 'filters' },
        h('fieldset', { class: 'group-by' }, h('legend', null, t('sync.groupBy')), radios),
        statusSelect),
      groups.size === 0
        ? h('p', { class: 'card muted', id: 'vacancies-empty' }, t('sync.noVacancies'))
        : [...groups.entries()].map(([k, list]) => h('section', { class: 'card', 'data-group': k },
          h('h2', null, k, ' ', h('span', { class: 'count' }, `(${list.length})`)),
          h('div', { class: 'table-wrap' }, h('table', null,
            h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, label(c))))),
            h('tbody', null, list.map((v) => h('tr', { 'data-vacancy': v.id || '' }, columns.map((c) => h('td', null,
              cellValue(c, v)))))))))));
    if (focusId) document.getElementById(focusId)?.focus();
  };
  render();
  return { rerender: () => render() };
}
