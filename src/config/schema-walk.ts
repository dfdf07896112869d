// Walks the zod schema along a key path, so error messages can list the keys allowed there.
import type { z } from 'zod';

type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  element?: AnySchema;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
  options?: AnySchema[];
}

const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Removes defaults, optionals, transforms and pipes to reach the structural schema. */
function unwrap(s: AnySchema): AnySchema {
  for (let i = 0; i < 20; i++) {
    const d = defOf(s);
    if (d.innerType && ['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(d.type))
      s = d.innerType;
    else if (d.type === 'pipe' && d.in) {
      // A transform pipe's structure is its input; a preprocess pipe's structure is its output.
      s = defOf(d.in).type === 'transform' && d.out ? d.out : d.in;
    } else return s;
  }
  return s;
}

export function schemaAt(root: AnySchema, path: ReadonlyArray<string | number>): AnySchema | undefined {
  let s: AnySchema | undefined = unwrap(root);
  for (const seg of path) {
    if (!s) return undefined;
    const d = defOf(s);
    if (d.type === 'object' && d.shape && typeof seg === 'string') s = d.shape[seg];
    else if (d.type === 'array' && d.element && typeof seg === 'number') s = d.element;
    else if (d.type === 'record' && d.valueType) s = d.valueType;
    else return undefined;
    if (s) s = unwrap(s);
  }
  return s;
}

/** The keys an object at `path` accepts, in schema order; undefined when it is not an object. */
export function allowedKeysAt(root: AnySchema, path: ReadonlyArray<string | number>): string[] | undefined {
  const s = schemaAt(root, path);
  if (!s) return undefined;
  const d = defOf(s);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : undefined;
}
