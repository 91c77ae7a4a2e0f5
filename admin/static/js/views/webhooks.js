// Publish webhooks, for admins: register an endpoint (its signing secret
// is shown once), rotate the secret, delete behind a confirmation, and
// see every delivery with its attempts and redeliver it.
//
// The texts live here rather than in i18n.js, in both languages, and
// follow the interface language i18n.js chose.

import { h, replace } from '../dom.js';
import { lang } from '../i18n.js';
import { gql, locales as getLocales } from '../api.js';
import { formatDate } from '../format.js';
import { notify, errorText } from '../app.js';

const TEXT = {
  en: {
    title: 'Webhooks',
    intro: 'Webhooks tell your frontends the moment content changes, so they can refresh exactly those pages. Each delivery is signed; see the README for how to verify it.',
    none: 'No webhooks yet.',
    url: 'URL',
    description: 'Description',
    events: 'Events',
    locales: 'Locales (none: all)',
    create: 'Add webhook',
    newTitle: 'New webhook',
    created: 'Webhook added. Copy its secret now: it is not shown again.',
    secret: 'Signing secret',
    secretOnce: 'Shown once. Store it with the receiver.',
    rotate: 'New secret',
    rotated: 'New secret made; the previous one signs too for 24 hours.',
    rotatingUntil: ({ at }) => `Previous secret signs until ${at}`,
    delete: 'Delete',
    confirmDelete: 'Confirm: delete',
    deleted: 'Webhook deleted.',
    deliveries: 'Deliveries',
    noDeliveries: 'No deliveries yet.',
    more: 'More deliveries',
    event: 'Event',
    status: 'Status',
    attempts: 'Attempts',
    at: 'When',
    redeliver: 'Redeliver',
    redelivered: 'Queued again.',
    noAnswer: 'no answer',
    'status.PENDING': 'pending',
    'status.SUCCEEDED': 'delivered',
    'status.FAILED': 'failed',
    'event.ENTRY_PUBLISHED': 'Entry published',
    'event.ENTRY_UNPUBLISHED': 'Entry taken offline',
    'event.ENTRY_DELETED': 'Entry deleted',
    'event.VACANCIES_SYNCED': 'Vacancies synced',
  },
  nl: {
    title: 'Webhooks',
    intro: 'Webhooks laten je frontends direct weten dat inhoud veranderde, zodat ze precies die pagina’s verversen. Elke aflevering is ondertekend; de README legt uit hoe je dat controleert.',
    none: 'Nog geen webhooks.',
    url: 'URL',
    description: 'Omschrijving',
    events: 'Gebeurtenissen',
    locales: 'Talen (geen: alle)',
    create: 'Webhook toevoegen',
    newTitle: 'Nieuwe webhook',
    created: 'Webhook toegevoegd. Kopieer het geheim nu: het wordt niet meer getoond.',
    secret: 'Ondertekeningsgeheim',
    secretOnce: 'Eenmalig getoond. Bewaar het bij de ontvanger.',
    rotate: 'Nieuw geheim',
    rotated: 'Nieuw geheim gemaakt; het vorige ondertekent nog 24 uur mee.',
    rotatingUntil: ({ at }) => `Vorig geheim ondertekent tot ${at}`,
    delete: 'Verwijderen',
    confirmDelete: 'Bevestig: verwijderen',
    deleted: 'Webhook verwijderd.',
    deliveries: 'Afleveringen',
    noDeliveries: 'Nog geen afleveringen.',
    more: 'Meer afleveringen',
    event: 'Gebeurtenis',
    status: 'Status',
    attempts: 'Pogingen',
    at: 'Wanneer',
    redeliver: 'Opnieuw afleveren',
    redelivered: 'Opnieuw in de wachtrij gezet.',
    noAnswer: 'geen antwoord',
    'status.PENDING': 'in behandeling',
    'status.SUCCEEDED': 'afgeleverd',
    'status.FAILED': 'mislukt',
    'event.ENTRY_PUBLISHED': 'Item gepubliceerd',
    'event.ENTRY_UNPUBLISHED': 'Item offline gehaald',
    'event.ENTRY_DELETED': 'Item verwijderd',
    'event.VACANCIES_SYNCED': 'Vacatures gesynchroniseerd',
  },
};

/** wt translates a key of this screen into the interface language. */
function wt(key, params = {}) {
  const entry = TEXT[lang()]?.[key] ?? TEXT.en[key];
  if (entry === undefined) return key;
  return typeof entry === 'function' ? entry(params) : entry;
}

/** webhooksNavLabel is the menu entry's label. */
export function webhooksNavLabel() {
  return wt('title');
}

