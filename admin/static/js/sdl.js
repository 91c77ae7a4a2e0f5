// A small reader for the schema the server publishes at /schema.graphql.
// The UI uses it to find out which optional parts of the API this server
// has (recruitment sources, vacancies) without relying on introspection,
// which production servers may switch off.

const BUILTIN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

function tokenize(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i += 1;
    } else if (/[\s,\uFEFF]/.test(c)) {
      i += 1;
    } else if (src.startsWith('"""', i)) {
      const end = src.indexOf('"""', i + 3);
      i = end < 0 ? src.length : end + 3;
      tokens.push({ kind: 'str' });
    } else if (c === '"') {
      i += 1;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      i += 1;
      tokens.push({ kind: 'str' });
    } else if (/[_A-Za-z]/.test(c)) {
      const m = /^[_A-Za-z][_0-9A-Za-z]*/.exec(src.slice(i, i + 200));
      tokens.push({ kind: 'name', value: m[0] });
      i += m[0].length;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i, i + 50));
      tokens.push({ kind: 'num', value: m ? m[0] : c });
      i += m ? m[0].length : 1;
    } else if (src.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...' });
      i += 3;
    } else {
      tokens.push({ kind: 'punct', value: c });
      i += 1;
    }
  }
  return tokens;
}

/** parse reads SDL into { types: Map(name -> { kind, fields: Map, values: [] }) }. */
export function parse(src) {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const is = (v) => peek() && peek().value === v;
  const skipStr = () => { while (peek() && peek().kind === 'str') pos += 1; };
  const skipBalanced = (open, close) => {
    let depth = 0;
    do {
      const tok = next();
      if (!tok) return;
      if (tok.value === open) depth += 1;
      else if (tok.value === close) depth -= 1;
    } while (depth > 0);
  };
  const skipValue = () => {
    if (is('[')) skipBalanced('[', ']');
    else if (is('{')) skipBalanced('{', '}');
    else next();
  };
  // skipDirectives returns the role a @hasRole(role: X) directive asks for.
  const skipDirectives = () => {
    let role = null;
    while (is('@')) {
      next();
      const name = next().value;
      if (is('(')) {
        const start = pos;
        skipBalanced('(', ')');
        if (name === 'hasRole') {
          const inner = tokens.slice(start, pos).filter((tk) => tk.kind === 'name' && tk.value !== 'role');
          if (inner.length) role = inner[0].value;
        }
      }
    }
    return role;
  };
  const parseType = () => {
    let type;
    if (is('[')) {
      next();
      type = { list: true, of: parseType() };
      next(); // ]
    } else {
      type = { name: next().value };
    }
    if (is('!')) {
      next();
      type.nonNull = true;
    }
    return type;
  };
  const parseArgs = () => {
    const args = [];
    next(); // (
    while (peek() && !is(')')) {
      skipStr();
      const name = next().value;
      next(); // :
      const type = parseType();
      let hasDefault = false;
      if (is('=')) {
        next();
        skipValue();
        hasDefault = true;
      }
      skipDirectives();
      args.push({ name, type, hasDefault });
    }
    next(); // )
    return args;
  };
  const types = new Map();
  const typeOf = (name, kind) => {
    if (!types.has(name)) types.set(name, { name, kind, fields: new Map(), values: [] });
    const ty = types.get(name);
    if (kind) ty.kind = kind;
    return ty;
  };
  while (pos < tokens.length) {
    const tok = next();
    if (tok.kind !== 'name') continue;
    const kw = tok.value;
    if (kw === 'extend') continue;
    if (kw === 'type' || kw === 'interface' || kw === 'input') {
      const ty = typeOf(next().value, kw);
      let afterImplements = false;
      for (;;) {
        const p = peek();
        if (!p || is('{')) break;
        if (is('@')) {
          skipDirectives();
        } else if ((p.kind === 'name' && p.value === 'implements') || is('&')) {
          next();
          afterImplements = true;
        } else if (p.kind === 'name' && afterImplements) {
          next();
          afterImplements = false;
        } else {
          break; // a type without a body; the next definition starts
        }
      }
      if (!is('{')) continue;
      next();
      while (peek() && !is('}')) {
        skipStr();
        if (is('}')) break;
        const name = next().value;
        const args = is('(') ? parseArgs() : [];
        next(); // :
        const type = parseType();
        if (is('=')) {
          next();
          skipValue();
        }
        const requires = skipDirectives();
        ty.fields.set(name, { name, type, args, requires });
      }
      next(); // }
    } else if (kw === 'enum') {
      const ty = typeOf(next().value, 'enum');
      skipDirectives();
      if (!is('{')) continue;
      next();
      while (peek() && !is('}')) {
        skipStr();
        if (is('}')) break;
        ty.values.push(next().value);
        skipDirectives();
      }
      next();
    } else if (kw === 'scalar') {
      typeOf(next().value, 'scalar');
      skipDirectives();
    } else if (kw === 'union') {
      typeOf(next().value, 'union');
      skipDirectives();
      if (is('=')) {
        next();
        if (is('|')) next();
        next();
        while (is('|')) {
          next();
          next();
        }
      }
    } else if (kw === 'directive') {
      next(); // @
      next(); // name
      if (is('(')) skipBalanced('(', ')');
      if (peek() && peek().value === 'repeatable') next();
      next(); // on
      if (is('|')) next();
      next();
      while (is('|')) {
        next();
        next();
      }
    } else if (kw === 'schema') {
      skipDirectives();
      if (is('{')) skipBalanced('{', '}');
    }
  }
  return new Schema(types);
}

