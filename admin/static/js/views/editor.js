// The entry editor: loads an entry, keeps the editor's working copy (also
// in sessionStorage, so nothing typed is lost), saves drafts with the
// version they were based on, publishes per locale, explains refusals and
// resolves conflicts without dropping anyone's text.

import { h, replace, preserveFocus } from '../dom.js';
import { t } from '../i18n.js';
import { gql, locales as getLocales } from '../api.js';
import * as session from '../session.js';
import * as unsaved from '../unsaved.js';
import { clone, debounce, flatten, same, slugify } from '../util.js';
import {
  ENTRY_FIELDS, ENTRY_QUERY, cleaned, fromEntry, idPath, merge, pathCovers, renormalize,
  structureInput, titleOf, translationInput, updateMutation, updateResult,
} from '../model.js';
import { formatDate, formatWhen, localeName, statusBadge, typeName } from '../format.js';
import { can, mayEditLocale, navigate, notify, clearNotice, errorText } from '../app.js';
import { allEntries } from './dashboard.js';
import { Form, fid } from './editor-form.js';
import { scheduleControls } from './schedule.js';

const PUBLISH = `mutation Publish($id: ID!, $l: [String!]!) { publish(id: $id, locales: $l) { unchanged entry { ${ENTRY_FIELDS} } } }`;
const UNPUBLISH = `mutation Unpublish($id: ID!, $l: [String!]!) { unpublish(id: $id, locales: $l) { ${ENTRY_FIELDS} } }`;
const DELETE = 'mutation Delete($id: ID!, $v: Int!) { deleteEntry(id: $id, expectedVersion: $v) }';
const USED_BY = 'query UsedBy($id: ID!) { entry(id: $id) { usedBy { id type label liveIn } } }';

// Articles with more blocks than this open with every block folded.
const FOLD_FROM = 3;

const PICKERS = { ARTICLE: ['COMPARISON', 'FAQ', 'ROLE'], ROLE: ['FAQ'], COMPARISON: ['ROLE'], FAQ: [] };

async function loadPickers(type) {
  const kinds = PICKERS[type] || [];
  const lists = await Promise.all(kinds.map((k) => allEntries(k)));
  const out = {};
  kinds.forEach((k, i) => { out[k] = lists[i].map((e) => ({ id: e.id, label: e.label })); });
  return out;
}

export async function editorView(main, { id }) {
  const locales = await getLocales();
  const data = await gql(ENTRY_QUERY, { id });
  if (!data.entry) {
    replace(main, h('h1', { tabindex: '-1' }, t('common.notFound')), h('p', null, t('editor.gone')), h('p', null, h('a', { href: '#/' }, t('nav.dashboard'))));
    return {};
  }
  const pickers = await loadPickers(data.entry.type);
  const ed = new Editor(main, data.entry, locales, pickers);
  ed.restoreUnsaved();
  ed.render();
  // Ctrl+S (Cmd+S) saves the draft, as in any editor.
  const onKey = (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      ed.save();
    }
  };
  document.addEventListener('keydown', onKey);
  return {
    destroy: () => { document.removeEventListener('keydown', onKey); ed.destroy(); },
    rerender: () => ed.render(),
    flush: () => ed.saveLocally(),
  };
}

class Editor {
  constructor(main, entry, locales, pickers) {
    this.main = main;
    this.locales = locales;
    this.codes = locales.map((l) => l.code);
    this.defaultCode = (locales.find((l) => l.isDefault) || locales[0]).code;
    this.pickers = pickers;
    this.user = session.currentUser();
    this.id = entry.id;
    this.state = {
      type: entry.type,
      entry,
      base: fromEntry(entry, this.codes),
      work: null,
      conflict: null, // { by, at, version, theirs, origBase, entry, takenOver, conflicts }
      problems: null, // { [locale]: { missing: [paths], slugTaken, noTranslation } }
      invalid: null, // { locale, path, message } from a refused save
      busy: '',
      confirm: '',
      note: '',
      // A long article opens with its blocks folded, so the page shows
      // its shape first; a block opens when asked or when something in it
      // needs attention.
      collapsed: new Set(entry.type === 'ARTICLE' && (entry.structure.blocks || []).length > FOLD_FROM ? entry.structure.blocks.map((b) => b.id) : []),
      openPreviews: new Set(), // ids of the Markdown fields whose preview is open
    };
    this.state.work = clone(this.state.base);
    this.canStructure = can('EDITOR') && entry.type !== 'FAQ';
    // The language a phone shows: the one the user may edit first, or the
    // source language.
    this.phoneLocale = this.user && this.user.role === 'TRANSLATOR' ? this.firstEditableLocale() : this.defaultCode;
    this.form = new Form(this);
    this.persist = debounce(() => this.saveLocally(), 250);
  }