const EVENTS = ['ENTRY_PUBLISHED', 'ENTRY_UNPUBLISHED', 'ENTRY_DELETED', 'VACANCIES_SYNCED'];
const HOOK_FIELDS = 'id url description events locales secret previousSecretExpiresAt createdAt';
const DELIVERY_FIELDS = 'id eventId event status attemptCount createdAt attempts { number startedAt durationMs statusCode error responseExcerpt }';
const LIST = `{ webhooks { ${HOOK_FIELDS} } }`;
const CREATE = `mutation CreateWebhook($in: WebhookInput!) { createWebhook(input: $in) { ${HOOK_FIELDS} } }`;
const ROTATE = `mutation RotateWebhookSecret($id: ID!) { rotateWebhookSecret(id: $id) { ${HOOK_FIELDS} } }`;
const DELETE = 'mutation DeleteWebhook($id: ID!) { deleteWebhook(id: $id) }';
const DELIVERIES = `query WebhookDeliveries($id: ID!, $after: String) {
  webhookDeliveries(webhookId: $id, first: 20, after: $after) { edges { node { ${DELIVERY_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const REDELIVER = `mutation RedeliverWebhook($id: ID!) { redeliverWebhook(deliveryId: $id) { ${DELIVERY_FIELDS} } }`;

function checkboxes(name, values, label) {
  return h('fieldset', { class: 'locale-boxes', id: `new-webhook-${name}` },
    h('legend', null, wt(name)),
    values.map((v) => h('span', { class: 'check' },
      h('input', { type: 'checkbox', id: `new-webhook-${name}-${v.value}`, value: v.value, checked: Boolean(v.checked) }),
      h('label', { for: `new-webhook-${name}-${v.value}` }, label(v.value)))));
}

function checked(box) {
  return [...box.querySelectorAll('input[type=checkbox]')].filter((c) => c.checked).map((c) => c.value);
}

/** lastAnswer sums up a delivery's last attempt: its HTTP status or its error. */
function lastAnswer(d) {
  const a = d.attempts[d.attempts.length - 1];
  if (!a) return '';
  return a.statusCode ? `HTTP ${a.statusCode}` : (a.error || wt('noAnswer'));
}

export async function webhooksView(main) {
  const locales = await getLocales();
  let hooks = (await gql(LIST)).webhooks;
  let secret = null; // { id, value }: the secret to show once
  let armed = ''; // the id of the webhook whose delete button asks for confirmation
  const deliveries = new Map(); // webhook id -> { list, next }

  const loadDeliveries = async (id, after) => {
    const conn = (await gql(DELIVERIES, { id, after })).webhookDeliveries;
    const prev = after ? deliveries.get(id).list : [];
    deliveries.set(id, { list: [...prev, ...conn.edges.map((e) => e.node)], next: conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null });
  };

  const act = async (fn, focusId) => {
    try {
      await fn();
      render(focusId);
    } catch (err) {
      notify(errorText(err), 'error');
    }
  };

  const deliveryTable = (hook) => {
    const d = deliveries.get(hook.id);
    if (!d) return null;
    if (d.list.length === 0) return h('p', { class: 'muted', id: `webhook-${hook.id}-no-deliveries` }, wt('noDeliveries'));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'deliveries', id: `webhook-${hook.id}-deliveries` },
      h('caption', { class: 'sr-only' }, wt('deliveries')),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, wt('event')), h('th', { scope: 'col' }, wt('at')),
        h('th', { scope: 'col' }, wt('status')), h('th', { scope: 'col' }, wt('attempts')), h('th', { scope: 'col' }, ''))),
      h('tbody', null, d.list.map((del) => h('tr', { 'data-delivery': del.id },
        h('td', null, wt(`event.${del.event}`)),
        h('td', { class: 'small' }, formatDate(del.createdAt)),
        h('td', null, h('span', { class: ['badge', del.status === 'SUCCEEDED' ? 'badge-published' : 'badge-saved'] }, wt(`status.${del.status}`)),
          ' ', h('span', { class: 'muted small', title: del.attempts.at(-1)?.responseExcerpt || '' }, lastAnswer(del))),
        h('td', null, String(del.attemptCount)),
        h('td', { class: 'row-actions' }, h('button', {
          type: 'button', class: 'secondary small', id: `delivery-${del.id}-redeliver`,
          onclick: () => act(async () => {
            const again = (await gql(REDELIVER, { id: del.id })).redeliverWebhook;
            d.list = d.list.map((x) => (x.id === del.id ? again : x));
            notify(wt('redelivered'), 'success');
          }, `delivery-${del.id}-redeliver`),
        }, wt('redeliver'))))))),
    d.next && h('button', {
      type: 'button', class: 'secondary small', id: `webhook-${hook.id}-more`,
      onclick: () => act(() => loadDeliveries(hook.id, d.next), `webhook-${hook.id}-more`),
    }, wt('more')));
  };

  const card = (hook) => {
    const base = `webhook-${hook.id}`;
    return h('section', { class: 'card', 'data-webhook': hook.url, 'aria-labelledby': `${base}-title` },
      h('h2', { id: `${base}-title` }, hook.url),
      hook.description && h('p', null, hook.description),
      h('p', { class: 'muted small' }, hook.events.map((e) => wt(`event.${e}`)).join(', '),
        hook.locales.length ? ` · ${hook.locales.join(', ')}` : ''),
      secret && secret.id === hook.id && h('div', { class: 'notice notice-warning', id: `${base}-secret` },
        h('strong', null, `${wt('secret')}: `), h('code', null, secret.value), h('p', { class: 'small' }, wt('secretOnce'))),
      hook.previousSecretExpiresAt && h('p', { class: 'muted small' }, wt('rotatingUntil', { at: formatDate(hook.previousSecretExpiresAt) })),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'secondary small', id: `${base}-deliveries`,
          onclick: () => act(() => loadDeliveries(hook.id), `${base}-deliveries`),
        }, wt('deliveries')),
        h('button', {
          type: 'button', class: 'secondary small', id: `${base}-rotate`,
          onclick: () => act(async () => {
            const rotated = (await gql(ROTATE, { id: hook.id })).rotateWebhookSecret;
            hooks = hooks.map((x) => (x.id === hook.id ? rotated : x));
            secret = { id: hook.id, value: rotated.secret };
            notify(wt('rotated'), 'success');
          }, `${base}-rotate`),
        }, wt('rotate')),
        h('button', {
          type: 'button', class: 'secondary small danger-text', id: `${base}-delete`,
          onclick: () => {
            if (armed !== hook.id) {
              armed = hook.id;
              render(`${base}-delete`);
              return;
            }
            armed = '';
            act(async () => {
              await gql(DELETE, { id: hook.id });
              hooks = hooks.filter((x) => x.id !== hook.id);
              deliveries.delete(hook.id);
              notify(wt('deleted'), 'success');
            }, 'new-webhook-url');
          },
        }, armed === hook.id ? wt('confirmDelete') : wt('delete'))),
      deliveryTable(hook));
  };

  const render = (focusId) => {
    const url = h('input', { id: 'new-webhook-url', type: 'url', required: true, placeholder: 'https://', autocomplete: 'off' });
    const description = h('input', { id: 'new-webhook-description', type: 'text', maxlength: '500' });
    const events = checkboxes('events', EVENTS.map((e) => ({ value: e, checked: true })), (e) => wt(`event.${e}`));
    const localeBox = checkboxes('locales', locales.map((l) => ({ value: l.code })), (code) => locales.find((l) => l.code === code)?.name || code);
    const error = h('p', { class: 'error', role: 'alert', id: 'new-webhook-error' });
    const form = h('form', {
      class: 'card form-narrow', 'aria-labelledby': 'new-webhook-title',
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        const input = { url: url.value.trim(), events: checked(events), locales: checked(localeBox), description: description.value.trim() };
        try {
          const created = (await gql(CREATE, { in: input })).createWebhook;
          hooks = [...hooks, created];
          secret = { id: created.id, value: created.secret };
          render(`webhook-${created.id}-title`);
          notify(wt('created'), 'success');
        } catch (err) {
          error.textContent = errorText(err);
        }
      },
    },
    h('h2', { id: 'new-webhook-title' }, wt('newTitle')),
    h('div', { class: 'field' }, h('label', { for: 'new-webhook-url' }, wt('url')), url),
    h('div', { class: 'field' }, h('label', { for: 'new-webhook-description' }, wt('description')), description),
    events, localeBox, error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'new-webhook-submit' }, wt('create'))));

    replace(main,
      h('h1', { tabindex: '-1' }, wt('title')),
      h('p', { class: 'muted' }, wt('intro')),
      hooks.length === 0 ? h('p', { class: 'card muted', id: 'webhooks-empty' }, wt('none')) : hooks.map(card),
      form);
    if (focusId) {
      const el = document.getElementById(focusId);
      if (el) {
        if (!el.hasAttribute('tabindex') && el.tagName === 'H2') el.setAttribute('tabindex', '-1');
        el.focus();
      }
    }
  };
  render();
  return { rerender: () => render() };
}