/** baseName is the named type inside lists and non-nulls. */
export function baseName(type) {
  return type.list ? baseName(type.of) : type.name;
}

export class Schema {
  constructor(types) {
    this.types = types;
  }

  type(name) { return this.types.get(name); }

  field(typeName, fieldName) {
    const ty = this.types.get(typeName);
    return ty ? ty.fields.get(fieldName) : undefined;
  }

  isLeaf(name) {
    if (BUILTIN.has(name)) return true;
    const ty = this.types.get(name);
    return Boolean(ty && (ty.kind === 'scalar' || ty.kind === 'enum'));
  }

  isConnection(name) {
    const ty = this.types.get(name);
    return Boolean(ty && ty.fields.has('edges') && ty.fields.has('pageInfo'));
  }

  /**
   * selection lists the fields of an object type that need no arguments:
   * every scalar, and at depth 0 the scalars of nested objects (not
   * connections), so a screen can show whatever the server offers.
   */
  selection(typeName, visible = () => true, depth = 0) {
    const ty = this.types.get(typeName);
    if (!ty) return '';
    const parts = [];
    for (const f of ty.fields.values()) {
      if (f.args.some((a) => a.type.nonNull && !a.hasDefault) || !visible(f)) continue;
      const base = baseName(f.type);
      if (this.isLeaf(base)) {
        parts.push(f.name);
      } else if (depth === 0 && this.types.get(base) && this.types.get(base).kind === 'type' && !this.isConnection(base)) {
        const inner = this.selection(base, visible, 1);
        if (inner) parts.push(`${f.name} { ${inner} }`);
      }
    }
    return parts.join(' ');
  }

  /**
   * pick selects the wanted fields that the type has, such as
   * ['title', 'role { title slug }']; nested fields are kept when they
   * exist. It falls back to selection() when none of them exist.
   */
  pick(typeName, wanted, visible = () => true) {
    const parts = [];
    for (const w of wanted) {
      const m = /^(\w+)(?:\s*\{\s*(.*)\s*\})?$/.exec(w);
      const f = m && this.field(typeName, m[1]);
      if (!f || !visible(f) || f.args.some((a) => a.type.nonNull && !a.hasDefault)) continue;
      const base = baseName(f.type);
      if (!m[2]) {
        if (this.isLeaf(base)) parts.push(f.name);
        continue;
      }
      const inner = m[2].split(/\s+/).filter((x) => {
        const g = this.field(base, x);
        return g && visible(g) && this.isLeaf(baseName(g.type));
      });
      if (inner.length) parts.push(`${f.name} { ${inner.join(' ')} }`);
    }
    return parts.length ? parts.join(' ') : this.selection(typeName, visible);
  }
}

let cached = null;
/** load fetches and parses /schema.graphql once per page. */
export function load() {
  if (!cached) {
    const url = new URL('../schema.graphql', document.baseURI).pathname;
    cached = fetch(url, { credentials: 'omit' })
      .then((res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.text();
      })
      .then(parse)
      .catch((err) => {
        cached = null;
        throw err;
      });
  }
  return cached;
}
