/**
 * How many events arrived in the last `windowMs` (a sliding window of their times): the webhook
 * dispatcher's measure of "busy". Times are noted in non-decreasing order.
 */
export function createIntakeMeter(windowMs: number) {
  let times: number[] = [];
  let head = 0;
  const trim = (t: number) => {
    while (head < times.length && times[head] <= t - windowMs) head++;
    // Drop the expired prefix now and then, so the array stays the size of one window.
    if (head > 1024 && head * 2 > times.length) {
      times = times.slice(head);
      head = 0;
    }
  };
  return {
    note(t: number) {
      times.push(t);
      trim(t);
    },
    perWindow(t: number): number {
      trim(t);
      return times.length - head;
    },
  };
}
