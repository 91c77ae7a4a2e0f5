// Creating an entry: a title (or question) and a slug in one locale; the
// rest is filled in the editor.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { gql, locales as getLocales } from '../api.js';
import { slugify } from '../util.js';
import { typeName } from '../format.js';
import { can, navigate, notify, errorText } from '../app.js';
import { allEntries } from './dashboard.js';

const CREATE = {
  ARTICLE: 'mutation Create($in: ArticleInput!) { created: createArticle(input: $in) { id } }',
  ROLE: 'mutation Create($in: RoleInput!) { created: createRole(input: $in) { id } }',
  COMPARISON: 'mutation Create($in: ComparisonInput!) { created: createComparison(input: $in) { id } }',
  FAQ: 'mutation Create($in: FAQInput!) { created: createFAQ(input: $in) { id } }',
};

function input(type, locale, slug, title, roleIds) {
  switch (type) {
    case 'ARTICLE': return { structure: { blocks: [] }, translations: [{ locale, slug, title, lead: '' }] };
    case 'ROLE': return { structure: { faqIds: [] }, translations: [{ locale, slug, title, summary: '' }] };
    case 'COMPARISON': return { structure: { roleIds, rowIds: [] }, translations: [{ locale, slug, title, rows: [] }] };
    default: return { translations: [{ locale, slug, question: title, answer: '' }] };
  }
}

export async function createView(main, { type }) {
  if (!can('EDITOR')) {
    replace(main, h('h1', { tabindex: '-1' }, t('error.forbidden')));
    return {};
  }
  const locales = await getLocales();
  const roles = type === 'COMPARISON' ? await allEntries('ROLE') : [];
  let slugTouched = false;
  const titleLabel = type === 'FAQ' ? t('field.question') : t('field.title');
  const title = h('input', {
    id: 'create-title', required: true, autocomplete: 'off',
    oninput: () => { if (!slugTouched) slug.value = slugify(title.value); },
  });
  const slug = h('input', { id: 'create-slug', required: true, autocomplete: 'off', spellcheck: 'false', pattern: '[a-z0-9]+(-[a-z0-9]+)*', 'aria-describedby': 'create-slug-help', oninput: () => { slugTouched = true; } });
  const locale = h('select', { id: 'create-locale' }, locales.map((l) => h('option', { value: l.code, selected: l.isDefault }, l.name)));
  const roleSelects = type === 'COMPARISON' ? [0, 1].map((i) => h('select', { id: `create-role-${i}`, required: true },
    h('option', { value: '' }, t('ref.choose')),
    roles.map((r, j) => h('option', { value: r.id, selected: j === i }, r.label)))) : [];
  const error = h('p', { class: 'error', role: 'alert', id: 'create-error' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'create-submit' }, t('create.submit'));

  const form = h('form', {
    class: 'card form-narrow',
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      const roleIds = roleSelects.map((s) => s.value).filter(Boolean);
      if (type === 'COMPARISON' && (roleIds.length < 2 || roleIds[0] === roleIds[1])) {
        error.textContent = t('create.twoRoles');
        roleSelects[0].focus();
        return;
      }
      submit.disabled = true;
      try {
        const data = await gql(CREATE[type], { in: input(type, locale.value, slug.value.trim(), title.value.trim(), roleIds) });
        notify(t('create.done', { type: typeName(type) }), 'success', { keep: true });
        navigate(`#/entry/${encodeURIComponent(data.created.id)}`);
      } catch (err) {
        submit.disabled = false;
        error.textContent = errorText(err);
        (err.extensions && err.extensions.field === 'slug' ? slug : title).focus();
      }
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'create-locale' }, t('create.locale')), locale),
  h('div', { class: 'field' }, h('label', { for: 'create-title' }, titleLabel), title),
  h('div', { class: 'field' }, h('label', { for: 'create-slug' }, t('field.slug')), slug, h('p', { class: 'field-help', id: 'create-slug-help' }, t('help.slug'))),
  type === 'COMPARISON' && h('fieldset', null, h('legend', null, t('create.roles')),
    roleSelects.map((s, i) => h('div', { class: 'field' }, h('label', { for: s.id }, t('create.role', { n: i + 1 })), s))),
  error,
  h('div', { class: 'actions' }, submit, ' ', h('a', { href: '#/', class: 'button secondary' }, t('common.cancel'))));

  replace(main,
    h('nav', { class: 'breadcrumbs', 'aria-label': t('nav.breadcrumbs') }, h('a', { href: '#/' }, t('nav.dashboard'))),
    h('h1', { tabindex: '-1' }, t(`dashboard.new.${type}`)),
    h('p', { class: 'muted' }, t('create.intro')),
    form);
  return {};
}
