// The editor's model of an entry: its structure and one translation per
// configured locale, normalized so every field the form shows exists. It
// also turns the model into the API's inputs and merges concurrent edits.

import { clone, flatten, same, setPath } from './util.js';

export const TYPES = ['ARTICLE', 'ROLE', 'COMPARISON', 'FAQ'];
export const ROLE_LISTS = ['responsibilities', 'dailyTasks', 'competencies', 'careerPaths', 'certifications', 'tools'];
export const BLOCK_TYPES = ['RICH_TEXT', 'COMPARISON', 'FAQ', 'VACANCY_LIST', 'CALL_TO_ACTION'];
export const SALARY_PERIODS = ['HOUR', 'MONTH', 'YEAR'];

// The stored structure names block types in camelCase; the API's input enum is upper case.
const BLOCK_FROM_STORED = {
  richText: 'RICH_TEXT', comparison: 'COMPARISON', faq: 'FAQ', vacancyList: 'VACANCY_LIST', callToAction: 'CALL_TO_ACTION',
};

/** BLOCK_TEXT lists the per-locale text fields of each block type. */
export const BLOCK_TEXT = {
  RICH_TEXT: ['heading', 'anchor', 'body'],
  COMPARISON: ['heading', 'anchor'],
  FAQ: ['heading', 'anchor'],
  VACANCY_LIST: ['heading', 'anchor'],
  CALL_TO_ACTION: ['label', 'url'],
};

export const ENTRY_FIELDS = `id type version label createdAt updatedAt updatedBy { email }
  structure translations { locale slug fields updatedAt updatedBy { email } }
  live { locale slug revisionNumber publishedAt }
  status { locale exists published draftDiffers missingFields outdatedFields untranslatedFields }
  scheduled { id locale action at state refusal refusedAt revisionNumber by { email } }`;

export const ENTRY_QUERY = `query Entry($id: ID!) { entry(id: $id) { ${ENTRY_FIELDS} } }`;

const INPUT_TYPE = { ROLE: 'RoleUpdateInput', ARTICLE: 'ArticleUpdateInput', COMPARISON: 'ComparisonUpdateInput', FAQ: 'FAQInput' };
const MUTATION = { ROLE: 'updateRole', ARTICLE: 'updateArticle', COMPARISON: 'updateComparison', FAQ: 'updateFAQ' };

export function updateMutation(type) {
  return `mutation Save($id: ID!, $v: Int!, $in: ${INPUT_TYPE[type]}!) { ${MUTATION[type]}(id: $id, expectedVersion: $v, input: $in) { ${ENTRY_FIELDS} } }`;
}

export function updateResult(type, data) {
  return data[MUTATION[type]];
}

export function emptyFields(type) {
  switch (type) {
    case 'ROLE': {
      const f = { title: '', summary: '', body: '' };
      for (const l of ROLE_LISTS) f[l] = [];
      f.salaryNotes = '';
      Object.assign(f, { seoTitle: '', seoDescription: '', ogImageUrl: '' });
      return f;
    }
    case 'ARTICLE': return { title: '', lead: '', seoTitle: '', seoDescription: '', ogImageUrl: '', blocks: {} };
    case 'COMPARISON': return { title: '', intro: '', rows: {} };
    case 'FAQ': return { question: '', answer: '' };
    default: throw new Error(`unknown entry type ${type}`);
  }
}

export function normalizeStructure(type, s) {
  s = s || {};
  switch (type) {
    case 'ROLE': return {
      salary: s.salary ? { min: s.salary.min, max: s.salary.max, currency: s.salary.currency, period: s.salary.period } : null,
      faqIds: [...(s.faqIds || [])],
    };
    case 'ARTICLE': return {
      blocks: (s.blocks || []).map((b) => ({
        id: b.id,
        type: BLOCK_FROM_STORED[b.type] || b.type,
        comparisonId: b.comparisonId || '',
        faqIds: [...(b.faqIds || [])],
        roleId: b.roleId || '',
        limit: b.limit || 0,
      })),
    };
    case 'COMPARISON': return { roleIds: [...(s.roleIds || [])], rowIds: [...(s.rowIds || [])] };
    default: return {};
  }
}

