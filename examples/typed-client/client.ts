// A plain TypeScript project using the admin API with full inference: only `openmor`'s types are
// imported (no server code), through the package's `exports`. Type-checked in CI (`.ci/run`).
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from 'openmor';

export function adminClient(url: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url, headers: { authorization: `Bearer ${token}` } })],
  });
}

export async function describeAdmin(url: string, token: string): Promise<string> {
  const admin = adminClient(url, token);
  const settings = await admin.settings.get.query();
  const scope: 'global' | 'reseller' = settings.scope;
  const user = await admin.users.get.query({ id: 0 });
  const name: string = user.username;
  // @ts-expect-error: the convention is `id`; the old key is a compile error.
  await admin.users.get.query({ userId: 0 });
  return `${name} (${scope})`;
}
