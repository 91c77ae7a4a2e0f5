// What every view needs from the page around it: permissions, the status
// line, navigation and error wording. main.js builds the frame and routes;
// the views import this module, never main.js, so no module imports the
// router that imports it.

import { h, replace } from './dom.js';
import { t, reasonText } from './i18n.js';
import * as session from './session.js';

const RANK = { TRANSLATOR: 1, EDITOR: 2, ADMIN: 3 };

/** can tells whether the signed-in user holds at least role. */
export function can(role) {
  const u = session.currentUser();
  return Boolean(u && RANK[u.role] >= RANK[role]);
}

/** mayEditLocale: translators edit only their locales, editors and admins all. */
export function mayEditLocale(code) {
  const u = session.currentUser();
  if (!u) return false;
  return u.role !== 'TRANSLATOR' || u.locales.includes(code);
}

function noticeArea() {
  return document.getElementById('notice');
}

/**
 * notify shows a status message in the live region at the top of the
 * page. It goes away with the next page, unless keep is set (for a message
 * about the navigation that follows it).
 */
export function notify(message, kind = 'info', { keep = false } = {}) {
  const area = noticeArea();
  if (!area) return;
  const box = h('div', { class: ['notice', `notice-${kind}`], 'data-keep': keep ? '1' : null },
    h('span', null, message),
    h('button', { type: 'button', class: 'link', 'aria-label': t('common.dismiss'), onclick: () => box.remove() }, '×'));
  replace(area, box);
}

export function clearNotice() {
  const area = noticeArea();
  if (area) area.replaceChildren();
}

/** navigate goes to a route; going to the route already shown builds it again. */
export function navigate(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** errorText turns an error from the API into a sentence for the editor. */
export function errorText(err) {
  if (!err) return t('common.error');
  switch (err.code) {
    case 'NETWORK':
    case 'UNAVAILABLE': return t('error.network');
    case 'FORBIDDEN': return t('error.forbidden');
    case 'NOT_FOUND': return t('error.notFound');
    case 'RATE_LIMITED': return t('error.rateLimited');
    case 'INTERNAL': return t('error.internal');
    case 'BAD_USER_INPUT': return reasonText(err.extensions) || err.message || t('common.error');
    default: return err.message || t('common.error');
  }
}