/** normalizeFields fills in every field the structure calls for. */
export function normalizeFields(type, structure, f) {
  f = f || {};
  const out = emptyFields(type);
  for (const key of Object.keys(out)) {
    if (key === 'blocks' || key === 'rows') continue;
    if (Array.isArray(out[key])) out[key] = Array.isArray(f[key]) ? [...f[key]] : [];
    else if (typeof f[key] === 'string') out[key] = f[key];
  }
  if (type === 'ARTICLE') {
    for (const b of structure.blocks) {
      const text = (f.blocks && f.blocks[b.id]) || {};
      out.blocks[b.id] = {};
      for (const k of ['anchor', 'heading', 'body', 'label', 'url']) out.blocks[b.id][k] = text[k] || '';
    }
  }
  if (type === 'COMPARISON') {
    for (const id of structure.rowIds) {
      const row = (f.rows && f.rows[id]) || {};
      const values = [];
      for (let i = 0; i < structure.roleIds.length; i += 1) values.push((row.values && row.values[i]) || '');
      out.rows[id] = { label: row.label || '', values };
    }
  }
  return out;
}

/** fromEntry builds the model of an entry as the API returned it. */
export function fromEntry(entry, localeCodes) {
  const structure = normalizeStructure(entry.type, entry.structure);
  const tr = {};
  for (const loc of localeCodes) {
    const t = entry.translations.find((x) => x.locale === loc);
    tr[loc] = t
      ? { exists: true, slug: t.slug, fields: normalizeFields(entry.type, structure, t.fields) }
      : { exists: false, slug: '', fields: normalizeFields(entry.type, structure, {}) };
  }
  return { structure, tr };
}

/** renormalize re-shapes every locale's fields after a structure change. */
export function renormalize(type, model) {
  for (const t of Object.values(model.tr)) t.fields = normalizeFields(type, model.structure, t.fields);
}

export function structureInput(type, s) {
  switch (type) {
    case 'ROLE': return {
      salary: s.salary ? {
        min: Number(s.salary.min), max: Number(s.salary.max), currency: String(s.salary.currency || '').toUpperCase(), period: s.salary.period,
      } : null,
      faqIds: s.faqIds,
    };
    case 'ARTICLE': return {
      blocks: s.blocks.map((b) => {
        const o = { id: b.id, type: b.type };
        if (b.type === 'COMPARISON') o.comparisonId = b.comparisonId || null;
        if (b.type === 'FAQ') o.faqIds = b.faqIds;
        if (b.type === 'VACANCY_LIST') {
          o.roleId = b.roleId || null;
          o.limit = Number(b.limit) || null;
        }
        return o;
      }),
    };
    case 'COMPARISON': return { roleIds: s.roleIds, rowIds: s.rowIds };
    default: return null;
  }
}

const cleanList = (list) => list.map((x) => x.trim()).filter(Boolean);

/** translationInput is one locale's draft as the update input wants it. */
export function translationInput(type, structure, locale, t) {
  const f = t.fields;
  const base = { locale, slug: t.slug };
  switch (type) {
    case 'ROLE': {
      const o = {
        ...base, title: f.title, summary: f.summary, body: f.body, salaryNotes: f.salaryNotes,
        seoTitle: f.seoTitle, seoDescription: f.seoDescription, ogImageUrl: f.ogImageUrl.trim(),
      };
      for (const l of ROLE_LISTS) o[l] = cleanList(f[l]);
      return o;
    }
    case 'ARTICLE': return {
      ...base, title: f.title, lead: f.lead, seoTitle: f.seoTitle, seoDescription: f.seoDescription, ogImageUrl: f.ogImageUrl.trim(),
      blocks: structure.blocks.map((b) => {
        const text = f.blocks[b.id] || {};
        return { blockId: b.id, anchor: text.anchor || '', heading: text.heading || '', body: text.body || '', label: text.label || '', url: text.url || '' };
      }),
    };
    case 'COMPARISON': return {
      ...base, title: f.title, intro: f.intro,
      rows: structure.rowIds.map((id) => ({ rowId: id, label: f.rows[id].label, values: f.rows[id].values })),
    };
    case 'FAQ': return { ...base, question: f.question, answer: f.answer };
    default: throw new Error(`unknown entry type ${type}`);
  }
}