  get defaultName() { return localeName(this.locales, this.defaultCode); }

  localeName(code) { return localeName(this.locales, code); }

  mayEdit(loc) { return mayEditLocale(loc); }

  /** otherLocale is the class that hides a locale's cells on a phone, which shows one language at a time. */
  otherLocale(loc) { return loc === this.phoneLocale ? null : 'other-locale'; }

  showLocale(loc) {
    this.phoneLocale = loc;
    this.render(`show-locale-${loc}`);
  }

  toggleBlock(id) {
    const { collapsed } = this.state;
    if (collapsed.has(id)) collapsed.delete(id);
    else collapsed.add(id);
    this.render(`block-${id}-toggle`);
  }

  setAllBlocks(open) {
    this.state.collapsed = new Set(open ? [] : this.state.work.structure.blocks.map((b) => b.id));
    this.render('blocks-toggle-all');
  }

  /** reveal opens what hides a locale's field: its folded block, and on a phone the other language. */
  reveal(loc, path) {
    const m = /^blocks\.([^.]+)/.exec(path || '');
    const folded = m && this.state.collapsed.has(m[1]);
    if (folded) this.state.collapsed.delete(m[1]);
    const hidden = loc && loc !== this.phoneLocale;
    if (hidden) this.phoneLocale = loc;
    return Boolean(folded || hidden);
  }

  firstEditableLocale() { return this.codes.find((c) => this.mayEdit(c)) || this.codes[0]; }

  dirty() {
    return !same(cleaned(this.state.type, this.state.work), cleaned(this.state.type, this.state.base));
  }

  destroy() {
    this.saveLocally();
  }

  // --- unsaved work -------------------------------------------------------

  saveLocally() {
    this.persist.cancel();
    if (!this.user) return;
    const c = this.state.conflict;
    if (c && !c.takenOver) {
      // Until the editor takes the new version over, the edits still rest
      // on the version they started from.
      unsaved.save(this.user.id, this.id, { version: c.mineVersion, base: c.origBase, work: this.state.work });
    } else if (this.dirty()) {
      unsaved.save(this.user.id, this.id, { version: this.state.entry.version, base: this.state.base, work: this.state.work });
    } else {
      unsaved.clear(this.user.id, this.id);
    }
  }

  restoreUnsaved() {
    const rec = unsaved.load(this.user.id, this.id);
    if (!rec || !rec.work || !rec.base) return;
    const { type } = this.state;
    const latest = this.state.base;
    for (const code of this.codes) {
      if (!rec.work.tr[code]) rec.work.tr[code] = clone(latest.tr[code]);
      if (!rec.base.tr[code]) rec.base.tr[code] = clone(latest.tr[code]);
    }
    if (same(cleaned(type, rec.work), cleaned(type, latest)) || same(cleaned(type, rec.work), cleaned(type, rec.base))) {
      unsaved.clear(this.user.id, this.id);
      return;
    }
    if (rec.version === this.state.entry.version) {
      this.state.work = rec.work;
      this.state.note = t('editor.restored', { at: formatDate(rec.at) });
      return;
    }
    // The entry moved on since these edits began: treat it as a conflict.
    const e = this.state.entry;
    this.state.conflict = {
      by: (e.updatedBy && e.updatedBy.email) || t('conflict.someone'),
      at: e.updatedAt,
      version: e.version,
      theirs: clone(latest),
      origBase: rec.base,
      entry: e,
      takenOver: false,
      conflicts: [],
      fromStorage: true,
      mineVersion: rec.version,
    };
    this.state.collapsed.clear();
    this.state.base = rec.base;
    this.state.work = rec.work;
  }

  // --- change notifications from the form ---------------------------------

  changed() {
    this.persist();
    this.updateSaveState();
  }

  structureChanged(focusId) {
    renormalize(this.state.type, this.state.work);
    this.changed();
    this.render(focusId);
  }

  render(focusId) {
    preserveFocus(() => replace(this.main, this.view()), focusId);
  }

