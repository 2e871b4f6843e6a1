// The step runner both browser tests use: "ok - STEP" / "not ok - STEP"
// lines, a failed step skipping the rest (later steps depend on earlier
// ones), a deadline, cleanup (harness.mjs) on every exit path including
// signals, and the closing "browser: N passed, N failed, N skipped" line with
// a non-zero exit status on any failure.
import { cleanup } from './harness.mjs';

// Thrown by a test's set-up for a missing tool or argument: reported as one
// "not ok - set-up" line without a stack.
export class StopRun extends Error {}

const counts = { passed: 0, failed: 0, skipped: 0 };
let stopped = false;
let finished = false;

export async function step(name, fn) {
  if (stopped) {
    counts.skipped += 1;
    console.log(`ok - ${name} # SKIP (an earlier step failed)`);
    return;
  }
  const started = Date.now();
  try {
    await fn();
    counts.passed += 1;
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    counts.failed += 1;
    stopped = true;
    console.log(`not ok - ${name}`);
    console.log(`# ${String(error?.stack ?? error).split('\n').join('\n# ')}`);
  }
}

export function anyFailed() {
  return counts.failed > 0;
}

function finish() {
  if (finished) return;
  finished = true;
  console.log(`browser: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  process.exitCode = counts.failed > 0 ? 1 : 0;
}

async function abandon(reason) {
  console.log(`not ok - ${reason}`);
  counts.failed += 1;
  await cleanup();
  finish();
  process.exit(1);
}

// Runs `main` (which calls step() for each step) within `deadlineMs`;
// `stopping` names what a signal stops, for the log.
export async function runSteps(main, { deadlineMs, stopping }) {
  const watchdog = setTimeout(() => abandon(`the test did not finish within ${deadlineMs / 1000} s`),
    deadlineMs);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => abandon(`interrupted by ${signal}; stopping ${stopping}`));
  }
  try {
    await main();
  } catch (error) {
    counts.failed += 1;
    console.log(`not ok - set-up: ${error instanceof StopRun ? error.message : error?.stack ?? error}`);
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
  finish();
}
