/** `npm run invoke` prints a requested name made safe: a name cannot forge a line on the user's terminal. */
import { lines, runNpmScript } from '../../support/npm-script';

jest.setTimeout(120_000);

it('answers an unknown function name escaped (no control characters), exit 2', async () => {
  const run = await runNpmScript('invoke', ['evil\n2026-11-25T13:11:00Z forged line\u001b[2J', '{}'], {});
  expect(run.code).toBe(2);
  expect(lines(run.stderr)[0]).toBe(
    'ResourceNotFoundException: Function not found: evil\\u{a}2026-11-25T13:11:00Z forged line\\u{1b}[2J',
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
  expect(run.stderr).not.toMatch(/\u001b/);
});
