import { Problems } from '../../../domain/devices/problems.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { ErrorStrings } from '../../errors.ts';
import type { MorCall } from '../../method.ts';
import type { Params } from '../../params.ts';
import { type MorReply, pageError, pageStatusError, xml } from '../../xml.ts';

/** The two error wrappers of the device family (_devices-model §1.2). */
export type Wrapper = 'page' | 'pageStatus';

const wrapFor = (wrapper: Wrapper) => (wrapper === 'page' ? pageError : pageStatusError);

/**
 * Runs a handler and answers its DomainError in the method's wrapper: the string of `table` for
 * `CODE:detail` or `CODE`, else the error's own message (the domain carries the MOR strings).
 * Problems add one `<message>` per problem after the headline.
 */
export function guarded(wrapper: Wrapper, run: (call: MorCall) => Promise<MorReply>, table: ErrorStrings = {}) {
  return async (call: MorCall): Promise<MorReply> => {
    try {
      return await run(call);
    } catch (error) {
      if (error instanceof Problems) {
        const body = { error: error.headline, message: [...error.messages] };
        return xml(wrapper === 'page' ? { page: body } : { page: { status: body } });
      }
      if (!(error instanceof DomainError)) throw error;
      return wrapFor(wrapper)(table[`${error.code}:${error.detail}`] ?? table[error.code] ?? error.message);
    }
  };
}

export { idParam } from '../../params.ts';

/** Parameters copied as sent (empty strings kept), keyed by their input names. */
export function pick<K extends string>(params: Params, names: readonly (readonly [param: string, key: K])[]) {
  const out: Partial<Record<K, string>> = {};
  for (const [param, key] of names) {
    const value = params.get(param);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A flag parameter: sent and not `0`/`false`. */
export const flag = (params: Params, name: string) => {
  const value = params.value(name);
  return value !== undefined && !['0', 'false'].includes(value.toLowerCase());
};

export const ctxOf = (call: MorCall) => call.ctx!;
