import { randomUUID } from 'node:crypto';

import { errors as joseErrors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

import type { Config } from '../../../adapters/config';

export const ACCESS_TOKEN_TTL_SECONDS = 900; // 15 minutes (seed 002)

/** What an access token says about its holder; re-checked against the user record per request. */
export interface AccessClaims {
  userId: string;
  tenantId: string | null;
  /** users.tokenVersion at issue time: a bump (deactivation, role/status change) revokes it. */
  tokenVersion: number;
  /** Refresh-token family (login session) the token was minted in. */
  sessionId: string;
}

/**
 * Every claim is type-checked, not just signature-checked: a token is only as safe as the key,
 * and a non-string `sub` (say `{"$ne": null}`) would otherwise reach a database filter.
 */
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/);
const claimsSchema = z.object({
  sub: id,
  tid: id.nullable().optional(),
  ver: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sid: id,
});

export class InvalidAccessToken extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(`access token ${reason}`);
  }
}

/** HS256 with key ids: the first key in JWT_SIGNING_KEYS signs, every listed key verifies. */
export function createAccessTokens(config: Pick<Config, 'JWT_SIGNING_KEYS' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>) {
  const { activeKid, keys } = config.JWT_SIGNING_KEYS;
  return {
    async issue(claims: AccessClaims, now = new Date()): Promise<{ token: string; expiresIn: number }> {
      const iat = Math.floor(now.getTime() / 1000);
      const token = await new SignJWT({ tid: claims.tenantId, ver: claims.tokenVersion, sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256', kid: activeKid, typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(config.JWT_ISSUER)
        .setAudience(config.JWT_AUDIENCE)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
        .setJti(randomUUID())
        .sign(keys.get(activeKid)!);
      return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },

    async verify(token: string, now = new Date()): Promise<AccessClaims> {
      try {
        const { payload } = await jwtVerify<JWTPayload>(
          token,
          (header) => {
            const key = header.kid ? keys.get(header.kid) : undefined;
            if (!key) throw new InvalidAccessToken('invalid');
            return key;
          },
          {
            algorithms: ['HS256'],
            issuer: config.JWT_ISSUER,
            audience: config.JWT_AUDIENCE,
            currentDate: now,
            requiredClaims: ['sub', 'exp', 'nbf', 'iat'],
          },
        );
        const claims = claimsSchema.safeParse(payload);
        if (!claims.success) throw new InvalidAccessToken('invalid');
        const { sub, tid, ver, sid } = claims.data;
        return { userId: sub, tenantId: tid ?? null, tokenVersion: ver, sessionId: sid };
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw new InvalidAccessToken('expired');
        throw new InvalidAccessToken('invalid');
      }
    },
  };
}
export type AccessTokens = ReturnType<typeof createAccessTokens>;
