import {
  type BridgeEvent,
  type BridgeKycState,
  bridgeStatusAfterOnboarding,
  bridgeVerdict,
  emptyBridgeState,
  reduceBridgeEvent,
} from '../../domain/rules/onboarding/bridge';

const ev = (
  createdAtMs: number,
  kycStatus: string | null,
  tosStatus: string | null,
  rejectionReasons: string[] = [],
): BridgeEvent => ({ createdAtMs, kycStatus, tosStatus, rejectionReasons });
const fold = (events: BridgeEvent[], start: BridgeKycState = emptyBridgeState()) =>
  events.reduce((s, e) => reduceBridgeEvent(s, e).state, start);
function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('Bridge rule (domain/rules/onboarding/bridge.ts)', () => {
  it('keeps the newest value per field by Bridge event time, not by arrival', () => {
    const s = fold([ev(3000, 'approved', null), ev(1000, 'under_review', 'pending'), ev(2000, null, 'approved')]);
    expect(s).toEqual({ kycStatus: 'approved', tosStatus: 'approved', rejectionReasons: [], kycAt: 3000, tosAt: 2000 });
    // An old event arriving late changes nothing; a redelivery of the newest is no change either.
    expect(reduceBridgeEvent(s, ev(500, 'rejected', 'pending', ['x'])).changed).toBe(false);
    expect(reduceBridgeEvent(s, ev(3000, 'approved', null)).changed).toBe(false);
    expect(reduceBridgeEvent(s, ev(4000, 'offboarded', null, ['fraud']))).toEqual({
      state: { ...s, kycStatus: 'offboarded', kycAt: 4000, rejectionReasons: ['fraud'] },
      changed: true,
    });
  });

  it.each([
    [
      '{kyc approved t1, tos approved t2, offboarded t3}',
      [ev(1000, 'approved', 'pending'), ev(2000, 'approved', 'approved'), ev(3000, 'offboarded', 'approved')],
      'offboarded',
    ],
    [
      '{under_review t1, approved t2, rejected t3}',
      [ev(1000, 'under_review', 'approved'), ev(2000, 'approved', 'approved'), ev(3000, 'rejected', 'approved')],
      'rejected',
    ],
  ])('gives one final state and status for every order of %s', (_name, events, kyc) => {
    const finals = new Set<string>();
    for (const order of permutations(events)) {
      // Wherever activation happened on the way, the status the final state asks for is the same.
      let standing = { status: 'active', rejectedByBridge: false };
      let state = emptyBridgeState();
      for (const e of order) {
        state = reduceBridgeEvent(state, e).state;
        const to = bridgeStatusAfterOnboarding(state, standing);
        if (to) standing = { status: to, rejectedByBridge: to === 'rejected' };
      }
      finals.add(JSON.stringify({ state, status: standing.status }));
    }
    expect([...finals]).toEqual([JSON.stringify({ state: fold(events), status: 'rejected' })]);
    expect(fold(events).kycStatus).toBe(kyc);
  });

  it('lets a newer Bridge approval undo only a rejection Bridge caused', () => {
    const approved = fold([ev(1000, 'approved', 'approved')]);
    expect(bridgeVerdict(approved)).toBe('approved');
    expect(bridgeStatusAfterOnboarding(approved, { status: 'rejected', rejectedByBridge: true })).toBe('active');
    // An admin's or Veriff's rejection stands; an active user stays as is.
    expect(bridgeStatusAfterOnboarding(approved, { status: 'rejected', rejectedByBridge: false })).toBeNull();
    expect(bridgeStatusAfterOnboarding(approved, { status: 'active', rejectedByBridge: false })).toBeNull();
    // An open state (under review, terms pending) leaves the status alone.
    expect(
      bridgeStatusAfterOnboarding(fold([ev(1000, 'under_review', 'pending')]), {
        status: 'active',
        rejectedByBridge: false,
      }),
    ).toBeNull();
    // Offboarded rejects whatever the status, once.
    const off = fold([ev(1000, 'offboarded', null)]);
    expect(bridgeStatusAfterOnboarding(off, { status: 'inactive', rejectedByBridge: false })).toBe('rejected');
    expect(bridgeStatusAfterOnboarding(off, { status: 'rejected', rejectedByBridge: false })).toBeNull();
  });
});
