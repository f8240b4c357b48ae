import { randomUUID } from 'node:crypto';

import type { Config } from '../../../adapters/config';
import { newOpaqueToken, tokenDigest } from '../../../adapters/crypto/token-digest';
import type { Logger } from '../../../adapters/logger';
import type { Models } from '../../../adapters/models';
import { isDuplicateKeyError } from '../../../adapters/models/duplicate-key';
import { unauthorized } from '../http/app-error';
import type { AccessTokens } from './access-tokens';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

interface SessionUser {
  _id: string;
  tenantId?: string | null;
  tokenVersion: number;
}

const invalidRefresh = () => unauthorized('The refresh token is invalid or expired', 'INVALID_REFRESH_TOKEN');

/**
 * Login sessions as refresh-token families: every refresh spends the presented token and issues
 * its successor; a spent token presented again means it was copied, so the family is revoked.
 */
export function createSessions(deps: {
  models: Pick<Models, 'AuthSession' | 'RefreshToken' | 'User'>;
  config: Pick<Config, 'REFRESH_TOKEN_TTL_SECONDS'>;
  accessTokens: AccessTokens;
  logger: Logger;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const { AuthSession, RefreshToken, User } = deps.models;

  /** Throws a duplicate-key error (11000) if `parentId` already has a successor. */
  async function issuePair(user: SessionUser, sessionId: string, parentId: string, at: Date): Promise<TokenPair> {
    const refreshToken = newOpaqueToken('rt');
    await RefreshToken.create({
      tokenHash: tokenDigest(refreshToken),
      familyId: sessionId,
      parentId,
      userId: user._id,
      createdAt: at,
      expiresAt: new Date(at.getTime() + deps.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
    const access = await deps.accessTokens.issue(
      { userId: user._id, tenantId: user.tenantId ?? null, tokenVersion: user.tokenVersion, sessionId },
      at,
    );
    return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
  }

  async function revoke(sessionId: string, reason: string) {
    await AuthSession.updateOne(
      { _id: sessionId, revokedAt: null },
      { $set: { revokedAt: now(), revokedReason: reason } },
    );
  }

  return {
    /** A new session for a user who just proved who they are (password or partner client). */
    async start(user: SessionUser, origin: string): Promise<TokenPair> {
      const at = now();
      const sessionId = randomUUID();
      await AuthSession.create({
        _id: sessionId,
        userId: user._id,
        tenantId: user.tenantId ?? null,
        tokenVersion: user.tokenVersion,
        origin,
        createdAt: at,
      });
      return issuePair(user, sessionId, `root:${sessionId}`, at);
    },

    async refresh(presented: string): Promise<TokenPair> {
      const at = now();
      const token = await RefreshToken.findOne({ tokenHash: tokenDigest(presented) }).lean();
      if (!token || token.expiresAt <= at) throw invalidRefresh();
      const reuse = async () => {
        await revoke(token.familyId, 'refresh_token_reuse');
        deps.logger.warn({ sessionId: token.familyId }, 'refresh token reused: session revoked');
        return invalidRefresh();
      };
      if (token.usedAt) throw await reuse();
      const session = await AuthSession.findById(token.familyId).lean();
      if (!session || session.revokedAt) throw invalidRefresh();
      const user = await User.findById(token.userId, { tenantId: 1, status: 1, tokenVersion: 1 }).lean();
      // Deactivation, a role or a status change since login ends the session.
      if (!user || user.status === 'inactive' || user.tokenVersion !== session.tokenVersion) {
        await revoke(session._id, 'user_changed');
        throw invalidRefresh();
      }
      let pair: TokenPair;
      try {
        // Of two concurrent refreshes with one token, exactly one creates the successor.
        pair = await issuePair(user, session._id, token._id, at);
      } catch (err) {
        if (isDuplicateKeyError(err)) throw await reuse();
        throw err;
      }
      await RefreshToken.updateOne({ _id: token._id }, { $set: { usedAt: at } });
      // Only this field: a logout that landed since the check above stays (test/api/revocation-races.test.ts).
      await AuthSession.updateOne({ _id: session._id }, { $set: { lastRefreshedAt: at } });
      return pair;
    },

    revoke,

    async isRevoked(sessionId: string): Promise<boolean> {
      const s = await AuthSession.findById(sessionId, { revokedAt: 1 }).lean();
      return Boolean(s?.revokedAt);
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
