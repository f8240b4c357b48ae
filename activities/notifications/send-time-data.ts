import type { Config } from '../../adapters/config';
import { confirmationCodeFor } from '../../adapters/crypto/onboarding-digests';
import { mintPasswordResetCode } from '../../adapters/identity/password-reset';
import { issuePasswordSetupToken, passwordSetupLink } from '../../adapters/identity/password-setup';
import type { Models } from '../../adapters/models';
import type { ChannelSendInput, NotificationEvent } from '../../domain/contracts/notify.contract';

export type SendTimeConfig = Pick<
  Config,
  | 'API_PUBLIC_URL'
  | 'PASSWORD_SETUP_URL'
  | 'PASSWORD_SETUP_TTL_HOURS'
  | 'PASSWORD_RESET_CODE_TTL_MINUTES'
  | 'PII_ENCRYPTION_KEYS'
>;
export type SendTimeModels = Pick<Models, 'User' | 'Organization' | 'PasswordSetupToken' | 'PasswordResetCode'>;

interface SendTimeSource {
  /** Values read when the message is rendered, on any channel (nothing secret). */
  context?(input: ChannelSendInput): Promise<Record<string, string>>;
  /**
   * The secret, minted by the email send only, inside its delivery claim (sendOnce): only an attempt
   * that is about to call the provider mints, and each such attempt replaces the previous secret, so
   * the newest email is the one that works. `null`: nothing to mint (a request recorded before
   * this change carries its own secret).
   */
  mint?(input: ChannelSendInput): Promise<Record<string, string> | null>;
}

/**
 * What the notifications worker adds to a message when it sends it (templates' `atSend`). Secrets
 * are made here rather than by whoever asked for the message, so the notify workflow's input and
 * every activity input and result in its history carry the user id and the notification id only:
 * no link, no code, nothing a person reading a decoded history could use. Only their digests are
 * stored; the plaintext lives in this activity's memory and in the email.
 */
export function createSendTimeData(deps: { config: SendTimeConfig; models: SendTimeModels }) {
  const { config, models } = deps;

  const sources: Partial<Record<NotificationEvent, SendTimeSource>> = {
    staff_welcome: {
      async context(input): Promise<Record<string, string>> {
        // Requests recorded before this change carried the name, the link and its lifetime.
        if (input.data.setPasswordUrl) return {};
        const user = await models.User.findById(input.userId, { tenantId: 1 }).lean();
        const org = user?.tenantId ? await models.Organization.findById(user.tenantId, { name: 1 }).lean() : null;
        return {
          tenantName: org?.name ?? 'your organization',
          expiresInHours: String(config.PASSWORD_SETUP_TTL_HOURS),
        };
      },
      async mint(input) {
        if (input.data.setPasswordUrl) return null;
        const { token } = await issuePasswordSetupToken(
          models,
          input.userId,
          config.PASSWORD_SETUP_TTL_HOURS * 3_600_000,
        );
        return { setPasswordUrl: passwordSetupLink(config, token) };
      },
    },
    // The email-confirmation code of onboarding: the workflow holds only the digest of the code of
    // this very email (issueConfirmationDigest), the same for every attempt, so nothing is stored
    // and a retried send carries the same code. Requests recorded before carry their code.
    verification_code: {
      async mint(input) {
        if (input.data.code) return null;
        return { code: confirmationCodeFor(config, input.userId, input.notificationId) };
      },
    },
    confirm_reminder: {
      async mint(input) {
        if (input.data.code) return null;
        return { code: confirmationCodeFor(config, input.userId, input.notificationId) };
      },
    },
    password_reset_code: {
      async context() {
        return { expiresInMinutes: String(config.PASSWORD_RESET_CODE_TTL_MINUTES) };
      },
      async mint(input) {
        const { code } = await mintPasswordResetCode(models, config, {
          userId: input.userId,
          notificationId: input.notificationId,
        });
        return { code };
      },
    },
  };

  return {
    context: async (input: ChannelSendInput): Promise<Record<string, string>> =>
      (await sources[input.event]?.context?.(input)) ?? {},
    /** Whether the email send of this event mints a secret (and so renders inside its claim). */
    mints: (event: NotificationEvent) => Boolean(sources[event]?.mint),
    mint: async (input: ChannelSendInput): Promise<Record<string, string>> =>
      (await sources[input.event]?.mint?.(input)) ?? {},
  };
}
export type SendTimeData = ReturnType<typeof createSendTimeData>;
