import * as v from 'valibot';

// The admin API's input convention (docs/architecture.md, "Admin API inputs"): every object is strict
// (an unknown key is a BAD_REQUEST, never silently dropped), the router's own entity id is `id` and
// references are `<entity>Id`. The domain keeps its own key names (the XML API shares its schemas);
// these helpers adapt a domain schema at the edge.

type Any = v.GenericSchema & {
  type: string;
  entries?: v.ObjectEntries;
  wrapped?: v.GenericSchema;
  item?: v.GenericSchema;
  options?: v.GenericSchema[];
  key?: string;
  pipe?: unknown[];
  default?: unknown;
  message?: v.ErrorMessage<v.BaseIssue<unknown>>;
};

/** Re-applies a schema's pipe actions (checks, transforms) to a rebuilt root schema. */
const repipe = (original: Any, root: v.GenericSchema): v.GenericSchema =>
  original.pipe && original.pipe.length > 1
    ? (v.pipe as unknown as (...items: unknown[]) => v.GenericSchema)(root, ...original.pipe.slice(1))
    : root;

/** The same schema with every object in it (nested ones, in lists, unions, optionals) strict. */
export function strict<S extends v.GenericSchema>(schema: S): S {
  return deepStrict(schema as unknown as Any) as unknown as S;
}

function deepStrict(s: Any): v.GenericSchema {
  switch (s.type) {
    case 'object':
    case 'strict_object':
      return repipe(s, v.strictObject(strictEntries(s.entries ?? {}), s.message));
    case 'optional':
      return repipe(s, v.optional(deepStrict(s.wrapped as Any), s.default as never));
    case 'nullable':
      return repipe(s, v.nullable(deepStrict(s.wrapped as Any), s.default as never));
    case 'nullish':
      return repipe(s, v.nullish(deepStrict(s.wrapped as Any), s.default as never));
    case 'exact_optional':
      return repipe(s, v.exactOptional(deepStrict(s.wrapped as Any), s.default as never));
    case 'array':
      return repipe(s, v.array(deepStrict(s.item as Any), s.message));
    case 'union':
      return repipe(
        s,
        v.union(
          (s.options ?? []).map((o) => deepStrict(o as Any)),
          s.message,
        ),
      );
    case 'variant':
      return repipe(
        s,
        v.variant(s.key as string, (s.options ?? []).map((o) => deepStrict(o as Any)) as never, s.message),
      );
    default:
      return s;
  }
}

const strictEntries = (entries: v.ObjectEntries): v.ObjectEntries =>
  Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, deepStrict(e as unknown as Any)]));

type EntriesOf<S> = S extends { entries: infer E extends v.ObjectEntries } ? E : never;
type WithId<E extends v.ObjectEntries, K extends keyof E> = { id: E[K] } & Omit<E, K>;

/**
 * A domain object schema whose own-entity key (`userId`, `deviceId`, …) is called `id` on the wire:
 * strict, `id` in place of `key`, handed to the domain under `key` again. Checks and transforms the
 * domain schema pipes run after the rename, on the domain's names.
 */
export function idAs<S extends v.GenericSchema & { entries: v.ObjectEntries }, K extends keyof EntriesOf<S> & string>(
  schema: S,
  key: K,
): v.GenericSchema<v.InferInput<v.StrictObjectSchema<WithId<EntriesOf<S>, K>, undefined>>, v.InferOutput<S>> {
  const s = schema as unknown as Any;
  const { [key]: own, ...rest } = s.entries as v.ObjectEntries;
  if (!own) throw new Error(`idAs: the schema has no ${key}`);
  const wire = v.strictObject(strictEntries({ id: own, ...rest }), s.message);
  const back = v.transform(({ id, ...others }: Record<string, unknown>) => ({ [key]: id, ...others }));
  return (v.pipe as unknown as (...items: unknown[]) => v.GenericSchema)(
    wire,
    back,
    ...(s.pipe?.slice(1) ?? []),
  ) as never;
}
