// The editor's form: one row per field with a cell per locale, so Dutch and
// English sit side by side (on a phone one language at a time: cells of the
// other languages carry the class other-locale), plus the structure
// controls (blocks, rows, roles, FAQs) that editors may change and
// translators only see. Article blocks fold to their title and a one-line
// summary; Markdown previews open on request.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { renderMarkdown } from '../api.js';
import { clone, debounce, getPath, move, same, setPath, uuid } from '../util.js';
import { BLOCK_TEXT, BLOCK_TYPES, ROLE_LISTS, SALARY_PERIODS } from '../model.js';
import { markdownToolbar } from '../markdown-toolbar.js';

/** fid is the DOM id of a locale's field. */
export function fid(loc, path) {
  return `f-${loc}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** valueAt reads a locale's slug or a field. */
export function valueAt(model, loc, path) {
  const tr = model && model.tr[loc];
  if (!tr) return undefined;
  return path === 'slug' ? tr.slug : getPath(tr.fields, path);
}

function setValueAt(model, loc, path, value) {
  if (path === 'slug') model.tr[loc].slug = value;
  else setPath(model.tr[loc].fields, path, value);
}

/**
 * Form builds the sections of one entry type. ed is the editor: state,
 * locale codes, permissions and the callbacks that record changes.
 */
// Search engines cut titles and descriptions at about these lengths.
const SEO_TITLE_LENGTH = 60;
const SEO_DESCRIPTION_LENGTH = 155;

/** lengthHint counts characters (not UTF-16 units) against a soft limit. */
function lengthHint(value, max) {
  return t('editor.lengthHint', { n: [...value].length, max });
}

export class Form {
  constructor(ed) {
    this.ed = ed;
    this.previewTimers = new Map();
  }

  get work() { return this.ed.state.work; }

  get structure() { return this.ed.state.work.structure; }

  sections() {
    switch (this.ed.state.type) {
      case 'ARTICLE': return this.article();
      case 'ROLE': return this.role();
      case 'COMPARISON': return this.comparison();
      case 'FAQ': return this.faq();
      default: return [];
    }
  }

  // --- per type -----------------------------------------------------------

  article() {
    return [
      this.section('text', t('editor.section.text'),
        this.row('title', t('field.title'), 'text', { required: true }),
        this.row('lead', t('field.lead'), 'markdown', { required: true }),
        this.row('seoTitle', t('field.seoTitle'), 'text', { help: t('help.seoTitle'), lengthHint: SEO_TITLE_LENGTH }),
        this.row('seoDescription', t('field.seoDescription'), 'textarea', { lengthHint: SEO_DESCRIPTION_LENGTH }),
        this.row('ogImageUrl', t('field.ogImageUrl'), 'url', { help: t('help.ogImageUrl') })),
      this.section('blocks', t('editor.section.blocks'), this.blocks()),
    ];
  }

  role() {
    return [
      this.section('text', t('editor.section.text'),
        this.row('title', t('field.title'), 'text', { required: true }),
        this.row('summary', t('field.summary'), 'markdown', { required: true }),
        this.row('body', t('field.body'), 'markdown')),
      this.section('lists', t('editor.section.lists'), ROLE_LISTS.map((name) => this.listRow(name, t(`field.${name}`)))),
      this.section('salary', t('editor.section.salary'),
        this.salary(),
        this.row('salaryNotes', t('field.salaryNotes'), 'markdown')),
      this.section('seo', t('editor.section.seo'),
        this.row('seoTitle', t('field.seoTitle'), 'text', { help: t('help.seoTitle'), lengthHint: SEO_TITLE_LENGTH }),
        this.row('seoDescription', t('field.seoDescription'), 'textarea', { lengthHint: SEO_DESCRIPTION_LENGTH }),
        this.row('ogImageUrl', t('field.ogImageUrl'), 'url', { help: t('help.ogImageUrl') })),
      this.section('faqs', t('editor.section.faqs'),
        h('p', { class: 'muted' }, t('help.roleFaqs')),
        this.refList({
          idBase: 'role-faqs', label: t('editor.section.faqs'), ids: this.structure.faqIds, options: this.ed.pickers.FAQ,
          onChange: (ids) => { this.structure.faqIds = ids; },
        })),
    ];
  }

  comparison() {
    return [
      this.section('text', t('editor.section.text'),
        this.row('title', t('field.title'), 'text', { required: true }),
        this.row('intro', t('field.intro'), 'markdown')),
      this.section('roles', t('editor.section.roles'),
        h('p', { class: 'muted' }, t('help.comparisonRoles')),
        this.refList({
          idBase: 'comparison-roles', label: t('editor.section.roles'), ids: this.structure.roleIds, options: this.ed.pickers.ROLE, min: 2, max: 10,
          onChange: (ids) => this.setRoles(ids),
        })),
      this.section('rows', t('editor.section.rows'), this.rows()),
    ];
  }

  faq() {
    return [
      this.section('text', t('editor.section.text'),
        this.row('question', t('field.question'), 'text', { required: true }),
        this.row('answer', t('field.answer'), 'markdown', { required: true }),
        h('p', { class: 'muted' }, t('help.faqAttach'))),
    ];
  }

  // --- building blocks ----------------------------------------------------

  section(key, title, ...children) {
    const id = `section-${key}`;
    return h('section', { class: 'card form-section', 'aria-labelledby': id, 'data-section': key },
      h('h2', { id }, title), children);
  }

  /** row is one field with a cell per locale. */
  row(path, label, kind, opts = {}) {
    return h('div', { class: 'field-row cells', 'data-path': path }, this.ed.codes.map((loc) => this.cell(loc, path, label, kind, opts)));
  }

  cell(loc, path, label, kind, opts = {}) {
    const ed = this.ed;
    const id = fid(loc, path);
    const editable = ed.mayEdit(loc);
    const value = valueAt(this.work, loc, path) ?? '';
    const marks = ed.markers(loc, path, value);
    const notes = [];
    if (marks.problem) notes.push(h('p', { class: 'field-error', id: `${id}-error` }, t('editor.requiredToPublish')));
    else if (marks.missing) notes.push(h('p', { class: 'field-note', id: `${id}-missing` }, t('editor.missing')));
    if (marks.outdated) notes.push(h('p', { class: 'field-note outdated-note', id: `${id}-outdated` }, t('editor.outdated', { source: ed.defaultName })));
    if (marks.untranslated) notes.push(h('p', { class: 'field-note', id: `${id}-untranslated` }, t('editor.untranslated', { source: ed.defaultName })));
    if (marks.invalid) notes.push(h('p', { class: 'field-error', id: `${id}-invalid` }, marks.invalid));
    if (opts.help) notes.push(h('p', { class: 'field-help', id: `${id}-help` }, opts.help));
    if (opts.lengthHint) notes.push(h('p', { class: 'field-help length-hint', id: `${id}-length` }, lengthHint(value, opts.lengthHint)));
    const describedBy = notes.map((n) => n.id).join(' ') || null;
    const common = {
      id,
      lang: loc,
      'data-locale': loc,
      'data-path': path,
      readOnly: !editable,
      'aria-readonly': editable ? null : 'true',
      'aria-invalid': marks.problem || marks.invalid ? 'true' : null,
      'aria-describedby': describedBy,
      'aria-required': opts.required ? 'true' : null,
      oninput: (e) => {
        setValueAt(this.work, loc, path, e.target.value);
        if (opts.lengthHint) document.getElementById(`${id}-length`).textContent = lengthHint(e.target.value, opts.lengthHint);
        ed.changed();
        if (kind === 'markdown') this.schedulePreview(id, e.target.value);
      },
    };
    let input;
    let preview = null;
    if (kind === 'markdown' || kind === 'textarea') {
      input = h('textarea', { ...common, rows: kind === 'markdown' ? 6 : 3, class: kind === 'markdown' ? 'markdown' : null }, value);
      input.value = value;
    } else {
      input = h('input', { ...common, type: kind === 'url' ? 'text' : 'text', inputmode: kind === 'url' ? 'url' : null, value, autocomplete: 'off', spellcheck: kind === 'url' ? 'false' : null });
    }
    const previewOpen = ed.state.openPreviews.has(id);
    if (kind === 'markdown') {
      preview = h('div', { class: 'preview', id: `${id}-preview`, lang: loc });
      if (previewOpen) this.fillPreview(preview, value);
    }
    const localeName = ed.localeName(loc);
    const toolbar = kind === 'markdown' && editable ? markdownToolbar(input, `${label} (${localeName})`) : null;
    return h('div', {
      class: ['cell', marks.problem && 'invalid', (marks.outdated || marks.untranslated) && 'outdated', !editable && 'readonly', ed.otherLocale(loc)],
      'data-locale': loc,
      'data-path': path,
    },
    h('label', { for: id }, label, opts.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null, ' ', h('span', { class: 'locale-tag', title: localeName }, h('span', { 'aria-hidden': 'true' }, loc.toUpperCase()), h('span', { class: 'sr-only' }, `(${localeName})`)),
      kind === 'markdown' ? h('span', { class: 'kind' }, ' · Markdown') : null,
      !editable ? h('span', { class: 'kind' }, ` · ${t('editor.readOnly')}`) : null),
    toolbar,
    input,
    notes,
    this.theirs(loc, path),
    preview && h('details', {
      class: 'preview-wrap', open: previewOpen,
      ontoggle: (e) => {
        if (e.target.open) {
          ed.state.openPreviews.add(id);
          this.fillPreview(preview, valueAt(this.work, loc, path) ?? '');
        } else {
          ed.state.openPreviews.delete(id);
        }
      },
    },
    h('summary', { id: `${id}-preview-toggle` }, t('editor.preview')),
    preview));
  }

  fillPreview(el, markdown) {
    if (!markdown.trim()) {
      el.replaceChildren(h('p', { class: 'muted' }, t('editor.previewEmpty')));
      return;
    }
    renderMarkdown(markdown).then((html) => {
      el.innerHTML = html; // sanitized by the server, exactly as the public API serves it
    }).catch(() => {
      el.replaceChildren(h('p', { class: 'muted' }, t('editor.previewFailed')));
    });
  }

  schedulePreview(id, markdown) {
    let fn = this.previewTimers.get(id);
    if (!fn) {
      fn = debounce((text) => {
        const el = document.getElementById(`${id}-preview`);
        if (el && this.ed.state.openPreviews.has(id)) this.fillPreview(el, text);
      }, 350);
      this.previewTimers.set(id, fn);
    }
    fn(markdown);
  }

  /** theirs shows the other editor's text beside mine during a conflict. */
  theirs(loc, path) {
    const c = this.ed.state.conflict;
    if (!c) return null;
    const their = valueAt(c.theirs, loc, path);
    const before = valueAt(c.origBase, loc, path);
    const mine = valueAt(this.work, loc, path);
    if (same(their ?? '', before ?? '') || same(their ?? '', mine ?? '')) return null;
    const id = `${fid(loc, path)}-theirs`;
    return h('div', { class: 'theirs', role: 'group', 'aria-labelledby': `${id}-label`, id },
      h('p', { class: 'theirs-label', id: `${id}-label` }, t('conflict.theirLabel', { by: c.by })),
      Array.isArray(their)
        ? h('ol', { class: 'theirs-text' }, their.map((x) => h('li', null, x)))
        : h('div', { class: 'theirs-text', lang: loc }, their ? String(their) : h('em', null, t('conflict.empty'))),
      this.ed.mayEdit(loc) && h('button', {
        type: 'button', class: 'secondary small', id: `${id}-use`,
        onclick: () => {
          setValueAt(this.work, loc, path, clone(their ?? (Array.isArray(mine) ? [] : '')));
          this.ed.changed();
          this.ed.render(fid(loc, path));
        },
      }, t('conflict.useTheirs')));
  }

  /** listRow edits a list of lines per locale: add, remove, reorder. */
  listRow(name, label) {
    return h('div', { class: 'field-row list-row cells', 'data-path': name }, this.ed.codes.map((loc) => this.listCell(loc, name, label)));
  }

  listCell(loc, name, label) {
    const ed = this.ed;
    const items = this.work.tr[loc].fields[name];
    const editable = ed.mayEdit(loc);
    const base = fid(loc, name);
    const marks = ed.markers(loc, name, items);
    const moveTo = (i, j) => {
      this.work.tr[loc].fields[name] = move(items, i, j);
      ed.changed();
      const last = items.length - 1;
      ed.render(`${base}-${j}-${j === 0 ? 'down' : (j === last ? 'up' : (j < i ? 'up' : 'down'))}`);
    };
    const localeName = ed.localeName(loc);
    return h('div', { class: ['cell', 'list-cell', marks.outdated && 'outdated', !editable && 'readonly', ed.otherLocale(loc)], 'data-locale': loc, 'data-path': name, lang: loc },
      h('p', { class: 'cell-label', id: `${base}-label` }, label, ' ', h('span', { class: 'locale-tag', title: localeName }, h('span', { 'aria-hidden': 'true' }, loc.toUpperCase()), h('span', { class: 'sr-only' }, `(${localeName})`))),
      marks.outdated && h('p', { class: 'field-note outdated-note' }, t('editor.outdated', { source: ed.defaultName })),
      marks.untranslated && h('p', { class: 'field-note' }, t('editor.untranslated', { source: ed.defaultName })),
      items.length === 0 && h('p', { class: 'muted' }, t('list.empty')),
      h('ol', { class: 'list-items', 'aria-labelledby': `${base}-label` }, items.map((item, i) => h('li', null,
        h('label', { class: 'sr-only', for: `${base}-${i}` }, t('list.item', { n: i + 1, label })),
        h('input', {
          id: `${base}-${i}`, value: item, readOnly: !editable, 'data-locale': loc, 'data-path': `${name}.${i}`, autocomplete: 'off',
          oninput: (e) => { items[i] = e.target.value; ed.changed(); },
          onkeydown: (e) => {
            if (e.key === 'Enter' && editable) {
              e.preventDefault();
              items.splice(i + 1, 0, '');
              ed.changed();
              ed.render(`${base}-${i + 1}`);
            }
          },
        }),
        editable && h('span', { class: 'item-actions' },
          h('button', { type: 'button', class: 'icon', id: `${base}-${i}-up`, disabled: i === 0, 'aria-label': t('list.up', { item: item || t('list.itemN', { n: i + 1 }) }), onclick: () => moveTo(i, i - 1) }, '↑'),
          h('button', { type: 'button', class: 'icon', id: `${base}-${i}-down`, disabled: i === items.length - 1, 'aria-label': t('list.down', { item: item || t('list.itemN', { n: i + 1 }) }), onclick: () => moveTo(i, i + 1) }, '↓'),
          h('button', {
            type: 'button', class: 'icon danger', id: `${base}-${i}-remove`, 'aria-label': t('list.remove', { item: item || t('list.itemN', { n: i + 1 }) }),
            onclick: () => {
              items.splice(i, 1);
              ed.changed();
              ed.render(items.length ? `${base}-${Math.min(i, items.length - 1)}` : `${base}-add`);
            },
          }, '✕'))))),
      editable && h('button', {
        type: 'button', class: 'secondary small', id: `${base}-add`,
        onclick: () => {
          items.push('');
          ed.changed();
          ed.render(`${base}-${items.length - 1}`);
        },
      }, t('list.add', { label })),
      this.theirs(loc, name));
  }

  /**
   * refList is an ordered list of references to other entries (FAQs,
   * roles) with add, remove and reorder for editors; translators see it
   * read-only.
   */
  refList({ idBase, label, ids, options, min = 0, max = 200, onChange }) {
    const ed = this.ed;
    const names = new Map((options || []).map((o) => [o.id, o.label]));
    const nameOf = (id) => names.get(id) || t('editor.unknownEntry', { id });
    if (!ed.canStructure) {
      return ids.length
        ? h('ol', { class: 'ref-list readonly', id: idBase }, ids.map((id) => h('li', null, nameOf(id))))
        : h('p', { class: 'muted', id: idBase }, t('list.empty'));
    }
    const update = (next, focusId) => {
      onChange(next);
      ed.structureChanged(focusId);
    };
    const free = (options || []).filter((o) => !ids.includes(o.id));
    const select = h('select', { id: `${idBase}-choose` },
      h('option', { value: '' }, t('ref.choose')),
      free.map((o) => h('option', { value: o.id }, o.label)));
    return h('div', { class: 'ref-editor' },
      ids.length === 0 && h('p', { class: 'muted' }, t('list.empty')),
      h('ol', { class: 'ref-list', id: idBase, 'aria-label': label }, ids.map((id, i) => h('li', { 'data-ref': id },
        h('span', { class: 'ref-name' }, nameOf(id)),
        h('span', { class: 'item-actions' },
          h('button', { type: 'button', class: 'icon', id: `${idBase}-${i}-up`, disabled: i === 0, 'aria-label': t('list.up', { item: nameOf(id) }), onclick: () => update(move(ids, i, i - 1), `${idBase}-${i - 1}-${i - 1 === 0 ? 'down' : 'up'}`) }, '↑'),
          h('button', { type: 'button', class: 'icon', id: `${idBase}-${i}-down`, disabled: i === ids.length - 1, 'aria-label': t('list.down', { item: nameOf(id) }), onclick: () => update(move(ids, i, i + 1), `${idBase}-${i + 1}-${i + 1 === ids.length - 1 ? 'up' : 'down'}`) }, '↓'),
          h('button', {
            type: 'button', class: 'icon danger', id: `${idBase}-${i}-remove`, disabled: ids.length <= min, 'aria-label': t('list.remove', { item: nameOf(id) }),
            onclick: () => update(ids.filter((_, j) => j !== i), ids.length > 1 ? `${idBase}-${Math.min(i, ids.length - 2)}-remove` : `${idBase}-choose`),
          }, '✕'))))),
      ids.length < max && free.length > 0 && h('div', { class: 'ref-add' },
        h('label', { for: `${idBase}-choose` }, t('ref.add', { label })),
        select,
        h('button', {
          type: 'button', class: 'secondary small', id: `${idBase}-add`,
          onclick: () => {
            if (!select.value) { select.focus(); return; }
            update([...ids, select.value], `${idBase}-choose`);
          },
        }, t('ref.addButton'))));
  }

  // --- article blocks -------------------------------------------------------

  blocks() {
    const ed = this.ed;
    const blocks = this.structure.blocks;
    const typeSelect = h('select', { id: 'block-new-type' }, BLOCK_TYPES.map((bt) => h('option', { value: bt }, t(`block.${bt}`))));
    const allOpen = blocks.every((b) => !ed.state.collapsed.has(b.id));
    return [
      blocks.length === 0 && h('p', { class: 'muted' }, t('editor.noBlocks')),
      blocks.length > 1 && h('div', { class: 'blocks-tools' },
        h('button', {
          type: 'button', class: 'secondary small', id: 'blocks-toggle-all',
          onclick: () => ed.setAllBlocks(!allOpen),
        }, allOpen ? t('editor.collapseAll') : t('editor.expandAll'))),
      h('ol', { class: 'blocks' }, blocks.map((b, i) => this.block(b, i))),
      ed.canStructure && h('div', { class: 'ref-add block-add' },
        h('label', { for: 'block-new-type' }, t('editor.addBlockType')),
        typeSelect,
        h('button', {
          type: 'button', class: 'secondary', id: 'block-add',
          onclick: () => {
            const block = { id: uuid(), type: typeSelect.value, comparisonId: '', faqIds: [], roleId: '', limit: typeSelect.value === 'VACANCY_LIST' ? 3 : 0 };
            blocks.push(block);
            const firstField = BLOCK_TEXT[block.type][0];
            ed.structureChanged(fid(ed.firstEditableLocale(), `blocks.${block.id}.${firstField}`) || `block-${block.id}`);
          },
        }, t('editor.addBlock'))),
    ];
  }

  /** blockSummary is one line on what a block holds, in the language shown. */
  blockSummary(b) {
    const ed = this.ed;
    const pickerLabel = (kind, id) => ((ed.pickers[kind] || []).find((o) => o.id === id) || {}).label;
    const texts = [ed.phoneLocale, ed.defaultCode, ...ed.codes].map((loc) => {
      const f = getPath(this.work.tr[loc].fields, `blocks.${b.id}`) || {};
      return [f.heading, f.label, f.body].map((x) => String(x || '').replace(/[#*_>`[\]()]/g, '').replace(/\s+/g, ' ').trim()).filter(Boolean).join(' — ');
    });
    const text = texts.find(Boolean) || '';
    const extra = {
      COMPARISON: pickerLabel('COMPARISON', b.comparisonId),
      FAQ: b.faqIds.length ? t('editor.faqCount', { n: b.faqIds.length }) : '',
      VACANCY_LIST: pickerLabel('ROLE', b.roleId),
    }[b.type];
    const line = [text, extra].filter(Boolean).join(' · ');
    if (!line) return t('editor.emptyBlock');
    return line.length > 110 ? `${line.slice(0, 108)}…` : line;
  }

  block(b, i) {
    const ed = this.ed;
    const blocks = this.structure.blocks;
    const heading = `${t('editor.block')} ${i + 1} · ${t(`block.${b.type}`)}`;
    const collapsed = ed.state.collapsed.has(b.id);
    const moveBlock = (to) => {
      this.structure.blocks = move(blocks, i, to);
      ed.structureChanged(`block-${b.id}-${to === 0 ? 'down' : (to === blocks.length - 1 ? 'up' : (to < i ? 'up' : 'down'))}`);
    };
    const invalid = this.ed.state.invalid && this.ed.state.invalid.part === b.id ? this.ed.state.invalid.message : null;
    return h('li', { class: ['block', 'card-inner', invalid && 'invalid'], id: `block-${b.id}`, 'data-block-id': b.id, 'data-block-type': b.type, tabindex: '-1', 'aria-labelledby': `block-${b.id}-title` },
      h('div', { class: 'block-head' },
        h('h3', { id: `block-${b.id}-title` },
          h('button', {
            type: 'button', class: 'block-toggle', id: `block-${b.id}-toggle`, 'aria-expanded': collapsed ? 'false' : 'true', 'aria-controls': `block-${b.id}-body`,
            title: t(collapsed ? 'editor.expand' : 'editor.collapse', { item: heading }),
            onclick: () => ed.toggleBlock(b.id),
          }, h('span', { class: 'chevron', 'aria-hidden': 'true' }, collapsed ? '▸' : '▾'), ' ', heading)),
        collapsed && h('p', { class: 'block-summary muted', id: `block-${b.id}-summary` }, this.blockSummary(b)),
        ed.canStructure && h('span', { class: 'item-actions' },
          h('button', { type: 'button', class: 'icon', id: `block-${b.id}-up`, disabled: i === 0, 'aria-label': t('list.up', { item: heading }), onclick: () => moveBlock(i - 1) }, '↑'),
          h('button', { type: 'button', class: 'icon', id: `block-${b.id}-down`, disabled: i === blocks.length - 1, 'aria-label': t('list.down', { item: heading }), onclick: () => moveBlock(i + 1) }, '↓'),
          h('button', {
            type: 'button', class: 'icon danger', id: `block-${b.id}-remove`, 'aria-label': t('list.remove', { item: heading }),
            onclick: () => {
              this.structure.blocks = blocks.filter((x) => x.id !== b.id);
              const next = this.structure.blocks[Math.min(i, this.structure.blocks.length - 1)];
              ed.structureChanged(next ? `block-${next.id}` : 'block-new-type');
            },
          }, '✕'))),
      invalid && h('p', { class: 'field-error', role: 'alert' }, invalid),
      h('div', { class: 'block-body', id: `block-${b.id}-body`, hidden: collapsed },
        this.blockSettings(b),
        BLOCK_TEXT[b.type].map((f) => this.row(`blocks.${b.id}.${f}`, t(`field.${f}`), f === 'body' ? 'markdown' : (f === 'url' ? 'url' : 'text'),
          { required: (b.type === 'RICH_TEXT' && f === 'body') || b.type === 'CALL_TO_ACTION', help: f === 'anchor' ? t('help.anchor') : (f === 'url' ? t('help.url') : null) }))));
  }

  blockSettings(b) {
    const ed = this.ed;
    const pick = (kind, value, onchange, id, label) => {
      const options = ed.pickers[kind] || [];
      if (!ed.canStructure) {
        const o = options.find((x) => x.id === value);
        return h('p', { class: 'block-setting' }, `${label}: `, h('strong', null, o ? o.label : t('ref.none')));
      }
      return h('div', { class: 'field inline block-setting' },
        h('label', { for: id }, label),
        h('select', { id, onchange: (e) => { onchange(e.target.value); ed.structureChanged(id); } },
          h('option', { value: '', selected: !value }, t('ref.choose')),
          options.map((o) => h('option', { value: o.id, selected: o.id === value }, o.label))));
    };
    switch (b.type) {
      case 'COMPARISON':
        return pick('COMPARISON', b.comparisonId, (v) => { b.comparisonId = v; }, `block-${b.id}-comparison`, t('block.pickComparison'));
      case 'FAQ':
        return h('div', { class: 'block-setting' },
          h('p', { class: 'cell-label' }, t('block.pickFaqs')),
          this.refList({ idBase: `block-${b.id}-faqs`, label: t('block.pickFaqs'), ids: b.faqIds, options: ed.pickers.FAQ, min: 1, onChange: (ids) => { b.faqIds = ids; } }));
      case 'VACANCY_LIST': {
        const limitId = `block-${b.id}-limit`;
        return h('div', { class: 'block-settings' },
          pick('ROLE', b.roleId, (v) => { b.roleId = v; }, `block-${b.id}-role`, t('block.pickRole')),
          ed.canStructure
            ? h('div', { class: 'field inline block-setting' },
              h('label', { for: limitId }, t('block.limit')),
              h('input', {
                id: limitId, type: 'number', min: '1', max: '50', value: String(b.limit || 3),
                oninput: (e) => { b.limit = Number(e.target.value) || 0; ed.changed(); },
              }))
            : h('p', { class: 'block-setting' }, `${t('block.limit')}: `, h('strong', null, String(b.limit))));
      }
      default:
        return null;
    }
  }

  // --- comparison rows and roles --------------------------------------------

  setRoles(next) {
    const before = this.structure.roleIds;
    for (const tr of Object.values(this.work.tr)) {
      for (const row of Object.values(tr.fields.rows)) {
        row.values = next.map((id) => {
          const at = before.indexOf(id);
          return at >= 0 ? (row.values[at] || '') : '';
        });
      }
    }
    this.structure.roleIds = next;
  }

  rows() {
    const ed = this.ed;
    const rowIds = this.structure.rowIds;
    const roleNames = new Map((ed.pickers.ROLE || []).map((o) => [o.id, o.label]));
    return [
      rowIds.length === 0 && h('p', { class: 'muted' }, t('editor.noRows')),
      h('ol', { class: 'blocks rows' }, rowIds.map((rowId, i) => {
        const heading = `${t('editor.row')} ${i + 1}`;
        const moveRow = (to) => {
          this.structure.rowIds = move(rowIds, i, to);
          ed.structureChanged(`row-${rowId}-${to === 0 ? 'down' : (to === rowIds.length - 1 ? 'up' : (to < i ? 'up' : 'down'))}`);
        };
        const invalid = ed.state.invalid && ed.state.invalid.part === rowId ? ed.state.invalid.message : null;
        return h('li', { class: ['block', 'card-inner', invalid && 'invalid'], id: `row-${rowId}`, 'data-row-id': rowId, tabindex: '-1', 'aria-labelledby': `row-${rowId}-title` },
          h('div', { class: 'block-head' },
            h('h3', { id: `row-${rowId}-title` }, heading),
            ed.canStructure && h('span', { class: 'item-actions' },
              h('button', { type: 'button', class: 'icon', id: `row-${rowId}-up`, disabled: i === 0, 'aria-label': t('list.up', { item: heading }), onclick: () => moveRow(i - 1) }, '↑'),
              h('button', { type: 'button', class: 'icon', id: `row-${rowId}-down`, disabled: i === rowIds.length - 1, 'aria-label': t('list.down', { item: heading }), onclick: () => moveRow(i + 1) }, '↓'),
              h('button', {
                type: 'button', class: 'icon danger', id: `row-${rowId}-remove`, 'aria-label': t('list.remove', { item: heading }),
                onclick: () => {
                  this.structure.rowIds = rowIds.filter((x) => x !== rowId);
                  const next = this.structure.rowIds[Math.min(i, this.structure.rowIds.length - 1)];
                  ed.structureChanged(next ? `row-${next}` : 'row-add');
                },
              }, '✕'))),
          invalid && h('p', { class: 'field-error', role: 'alert' }, invalid),
          this.row(`rows.${rowId}.label`, t('field.rowLabel'), 'text', { required: true }),
          this.structure.roleIds.map((roleId, j) => this.row(`rows.${rowId}.values.${j}`,
            t('field.valueFor', { role: roleNames.get(roleId) || t('editor.unknownEntry', { id: roleId }) }), 'text', { required: true })));
      })),
      ed.canStructure && h('button', {
        type: 'button', class: 'secondary', id: 'row-add',
        onclick: () => {
          const id = uuid();
          this.structure.rowIds.push(id);
          ed.structureChanged(fid(ed.firstEditableLocale(), `rows.${id}.label`));
        },
      }, t('editor.addRow')),
    ];
  }

  // --- role salary ------------------------------------------------------------

  salary() {
    const ed = this.ed;
    const s = this.structure.salary;
    if (!ed.canStructure) {
      return h('p', { class: 'block-setting' }, `${t('salary.range')}: `,
        h('strong', null, s ? `${s.currency} ${s.min}–${s.max} ${t(`salary.per.${s.period}`)}` : t('salary.none')));
    }
    const num = (key, label) => {
      const id = `salary-${key}`;
      return h('div', { class: 'field inline' }, h('label', { for: id }, label),
        h('input', { id, type: 'number', min: '0', step: '1', value: String(s[key]), oninput: (e) => { s[key] = e.target.value === '' ? 0 : Number(e.target.value); ed.changed(); } }));
    };
    return h('fieldset', { class: 'salary' },
      h('legend', null, t('salary.range')),
      h('div', { class: 'field inline' },
        h('input', {
          id: 'salary-on', type: 'checkbox', checked: Boolean(s),
          onchange: (e) => {
            this.structure.salary = e.target.checked ? { min: 0, max: 0, currency: 'EUR', period: 'MONTH' } : null;
            ed.structureChanged('salary-on');
          },
        }),
        h('label', { for: 'salary-on' }, t('salary.give'))),
      s && h('div', { class: 'salary-fields' },
        num('min', t('salary.min')),
        num('max', t('salary.max')),
        h('div', { class: 'field inline' }, h('label', { for: 'salary-currency' }, t('salary.currency')),
          h('input', { id: 'salary-currency', value: s.currency, maxlength: '3', size: '4', autocomplete: 'off', oninput: (e) => { s.currency = e.target.value.toUpperCase(); ed.changed(); } })),
        h('div', { class: 'field inline' }, h('label', { for: 'salary-period' }, t('salary.period')),
          h('select', { id: 'salary-period', onchange: (e) => { s.period = e.target.value; ed.changed(); } },
            SALARY_PERIODS.map((p) => h('option', { value: p, selected: p === s.period }, t(`salary.per.${p}`)))))));
  }
}

