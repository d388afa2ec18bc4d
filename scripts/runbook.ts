/**
 * `npm run runbook`: writes each rule's generated statement (lib/alerting/rule-docs.ts) into docs/runbook.md,
 * between `<!-- rule:<id> -->` and `<!-- /rule -->` in the rule's section. `--check` exits 1 when the file is
 * not what the rules say (test/unit/scripts/runbook.test.ts runs the same check).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeAlertRule } from '../lib/alerting/rule-docs';
import { type AlertRule, buildAlertRules } from '../lib/alerting/rules';
import { ScriptError, ScriptErrorCode } from './errors';

export const RUNBOOK_PATH = path.join(__dirname, '..', 'docs', 'runbook.md');

/** docs/runbook.md lacks a rule's section or its generated block's markers. */
export class RunbookError extends ScriptError {
  override readonly name = 'RunbookError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ScriptErrorCode.RUNBOOK_OUT_OF_SHAPE, message, options);
  }
}

const opening = (id: string) => `<!-- rule:${id} -->`;
const CLOSING = '<!-- /rule -->';

/** The runbook with every rule's block regenerated; a rule without its section or markers is an error. */
export function renderRunbook(text: string, rules: readonly AlertRule[] = buildAlertRules()): string {
  let out = text;
  for (const rule of rules) {
    const heading = out.indexOf(`\n### ${rule.id}\n`);
    if (heading < 0) throw new RunbookError(`docs/runbook.md has no section "### ${rule.id}"`);
    const start = out.indexOf(opening(rule.id), heading);
    const nextSection = out.indexOf('\n### ', heading + 5);
    if (start < 0 || (nextSection >= 0 && start > nextSection)) {
      throw new RunbookError(`section "${rule.id}" has no ${opening(rule.id)} … ${CLOSING} block`);
    }
    const end = out.indexOf(CLOSING, start);
    if (end < 0) throw new RunbookError(`the block of "${rule.id}" is not closed by ${CLOSING}`);
    out = `${out.slice(0, start)}${opening(rule.id)}\n${describeAlertRule(rule)}\n${out.slice(end)}`;
  }
  return out;
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const current = readFileSync(RUNBOOK_PATH, 'utf8');
  const rendered = renderRunbook(current);
  if (check) {
    if (rendered !== current) {
      console.error('docs/runbook.md does not state the rules as they are: run `npm run runbook`');
      process.exitCode = 1;
    }
  } else if (rendered !== current) {
    writeFileSync(RUNBOOK_PATH, rendered);
    console.log('docs/runbook.md: rule statements regenerated from lib/alerting/rules.ts');
  } else {
    console.log('docs/runbook.md already states the rules as they are');
  }
}
