import { IssueToken, issueToken } from '../../domain/tokens/issueToken.ts';
import { ListTokens, listTokens } from '../../domain/tokens/listTokens.ts';
import { RevokeToken, revokeToken } from '../../domain/tokens/revokeToken.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

export const tokensRouter = router({
  /** A new bearer token (`mor_…`), returned once; the admin for any admin/reseller/accountant, others for themselves. */
  issue: authed.input(strict(IssueToken)).mutation(({ ctx, input }) => issueToken(ctx.ctx, input)),
  /** Revokes a token in the caller's scope; it answers 401 from its next call. */
  revoke: authed.input(strict(RevokeToken)).mutation(({ ctx, input }) => revokeToken(ctx.ctx, input)),
  /** Tokens in the caller's scope, without secrets. */
  list: authed.input(strict(ListTokens)).query(({ ctx, input }) => listTokens(ctx.ctx, input)),
});
