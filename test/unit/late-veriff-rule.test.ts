import type { VeriffEventSignal } from '../../domain/contracts/onboarding.contract';
import { lateVeriffEvent } from '../../domain/rules/late-veriff-event';

const now = '2026-12-03T12:00:00.000Z';
const decision = (status: VeriffEventSignal['status']): VeriffEventSignal => ({
  eventKey: `decision:s1:a1:${status}:-`,
  sessionId: 's1',
  kind: 'decision',
  status,
  code: 9102,
  reason: 'r',
});

describe('a Veriff event after the onboarding ended (domain/rules/late-veriff-event.ts)', () => {
  it('records nothing for progress news', () => {
    expect(lateVeriffEvent({ ...decision('started'), kind: 'event' }, { status: 'active' }, now)).toEqual({
      record: false,
    });
    expect(lateVeriffEvent({ ...decision('submitted'), kind: 'event' }, { status: 'rejected' }, now)).toEqual({
      record: false,
    });
    expect(lateVeriffEvent(decision('review'), { status: 'active' }, now)).toEqual({ record: false });
  });

  it.each([
    ['approved', 'active', false],
    ['approved', 'rejected', true],
    ['approved', 'inactive', true],
    ['declined', 'active', true],
    ['resubmission_requested', 'active', true],
    ['expired', 'active', true],
    ['abandoned', 'active', true],
    ['declined', 'rejected', false],
    ['declined', 'inactive', false],
  ] as const)(
    'records a late %s for a %s user, needsReview %s (the status itself never changes)',
    (status, userStatus, needsReview) => {
      expect(lateVeriffEvent(decision(status), { status: userStatus }, now)).toEqual({
        record: true,
        lateDecision: { sessionId: 's1', status, code: 9102, reason: 'r', receivedAt: now, needsReview },
      });
    },
  );
});
