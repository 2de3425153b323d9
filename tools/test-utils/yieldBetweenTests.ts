import { afterEach } from "vitest";

// Long synchronous tests (meta-training a model for half a minute) keep the event loop busy; vitest's worker then
// cannot read the runner's replies in time and reports "Timeout calling onTaskUpdate" although every test passed.
// One turn of the event loop after each test (setImmediate runs after the I/O poll) lets those replies in.
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