  updateSaveState() {
    const el = document.getElementById('save-state');
    if (el) el.textContent = this.saveStateText();
  }

  saveStateText() {
    if (this.state.busy === 'save') return t('editor.saving');
    if (this.state.conflict && !this.state.conflict.takenOver) return t('editor.stateConflict');
    return this.dirty() ? t('editor.stateDirty') : t('editor.stateSaved');
  }

  // --- markers -------------------------------------------------------------

  markers(loc, path, value) {
    const { entry, base, problems, invalid } = this.state;
    const st = entry.status.find((s) => s.locale === loc);
    const empty = Array.isArray(value) ? value.length === 0 : !String(value ?? '').trim();
    const out = { missing: false, outdated: false, untranslated: false, problem: false, invalid: null };
    if (st && st.exists && empty) out.missing = st.missingFields.some((p) => pathCovers(idPath(base.structure, p), path));
    if (st && loc !== this.defaultCode) {
      out.outdated = st.outdatedFields.some((p) => pathCovers(p, path));
      out.untranslated = empty && !out.missing && (st.untranslatedFields || []).some((p) => pathCovers(p, path));
    }
    const pr = problems && problems[loc];
    if (pr) out.problem = (empty && pr.missing.some((p) => pathCovers(p, path))) || (path === 'slug' && Boolean(pr.slugTaken));
    if (invalid && invalid.path && invalid.locale === loc && pathCovers(invalid.path, path)) out.invalid = invalid.message;
    return out;
  }

  labelFor(path) {
    const { structure } = this.state.work;
    let m = /^blocks\.([^.]+)\.(\w+)$/.exec(path);
    if (m) {
      const i = structure.blocks.findIndex((b) => b.id === m[1]);
      const b = structure.blocks[i];
      return b ? `${t('editor.block')} ${i + 1} (${t(`block.${b.type}`)}): ${t(`field.${m[2]}`)}` : path;
    }
    m = /^rows\.([^.]+)\.(label|values)(?:\.(\d+))?$/.exec(path);
    if (m) {
      const i = structure.rowIds.indexOf(m[1]);
      if (m[2] === 'label') return `${t('editor.row')} ${i + 1}: ${t('field.rowLabel')}`;
      const roleId = structure.roleIds[Number(m[3])];
      const role = (this.pickers.ROLE || []).find((r) => r.id === roleId);
      return `${t('editor.row')} ${i + 1}: ${role ? role.label : t('field.values')}`;
    }
    return t(`field.${path}`);
  }

