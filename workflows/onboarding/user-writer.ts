import type { CreateUserResult } from '../../activities/users/create-user-activities';
import type { StatusChangeRequest, StatusChangeResult } from '../../domain/contracts/account.contract';
import type { BridgeEventSignal } from '../../domain/contracts/onboarding.contract';
import type { BridgeKycState } from '../../domain/rules/onboarding/bridge';
import type { KycLevel, UserStatus } from '../../domain/vocabulary/users';
import { createAccountWriter, createSerial } from '../account-writer';
import { local, remote } from './activities';
import type { Run } from './state';

/** Statuses an admin's change ends the onboarding with (the run stops instead of overwriting them). */
const CLOSING_STATUSES: readonly string[] = ['active', 'rejected', 'inactive'];

export interface StatusExtra {
  kycLevel?: KycLevel;
  reason?: string | null;
  cause?: 'bridge';
  /** Bridge's state from the run's last Bridge event, written with the status (./bridge.ts). */
  bridge?: BridgeKycState;
}

/**
 * The one writer of the user record inside an onboarding run: every write of the run (creation,
 * a replacing registration, email confirmation, KYC state, its own status transitions, the admin
 * endpoint's changes, Bridge news after the run's end) goes through here, one at a time in call
 * order (`serially`), so whichever is applied second sees the first and the audit trail follows
 * the order applied. A free queue runs the write in the same activation, as a direct call would.
 */
export function createUserWriter(run: Run) {
  const { userId } = run;
  const serially = createSerial();
  const account = createAccountWriter(local.users, userId, run.key);

  return {
    /**
     * The run's first step (and a replacing registration): the details come sealed with the request
     * (opened only by the activity), or, for runs started before that, from the pending registration.
     */
    create: (requestFingerprint: string, sealedRegistration?: string): Promise<CreateUserResult> =>
      serially(() => local.users.createOnboardingUser({ userId, requestFingerprint, sealedRegistration })),

    /** A reopened account's first step: reads the existing, confirmed user (writes nothing). */
    reopen: (): Promise<CreateUserResult> => remote.users.reopenOnboardingUser({ userId }),

    markEmailConfirmed: (at: string) => serially(() => local.users.markEmailConfirmed({ userId, at })),

    recordKycState: (provider: 'veriff' | 'bridge', state: Record<string, unknown>) =>
      serially(() => local.users.recordKycState({ userId, provider, state })),

    /**
     * The run's own transition, audited under `key`. False (nothing written) when an admin's change
     * was applied first: that decision stands and the run ends.
     */
    setStatus: (status: UserStatus, key: string, extra: StatusExtra = {}): Promise<boolean> =>
      serially(async () => {
        if (run.adminClose) return false;
        await local.users.setUserStatus({ userId, status, ...extra, auditId: run.key(key) });
        return true;
      }),

    /** The admin endpoint's change (changeUserStatusUpdate); a closing status ends the onboarding. */
    changeStatusByAdmin: (req: StatusChangeRequest): Promise<StatusChangeResult> =>
      serially(async () => {
        const result = await account.changeStatus(req);
        if (CLOSING_STATUSES.includes(req.to)) run.adminClose ??= { status: req.to, reason: req.reason };
        return result;
      }),

    /** Bridge news that reached the run after its Bridge step: applied as the account workflow would. */
    applyBridgeEventAfterEnd: (ev: BridgeEventSignal) => serially(() => account.applyBridgeEvent(ev)),
  };
}

export type UserWriter = ReturnType<typeof createUserWriter>;
