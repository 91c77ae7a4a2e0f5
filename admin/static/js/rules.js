// Role rules as people write them. The API stores a rule's pattern as a
// regular expression (RE2, matched without regard to case); the sources
// screen offers "contains", "is" and "matches" and turns them into
// patterns and back, so an admin never has to write or read a regex for
// the common cases.

// The characters Go's regexp.QuoteMeta escapes.
const META = /[\\.+*?()|[\]{}^$]/g;

/** quote makes text match itself literally. */
export function quote(text) {
  return text.replace(META, '\\$&');
}

/** literal reads a pattern that is quoted text back as the text, or gives null. */
function literal(pattern) {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !'\\.+*?()|[]{}^$'.includes(next)) return null;
      out += next;
      i += 1;
    } else if ('.+*?()|[]{}^$'.includes(c)) {
      return null;
    } else {
      out += c;
    }
  }
  return out;
}

/** patternOf builds the pattern for an operator and the text typed. */
export function patternOf(op, value) {
  const text = value.trim();
  switch (op) {
    case 'contains': return quote(text);
    case 'is': return `^${quote(text)}$`;
    default: return text;
  }
}

/** ruleFromPattern reads a stored pattern as the simplest operator that writes it. */
export function ruleFromPattern(pattern) {
  const whole = /^\^(.*)\$$/s.exec(pattern);
  if (whole) {
    const text = literal(whole[1]);
    if (text !== null && text !== '') return { op: 'is', value: text };
  }
  const text = literal(pattern);
  if (text !== null) return { op: 'contains', value: text };
  return { op: 'matches', value: pattern };
}