  focusField(loc, path) {
    if (this.reveal(loc, path)) this.render();
    const id = fid(loc, path);
    const el = document.getElementById(id) || document.getElementById(`${id}-0`) || document.getElementById(`${id}_0`) || document.getElementById(`${id}-add`);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
    }
  }

  // --- view ------------------------------------------------------------------

  view() {
    const { state } = this;
    const e = state.entry;
    const sections = this.form.sections();
    const outline = this.outlineItems(sections);
    return h('div', { class: 'editor', 'data-entry-type': e.type, 'data-version': String(e.version) },
      h('div', { class: 'editor-head' },
        h('nav', { class: 'breadcrumbs', 'aria-label': t('nav.breadcrumbs') },
          h('a', { href: '#/' }, t('nav.dashboard')), h('span', { 'aria-hidden': 'true' }, ' › '), typeName(e.type, true)),
        h('h1', { tabindex: '-1', id: 'editor-title' }, e.label),
        h('div', { class: 'meta-row' },
          h('p', { class: 'meta muted' }, t('editor.meta', {
            type: typeName(e.type).replace(/^./, (c) => c.toUpperCase()), version: e.version, at: formatDate(e.updatedAt), by: e.updatedBy ? e.updatedBy.email : t('editor.system'),
          })),
          this.entryActions())),
      this.toolbar(outline),
      state.note && h('p', { class: 'notice notice-info', role: 'status' }, state.note),
      this.conflictBanner(),
      this.problemsBanner(),
      h('div', { class: 'cells locale-heads' }, this.codes.map((loc) => this.localeHead(loc))),
      h('div', { class: 'editor-layout' },
        this.outline(outline),
        h('div', { class: 'editor-body' },
          sections,
          h('div', { class: 'editor-foot' },
            h('button', { type: 'button', class: 'primary', id: 'save-bottom', disabled: Boolean(state.busy) || this.blockedByConflict(), onclick: () => this.save() }, t('editor.save'))))));
  }

  /** outlineItems are the page's sections and an article's blocks, as places to jump to. */
  outlineItems(sections) {
    const items = sections.map((sec) => ({ id: sec.querySelector('h2').id, label: sec.querySelector('h2').textContent, level: 1 }));
    if (this.state.type === 'ARTICLE') {
      const at = items.findIndex((x) => x.id === 'section-blocks');
      const blocks = this.state.work.structure.blocks.map((b, i) => ({
        id: `block-${b.id}`, block: b.id, level: 2,
        label: `${i + 1}. ${t(`block.${b.type}`)}: ${this.form.blockSummary(b)}`,
      }));
      items.splice(at + 1, 0, ...blocks);
    }
    return items;
  }

  /** jump goes to a section or block, opening a folded block. */
  jump(item) {
    if (item.block && this.state.collapsed.has(item.block)) {
      this.state.collapsed.delete(item.block);
      this.render();
    }
    const el = document.getElementById(item.id);
    if (!el) return;
    el.scrollIntoView({ block: 'start' });
    const target = item.block ? el : el.closest('section') || el;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
  }

  /** outline stays beside the form on wide screens, so every block is one click away. */
  outline(items) {
    return h('nav', { class: 'outline', 'aria-labelledby': 'outline-title' },
      h('h2', { id: 'outline-title', class: 'outline-title' }, t('editor.outline')),
      h('ol', null, items.map((item) => h('li', { class: `outline-level-${item.level}` },
        h('a', {
          href: `#${item.id}`, 'data-target': item.id,
          onclick: (e) => { e.preventDefault(); this.jump(item); },
        }, item.label)))));
  }

  /** jumpSelect is the outline on narrower screens: a list in the save bar. */
  jumpSelect(items) {
    return h('span', { class: 'jump' },
      h('label', { for: 'outline-jump', class: 'sr-only' }, t('editor.jumpTo')),
      h('select', {
        id: 'outline-jump',
        onchange: (e) => {
          const item = items.find((x) => x.id === e.target.value);
          e.target.value = '';
          if (item) this.jump(item);
        },
      }, h('option', { value: '' }, `${t('editor.jumpTo')}…`), items.map((item) => h('option', { value: item.id }, item.level === 2 ? `\u00a0\u00a0${item.label}` : item.label))));
  }

  /** localeSwitch picks the one language a phone shows. */
  localeSwitch() {
    return h('div', { class: 'locale-switch', role: 'group', 'aria-label': t('editor.showLocale') },
      this.codes.map((loc) => h('button', {
        type: 'button', class: loc === this.phoneLocale ? 'primary small' : 'secondary small', id: `show-locale-${loc}`, 'aria-pressed': loc === this.phoneLocale ? 'true' : 'false',
        onclick: () => this.showLocale(loc),
      }, this.localeName(loc))));
  }

  blockedByConflict() {
    return Boolean(this.state.conflict && !this.state.conflict.takenOver);
  }

  toolbar(outline) {
    const { state } = this;
    return h('div', { class: 'toolbar' },
      h('button', {
        type: 'button', class: 'primary', id: 'save', disabled: Boolean(state.busy) || this.blockedByConflict(),
        'aria-describedby': 'save-state', 'aria-keyshortcuts': 'Control+S', title: t('editor.saveShortcut'), onclick: () => this.save(),
      }, state.busy === 'save' ? t('editor.saving') : t('editor.save')),
      h('span', { id: 'save-state', class: 'save-state', role: 'status', 'aria-live': 'polite' }, this.saveStateText()),
      h('span', { class: 'toolbar-spacer' }),
      this.localeSwitch(),
      this.jumpSelect(outline));
  }

  /** entryActions are the history and delete, kept out of the save bar so it stays one line on a phone. */
  entryActions() {
    const { state } = this;
    return h('div', { class: 'entry-actions' },
      h('a', { class: 'button secondary small', href: `#/entry/${encodeURIComponent(this.id)}/revisions`, id: 'revisions-link' }, t('editor.revisions')),
      can('EDITOR') && (state.confirm === 'delete'
        ? h('span', { class: 'confirm', role: 'group', 'aria-label': t('editor.deleteConfirm') },
          h('span', null, t('editor.deleteConfirm')), ' ',
          this.usedByView(),
          h('button', { type: 'button', class: 'danger', id: 'delete-confirm', onclick: () => this.remove() }, t('editor.deleteYes')),
          h('button', { type: 'button', class: 'secondary', id: 'delete-cancel', onclick: () => { state.confirm = ''; this.render('delete'); } }, t('common.cancel')))
        : h('button', { type: 'button', class: 'secondary small danger-text', id: 'delete', onclick: () => this.confirmDelete() }, t('editor.delete'))));
  }

  /** confirmDelete asks before a delete, naming what refers to the entry. */
  async confirmDelete() {
    const { state } = this;
    state.confirm = 'delete';
    state.usedBy = null;
    this.render('delete-cancel');
    try {
      const data = await gql(USED_BY, { id: this.id });
      state.usedBy = data.entry ? data.entry.usedBy : [];
    } catch (err) {
      state.usedBy = [];
      if (err.code !== 'SESSION_ENDED') notify(errorText(err), 'error');
    }
    if (state.confirm === 'delete') this.render('delete-cancel');
  }

  usedByView() {
    const list = this.state.usedBy;
    if (!list) return h('span', { id: 'used-by', 'aria-busy': 'true' }, t('editor.usedByLoading'));
    if (!list.length) return h('span', { id: 'used-by' }, t('editor.usedByNone'));
    return h('span', { id: 'used-by' }, t('editor.usedBy', { n: list.length }), ' ',
      ...list.map((u, i) => h('span', { 'data-used-by': u.id }, i ? ', ' : '',
        h('a', { href: `#/entry/${encodeURIComponent(u.id)}` }, u.label), ` (${typeName(u.type)}${u.liveIn.length ? `, ${t('editor.usedByLive')}` : ''})`)), ' ');
  }

  localeHead(loc) {
    const { state } = this;
    const e = state.entry;
    const st = e.status.find((s) => s.locale === loc);
    const live = e.live.find((l) => l.locale === loc);
    const editable = this.mayEdit(loc);
    const name = this.localeName(loc);
    const slugId = fid(loc, 'slug');
    const tr = state.work.tr[loc];
    const marks = this.markers(loc, 'slug', tr.slug);
    const pr = state.problems && state.problems[loc];
    const slugNotes = [];
    if (marks.problem && pr && pr.slugTaken) slugNotes.push(h('p', { class: 'field-error', id: `${slugId}-error` }, t('problems.slugTaken', { slug: pr.slugTaken, type: typeName(e.type) })));
    if (marks.invalid) slugNotes.push(h('p', { class: 'field-error', id: `${slugId}-invalid` }, marks.invalid));
    slugNotes.push(h('p', { class: 'field-help', id: `${slugId}-help` }, t('help.slug')));
    return h('section', { class: ['card', 'locale-head', this.otherLocale(loc)], 'data-locale': loc, 'data-live-revision': live ? String(live.revisionNumber) : '', 'aria-labelledby': `locale-${loc}-title`, lang: loc },
      h('h2', { id: `locale-${loc}-title` }, h('span', null, name, loc === this.defaultCode ? h('span', { class: 'muted small' }, ` · ${t('editor.defaultLocale')}`) : null), statusBadge(st)),
      h('p', { class: 'muted live-info' }, live ? t('editor.live', { n: live.revisionNumber, at: formatDate(live.publishedAt) }) : t('editor.notLive')),
      !editable && h('p', { class: 'muted' }, t('editor.localeReadOnly')),
      h('div', { class: ['cell', 'slug-cell', marks.problem && 'invalid'], 'data-locale': loc, 'data-path': 'slug' },
        h('label', { for: slugId }, t('field.slug'), ' ', h('span', { class: 'locale-tag' }, loc.toUpperCase())),
        h('input', {
          id: slugId, value: tr.slug, readOnly: !editable, 'data-locale': loc, 'data-path': 'slug', autocomplete: 'off', spellcheck: 'false',
          placeholder: slugify(titleOf(state.type, tr.fields)),
          'aria-invalid': marks.problem || marks.invalid ? 'true' : null,
          'aria-describedby': slugNotes.map((n) => n.id).join(' '),
          oninput: (ev) => { tr.slug = ev.target.value; this.changed(); },
        }),
        slugNotes,
        this.form.theirs(loc, 'slug')),
      can('EDITOR') && h('div', { class: 'publish-actions' },
        h('button', {
          type: 'button', class: 'primary', id: `publish-${loc}`, disabled: Boolean(state.busy) || this.blockedByConflict(),
          onclick: () => this.publish(loc),
        }, state.busy === `publish-${loc}` ? t('editor.publishing') : t('editor.publish', { locale: name })),
        live && (state.confirm === `unpublish-${loc}`
          ? h('span', { class: 'confirm' },
            h('button', { type: 'button', class: 'danger', id: `unpublish-${loc}-confirm`, onclick: () => this.unpublish(loc) }, t('editor.unpublishYes', { locale: name })),
            h('button', { type: 'button', class: 'secondary', id: `unpublish-${loc}-cancel`, onclick: () => { state.confirm = ''; this.render(`unpublish-${loc}`); } }, t('common.cancel')))
          : h('button', {
            type: 'button', class: 'secondary', id: `unpublish-${loc}`, disabled: Boolean(state.busy),
            onclick: () => { state.confirm = `unpublish-${loc}`; this.render(`unpublish-${loc}-cancel`); },
          }, t('editor.unpublish', { locale: name })))),
      scheduleControls(this, loc));
  }

  conflictBanner() {
    const c = this.state.conflict;
    if (!c) return null;
    const structureDiffers = !same(c.theirs.structure, c.origBase.structure) && !same(c.theirs.structure, this.state.work.structure);
    return h('section', { class: 'conflict notice notice-error', id: 'conflict-banner', role: 'alert', 'aria-labelledby': 'conflict-title', tabindex: '-1' },
      h('h2', { id: 'conflict-title' }, t('conflict.title')),
      h('p', { id: 'conflict-who' }, t(c.fromStorage ? 'conflict.whoStored' : 'conflict.who', {
        by: c.by, when: formatWhen(c.at), version: c.version, mine: c.mineVersion,
      })),
      c.takenOver
        ? h('p', null, t('conflict.takenOver', { version: c.version, n: c.conflicts.length }))
        : h('p', null, t('conflict.kept')),
      this.changedByThem(c),
      structureDiffers && h('p', null, t('conflict.structure'), ' ',
        this.canStructure && h('button', {
          type: 'button', class: 'secondary small', id: 'conflict-use-their-structure',
          onclick: () => { this.state.work.structure = clone(c.theirs.structure); this.structureChanged('conflict-banner'); },
        }, t('conflict.useTheirStructure'))),
      !c.takenOver && h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'conflict-take-over', onclick: () => this.takeOver() }, t('conflict.takeOver', { version: c.version })),
        h('button', { type: 'button', class: 'secondary', id: 'conflict-discard', onclick: () => this.discardMine() }, t('conflict.discard'))));
  }

  /** changedByThem lists the fields the other editor changed that differ from mine, as links to them. */
  changedByThem(c) {
    const items = [];
    for (const loc of this.codes) {
      const their = flatten({ slug: c.theirs.tr[loc].slug, ...c.theirs.tr[loc].fields });
      const before = flatten({ slug: (c.origBase.tr[loc] || {}).slug, ...((c.origBase.tr[loc] || {}).fields || {}) });
      const mine = flatten({ slug: this.state.work.tr[loc].slug, ...this.state.work.tr[loc].fields });
      for (const [path, v] of Object.entries(their)) {
        if (!same(v ?? '', before[path] ?? '') && !same(v ?? '', mine[path] ?? '')) items.push({ loc, path });
      }
    }
    if (!items.length) return null;
    return h('p', { id: 'conflict-fields' }, t('conflict.fields'), ' ', items.map(({ loc, path }, i) => [i ? ', ' : '',
      h('button', { type: 'button', class: 'link', 'data-conflict-path': path, 'data-locale': loc, onclick: () => this.focusField(loc, path) },
        `${this.localeName(loc)}: ${path === 'slug' ? t('field.slug') : this.labelFor(path)}`)]));
  }

  problemsBanner() {
    const { problems } = this.state;
    if (!problems) return null;
    return h('section', { class: 'problems notice notice-error', id: 'publish-problems', role: 'alert', tabindex: '-1', 'aria-labelledby': 'problems-title' },
      h('h2', { id: 'problems-title' }, t('problems.title')),
      h('ul', null, Object.entries(problems).map(([loc, p]) => h('li', { 'data-locale': loc },
        h('strong', null, `${this.localeName(loc)}: `),
        p.noTranslation ? t('problems.noTranslation') : null,
        p.missing.length ? [t('problems.missing'), ' ', p.missing.map((path, i) => [i ? ', ' : '',
          h('button', { type: 'button', class: 'link', 'data-problem-path': path, onclick: () => this.focusField(loc, path) }, this.labelFor(path))])] : null,
        p.slugTaken ? [' ', t('problems.slugTaken', { slug: p.slugTaken, type: typeName(this.state.type) })] : null,
        p.missingReferences && p.missingReferences.length ? [' ', t('problems.missingReferences', { n: p.missingReferences.length })] : null))));
  }

  // --- actions ---------------------------------------------------------------

  /** buildInput is the update input for what changed, or null when nothing did. */
  buildInput() {
    const { type, work, base } = this.state;
    const input = {};
    if (this.canStructure && !same(work.structure, base.structure)) input.structure = structureInput(type, work.structure);
    const translations = [];
    for (const loc of this.codes) {
      if (!this.mayEdit(loc)) continue;
      const w = cleaned(type, work).tr[loc];
      const b = cleaned(type, base).tr[loc];
      if (same({ slug: w.slug, fields: w.fields }, { slug: b.slug, fields: b.fields })) continue;
      if (!work.tr[loc].slug.trim()) {
        const suggested = slugify(titleOf(type, work.tr[loc].fields));
        if (!suggested) return { error: { locale: loc, path: 'slug', message: t('editor.slugNeeded') } };
        work.tr[loc].slug = suggested;
      }
      translations.push(translationInput(type, work.structure, loc, work.tr[loc]));
    }
    if (translations.length) input.translations = translations;
    return input.structure || input.translations ? input : null;
  }

  async save() {
    const { state } = this;
    if (state.busy) return false;
    if (this.blockedByConflict()) {
      document.getElementById('conflict-banner')?.focus();
      return false;
    }
    const input = this.buildInput();
    if (!input) {
      notify(t('editor.nothingToSave'));
      return true;
    }
    if (input.error) {
      state.invalid = input.error;
      this.render(fid(input.error.locale, input.error.path));
      return false;
    }
    state.busy = 'save';
    state.invalid = null;
    state.note = '';
    this.render();
    try {
      const data = await gql(updateMutation(state.type), { id: this.id, v: state.entry.version, in: input });
      this.accept(updateResult(state.type, data));
      state.conflict = null;
      state.busy = '';
      this.saveLocally();
      clearNotice();
      this.render();
      notify(t('editor.saved', { version: state.entry.version }), 'success');
      return true;
    } catch (err) {
      state.busy = '';
      if (err.code === 'CONFLICT') {
        await this.enterConflict(err.extensions);
      } else if (err.code === 'BAD_USER_INPUT') {
        const field = err.extensions.field || '';
        const message = errorText(err);
        const part = /^(blocks|rowIds)\[(\d+)\]/.exec(field);
        const loc = err.extensions.locale || (input.translations && input.translations.length === 1 ? input.translations[0].locale : null);
        let focusId;
        if (part) {
          // A block or row the server refused: mark it and go there.
          const id = part[1] === 'blocks' ? (state.work.structure.blocks[Number(part[2])] || {}).id : state.work.structure.rowIds[Number(part[2])];
          state.invalid = { part: id, message };
          if (part[1] === 'blocks' && id) this.reveal(null, `blocks.${id}`);
          focusId = id && `${part[1] === 'blocks' ? 'block' : 'row'}-${id}`;
        } else {
          state.invalid = loc && field ? { locale: loc, path: field, message } : null;
          if (state.invalid) this.reveal(loc, field);
          focusId = state.invalid ? fid(loc, field) : undefined;
        }
        this.render(focusId);
        notify(message, 'error');
      } else if (err.code !== 'SESSION_ENDED') {
        this.render();
        notify(errorText(err), 'error');
      }
      return false;
    }
  }

  /**
   * accept takes the server's entry as the new base. The structure and
   * each translation have their own version, so the entry may hold what
   * others saved in other locales meanwhile: the working copy takes their
   * text wherever the editor changed nothing, and keeps unsaved edits
   * (made before a publish, or typed while a save ran). The base is then
   * the whole entry at its version, the right expectedVersion for any part.
   */
  accept(entry) {
    const { state } = this;
    const latest = fromEntry(entry, this.codes);
    state.work = merge(state.type, state.base, state.work, latest).model;
    state.entry = entry;
    state.base = latest;
  }

  async enterConflict(ext) {
    const { state } = this;
    let latest;
    try {
      latest = (await gql(ENTRY_QUERY, { id: this.id })).entry;
    } catch (err) {
      notify(errorText(err), 'error');
      return;
    }
    if (!latest) {
      notify(t('editor.gone'), 'error');
      return;
    }
    state.conflict = {
      by: ext.updatedByEmail || (latest.updatedBy && latest.updatedBy.email) || t('conflict.someone'),
      at: ext.updatedAt || latest.updatedAt,
      version: latest.version,
      theirs: fromEntry(latest, this.codes),
      origBase: clone(state.base),
      entry: latest,
      takenOver: false,
      conflicts: [],
      mineVersion: state.entry.version,
    };
    // Their text shows beside every field they changed; fold nothing away.
    state.collapsed.clear();
    this.saveLocally();
    this.render('conflict-banner');
  }

  takeOver() {
    const { state } = this;
    const c = state.conflict;
    const { model, conflicts } = merge(state.type, c.origBase, state.work, c.theirs);
    state.entry = c.entry;
    state.base = clone(c.theirs);
    state.work = model;
    c.takenOver = true;
    c.conflicts = conflicts;
    this.saveLocally();
    this.render('conflict-banner');
  }

  discardMine() {
    const { state } = this;
    const c = state.conflict;
    state.entry = c.entry;
    state.base = clone(c.theirs);
    state.work = clone(c.theirs);
    state.conflict = null;
    this.saveLocally();
    this.render('editor-title');
    notify(t('conflict.discarded'));
  }

  async publish(loc) {
    const { state } = this;
    if (state.busy) return;
    if (this.dirty() && !(await this.save())) return;
    state.busy = `publish-${loc}`;
    state.problems = null;
    this.render();
    try {
      const data = await gql(PUBLISH, { id: this.id, l: [loc] });
      this.accept(data.publish.entry);
      state.busy = '';
      this.saveLocally();
      this.render();
      const unchanged = data.publish.unchanged.includes(loc);
      notify(t(unchanged ? 'editor.publishUnchanged' : 'editor.published', { locale: this.localeName(loc) }), unchanged ? 'info' : 'success');
    } catch (err) {
      state.busy = '';
      if (!this.showPublishProblems(err)) {
        this.render();
        if (err.code !== 'SESSION_ENDED') notify(errorText(err), 'error');
      }
    }
  }

  /** showPublishProblems shows a refused publication's problems per locale; false when err is not one. */
  showPublishProblems(err) {
    const { state } = this;
    if (err.code !== 'BAD_USER_INPUT' || !Array.isArray(err.extensions.problems)) return false;
    state.problems = {};
    for (const p of err.extensions.problems) {
      state.problems[p.locale] = {
        missing: (p.missingFields || []).map((path) => idPath(state.base.structure, path)),
        slugTaken: p.slugTaken || '',
        noTranslation: Boolean(p.noTranslation),
        missingReferences: p.missingReferences || [],
      };
      for (const path of state.problems[p.locale].missing) this.reveal(null, path);
    }
    this.render('publish-problems');
    return true;
  }

  async unpublish(loc) {
    const { state } = this;
    state.confirm = '';
    state.busy = `unpublish-${loc}`;
    this.render();
    try {
      const data = await gql(UNPUBLISH, { id: this.id, l: [loc] });
      this.accept(data.unpublish);
      state.busy = '';
      this.render(`publish-${loc}`);
      notify(t('editor.unpublished', { locale: this.localeName(loc) }), 'success');
    } catch (err) {
      state.busy = '';
      this.render();
      if (err.code !== 'SESSION_ENDED') notify(errorText(err), 'error');
    }
  }

  async remove() {
    const { state } = this;
    state.busy = 'delete';
    try {
      await gql(DELETE, { id: this.id, v: state.entry.version });
      unsaved.clear(this.user.id, this.id);
      this.destroy = () => {};
      notify(t('editor.deleted', { label: state.entry.label }), 'success', { keep: true });
      navigate('#/');
    } catch (err) {
      state.busy = '';
      state.confirm = '';
      if (err.code === 'CONFLICT') {
        await this.enterConflict(err.extensions);
        return;
      }
      this.render();
      if (err.code !== 'SESSION_ENDED') notify(errorText(err), 'error');
    }
  }
}
