// Unsaved edits, kept in sessionStorage per user and entry so that neither
// a reload nor an expired session loses what was typed. An entry's record
// holds the version the edits started from, the model as it was then (to
// merge with a newer version) and the edited model.

const PREFIX = 'werkwijzer.unsaved.';

function key(userId, entryId) {
  return `${PREFIX}${userId}.${entryId}`;
}

export function save(userId, entryId, record) {
  try {
    sessionStorage.setItem(key(userId, entryId), JSON.stringify({ ...record, at: new Date().toISOString() }));
    return true;
  } catch {
    return false; // storage full or disabled: the form still holds the text
  }
}

export function load(userId, entryId) {
  try {
    return JSON.parse(sessionStorage.getItem(key(userId, entryId)));
  } catch {
    return null;
  }
}

export function clear(userId, entryId) {
  sessionStorage.removeItem(key(userId, entryId));
}

/** entries lists the ids of the entries with unsaved edits for userId. */
export function entries(userId) {
  const prefix = `${PREFIX}${userId}.`;
  const out = [];
  for (let i = 0; i < sessionStorage.length; i += 1) {
    const k = sessionStorage.key(i);
    if (k && k.startsWith(prefix)) out.push(k.slice(prefix.length));
  }
  return out;
}