/**
 * cleaned is the model's content as the server will store it: structure,
 * slugs and fields, with empty list items dropped and without the
 * bookkeeping (whether a translation exists yet). Compare these to tell
 * whether anything is unsaved.
 */
export function cleaned(type, model) {
  const out = { structure: clone(model.structure), tr: {} };
  for (const [loc, t] of Object.entries(model.tr)) {
    out.tr[loc] = { slug: t.slug, fields: clone(t.fields) };
    if (type === 'ROLE') for (const l of ROLE_LISTS) out.tr[loc].fields[l] = cleanList(out.tr[loc].fields[l]);
  }
  return out;
}

/** titleOf is the text an entry is named by in one locale. */
export function titleOf(type, fields) {
  return (type === 'FAQ' ? fields.question : fields.title) || '';
}

/**
 * idPath turns a status path with indexes ("blocks[2].body",
 * "rows[0].values[1]") into the id-based path the form uses
 * ("blocks.<id>.body", "rows.<id>.values.1").
 */
export function idPath(structure, path) {
  let m = /^blocks\[(\d+)\]\.(\w+)$/.exec(path);
  if (m && structure.blocks && structure.blocks[Number(m[1])]) return `blocks.${structure.blocks[Number(m[1])].id}.${m[2]}`;
  m = /^rows\[(\d+)\]\.(label|values)(?:\[(\d+)\])?$/.exec(path);
  if (m && structure.rowIds && structure.rowIds[Number(m[1])]) {
    const row = structure.rowIds[Number(m[1])];
    return m[3] !== undefined ? `rows.${row}.values.${m[3]}` : `rows.${row}.${m[2]}`;
  }
  return path;
}

/** pathCovers tells whether a reported path (maybe a whole list) covers a form field's path. */
export function pathCovers(reported, fieldPath) {
  return reported === fieldPath || fieldPath.startsWith(`${reported}.`);
}

function leaves(t) {
  return flatten({ slug: t.slug, fields: t.fields });
}

/**
 * merge re-applies my changes (mine, made from base) on top of theirs: a
 * field I did not change takes their value; a field I changed keeps mine.
 * It returns the merged model and the fields both of us changed
 * differently, which the form shows side by side.
 */
export function merge(type, base, mine, theirs) {
  const out = { structure: null, tr: {} };
  const conflicts = [];
  const iChangedStructure = !same(mine.structure, base.structure);
  out.structure = clone(iChangedStructure ? mine.structure : theirs.structure);
  if (iChangedStructure && !same(theirs.structure, base.structure) && !same(mine.structure, theirs.structure)) {
    conflicts.push({ locale: null, path: 'structure' });
  }
  for (const loc of Object.keys(theirs.tr)) {
    const b = leaves(base.tr[loc] || theirs.tr[loc]);
    const m = leaves(mine.tr[loc] || theirs.tr[loc]);
    const th = leaves(theirs.tr[loc]);
    const merged = {};
    for (const path of new Set([...Object.keys(m), ...Object.keys(th)])) {
      const mv = m[path];
      const bv = b[path];
      const tv = th[path];
      let v;
      if (same(mv, bv)) v = tv;
      else if (same(tv, bv) || same(mv, tv)) v = mv;
      else {
        v = mv;
        conflicts.push({ locale: loc, path: path.replace(/^fields\./, '') });
      }
      if (v !== undefined) setPath(merged, path, clone(v));
    }
    out.tr[loc] = {
      exists: Boolean(theirs.tr[loc].exists || (mine.tr[loc] && mine.tr[loc].exists)),
      slug: merged.slug || '',
      fields: normalizeFields(type, out.structure, merged.fields || {}),
    };
  }
  return { model: out, conflicts };
}
