// Shared presentation: dates, per-locale status badges, field names.

import { h } from './dom.js';
import { t, lang } from './i18n.js';

// Every date on every screen goes through these helpers, so a moment reads
// the same everywhere: "29 nov 2026, 02:27" in Dutch, "Nov 29, 2026, 02:27"
// in English, always in the browser's time zone.

function dayFormat() {
  return new Intl.DateTimeFormat(lang(), { day: 'numeric', month: 'short', year: 'numeric' });
}

function timeFormat() {
  return new Intl.DateTimeFormat(lang(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** dateParts splits a moment into its day and time, and says whether it is today. */
export function dateParts(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return null;
  return { date: dayFormat().format(d), time: timeFormat().format(d), today: d.toDateString() === new Date().toDateString() };
}

/** formatDate is a moment as the screens show it. */
export function formatDate(iso) {
  if (!iso) return '';
  const p = dateParts(iso);
  return p ? `${p.date}, ${p.time}` : iso;
}

/** formatWhen is a moment inside a sentence: "om 02:27" today, "op 28 nov 2026 om 02:27" before. */
export function formatWhen(iso) {
  const p = dateParts(iso);
  if (!p) return iso || '';
  return p.today ? t('when.today', p) : t('when.other', p);
}

/** formatDay is a calendar day (2026-10-01) in the same style; anything else goes to formatDate. */
export function formatDay(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  if (!m) return formatDate(value);
  return dayFormat().format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** languageName names a language in the interface's language ("Engels" in Dutch). */
export function languageName(code) {
  if (!code) return '';
  try {
    const name = new Intl.DisplayNames([lang()], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(lang()) + name.slice(1) : code;
  } catch {
    return code;
  }
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

/**
 * localeName names a content locale in the interface's language, so the
 * Dutch interface says "Engels publiceren", never "English publiceren";
 * the server's name is the fallback for a code the browser cannot name.
 */
export function localeName(locales, code) {
  const name = languageName(code);
  if (name && name !== code) return name;
  const l = locales.find((x) => x.code === code);
  return l ? l.name : code;
}

export function typeName(type, plural = false) {
  return t(`type.${type}${plural ? '.plural' : ''}`);
}
