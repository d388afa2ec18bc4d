import { App, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FUNCTION_ACKNOWLEDGEMENTS, WILDCARD_RESOURCE_FINDING } from '../../../../lib/alerting/nag';
import { buildStack } from '../../../support/stack-fixture';

/** cdk-nag 3.x: the pack is a validation plugin; `validateScope` runs it on a tree and honours acknowledgements. */
describe('cdk-nag AwsSolutions', () => {
  const { stack } = buildStack({
    pagerUrl: 'https://events.pagerduty.com/integration/abc123/enqueue',
    warningEmails: 'oncall@example.com',
  });
  const report = new AwsSolutionsChecks(stack, { verbose: true }).validateScope(stack);

  it('finds no unacknowledged error or warning in the stack', () => {
    const findings = report.violations.map(
      (violation) =>
        `${violation.ruleName} (${violation.severity}) at ${violation.violatingResources
          .map((resource) => resource.constructPath ?? resource.resourceLogicalId)
          .join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('is live: the same findings on an unacknowledged function are reported', () => {
    const app = new App();
    const bare = new Stack(app, 'Bare');
    new LambdaFunction(bare, 'Fn', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => 1;'),
    }).addToRolePolicy(new PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
    const rules = new AwsSolutionsChecks(bare).validateScope(bare).violations.map((v) => v.ruleName);
    expect(rules).toEqual(
      expect.arrayContaining([
        FUNCTION_ACKNOWLEDGEMENTS.BASIC_EXECUTION_ROLE.id,
        FUNCTION_ACKNOWLEDGEMENTS.RUNTIME.id,
        WILDCARD_RESOURCE_FINDING,
      ]),
    );
  });

  it('gives every acknowledgement a reason', () => {
    const acknowledged = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.entries(entry.data as Record<string, unknown>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(id).toMatch(/^(Annotation::)?AwsSolutions-/);
      expect(JSON.stringify(reason).length).toBeGreaterThan(60);
    }
  });
});
