// Shared presentation: dates, per-locale status badges, field names.

import { h } from './dom.js';
import { t, lang } from './i18n.js';

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** stateOf names where a locale stands: missing, draft, published, or newer (a draft newer than what is live). */
export function stateOf(st) {
  if (!st || !st.exists) return st && st.published ? 'published' : 'missing';
  if (!st.published) return 'draft';
  return st.draftDiffers ? 'newer' : 'published';
}

/** statusBadge shows a locale's state in words (never in colour alone). */
export function statusBadge(st, localeLabel) {
  const state = stateOf(st);
  const notes = [];
  if (st && st.exists && st.missingFields && st.missingFields.length) notes.push(t('status.missingCount', { n: st.missingFields.length }));
  if (st && st.outdatedFields && st.outdatedFields.length) notes.push(t('status.outdatedCount', { n: st.outdatedFields.length }));
  if (st && st.untranslatedFields && st.untranslatedFields.length) notes.push(t('status.untranslatedCount', { n: st.untranslatedFields.length }));
  return h('span', { class: ['status', `status-${state}`] },
    localeLabel && h('span', { class: 'status-locale' }, localeLabel),
    h('span', { class: 'status-text' }, t(`status.${state}`)),
    notes.length ? h('span', { class: 'status-notes' }, notes.join(' · ')) : null);
}

export function localeName(locales, code) {
  const l = locales.find((x) => x.code === code);
  return l ? l.name : code;
}

export function typeName(type, plural = false) {
  return t(`type.${type}${plural ? '.plural' : ''}`);
}
