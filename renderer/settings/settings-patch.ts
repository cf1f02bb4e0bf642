// The smallest settings patch that turns `prev` into `next`: objects are compared field by field, so
// a patch names exactly the fields the user changed. Pure, so it is tested without a browser.

type Obj = Record<string, unknown>;

const isPlain = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * `atomic` lists dotted paths sent whole when anything in them differs: a union such as the endpoint,
 * where main's field-by-field merge would keep fields of the old kind.
 */
export function diffPatch(next: Obj, prev: Obj, atomic: readonly string[] = [], path = ''): Obj {
  const out: Obj = {};
  for (const [k, a] of Object.entries(next)) {
    const b = prev[k];
    const p = path ? `${path}.${k}` : k;
    if (isPlain(a) && isPlain(b) && !atomic.includes(p)) {
      const sub = diffPatch(a, b, atomic, p);
      if (Object.keys(sub).length) out[k] = sub;
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      out[k] = a;
    }
  }
  return out;
}
