import { SignatureV4 } from '@smithy/signature-v4';
import {
  AwsJsonService,
  credentialsFromEnv,
  serviceEndpoint,
  signV4,
} from '../../../../../layers/otel/src/aws-json-request';
import { NodeSha256 } from '../../../../support/node-sha256';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};

async function sdkSignature(input: {
  url: URL;
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  now: Date;
  sessionToken?: string;
}): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(input.sessionToken ? { sessionToken: input.sessionToken } : {}),
    },
    region: input.region,
    service: input.service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: input.url.protocol,
      hostname: input.url.hostname,
      ...(input.url.port ? { port: Number(input.url.port) } : {}),
      path: input.url.pathname,
      query: {},
      headers: { ...input.headers, host: input.url.host },
      body: input.body,
    },
    { signingDate: input.now },
  );
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

describe('signV4: the same signature as the AWS SDK signer', () => {
  const cases = [
    {
      name: 'DynamoDB GetItem with a session token',
      url: new URL('https://dynamodb.us-east-1.amazonaws.com/'),
      service: 'dynamodb',
      region: 'us-east-1',
      target: 'DynamoDB_20120810.GetItem',
      contentType: 'application/x-amz-json-1.0',
      body: JSON.stringify({ TableName: 't', Key: { pk: { S: 'SAMPLING_CONFIG' }, sk: { S: 'CURRENT' } } }),
      sessionToken: credentials.sessionToken,
    },
    {
      name: 'Secrets Manager on a loopback port, no session token, an empty body',
      url: new URL('http://127.0.0.1:4566/'),
      service: 'secretsmanager',
      region: 'eu-west-3',
      target: 'secretsmanager.GetSecretValue',
      contentType: 'application/x-amz-json-1.1',
      body: '',
    },
    {
      name: 'a unicode body and a value with inner spaces',
      url: new URL('https://secretsmanager.ap-southeast-2.amazonaws.com/'),
      service: 'secretsmanager',
      region: 'ap-southeast-2',
      target: 'secretsmanager.GetSecretValue',
      contentType: 'application/x-amz-json-1.1',
      body: JSON.stringify({ SecretId: 'clé/€/名前' }),
      sessionToken: 'a  b   c',
    },
  ];

  it.each(cases)('$name', async (c) => {
    const now = new Date('2026-11-25T14:03:07.123Z');
    const headers = { 'content-type': c.contentType, 'x-amz-target': c.target };
    const ours = signV4({
      method: 'POST',
      url: c.url,
      headers,
      body: c.body,
      region: c.region,
      service: c.service,
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
      },
      now,
    });
    const sdk = await sdkSignature({
      url: c.url,
      headers,
      body: c.body,
      region: c.region,
      service: c.service,
      now,
      ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    });
    expect(ours['x-amz-date']).toBe('20261125T140307Z');
    expect(ours.authorization).toBe(sdk.authorization);
    if (c.sessionToken) expect(ours['x-amz-security-token']).toBe(c.sessionToken);
  });

  it('refuses a query string (the JSON protocols never send one)', () => {
    expect(() =>
      signV4({
        method: 'POST',
        url: new URL('https://dynamodb.us-east-1.amazonaws.com/?a=1'),
        headers: {},
        body: '',
        region: 'us-east-1',
        service: 'dynamodb',
        credentials,
        now: new Date(),
      }),
    ).toThrow(/query string/);
  });
});

describe('serviceEndpoint and credentialsFromEnv', () => {
  it('prefers AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the regional endpoint', () => {
    const { DYNAMODB, SECRETS_MANAGER } = AwsJsonService;
    expect(
      serviceEndpoint(DYNAMODB, 'us-east-1', {
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000/',
        AWS_ENDPOINT_URL: 'http://other',
      }),
    ).toBe('http://127.0.0.1:8000');
    expect(serviceEndpoint(SECRETS_MANAGER, 'us-east-1', { AWS_ENDPOINT_URL: 'http://localhost:4566' })).toBe(
      'http://localhost:4566',
    );
    expect(serviceEndpoint(SECRETS_MANAGER, 'eu-west-1', {})).toBe(
      'https://secretsmanager.eu-west-1.amazonaws.com',
    );
    expect(serviceEndpoint(DYNAMODB, 'cn-north-1', {})).toBe('https://dynamodb.cn-north-1.amazonaws.com.cn');
  });

  it('reads the credentials Lambda sets, and none when a part is missing', () => {
    expect(
      credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 'c' }),
    ).toEqual({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c' });
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a' })).toBeUndefined();
  });
});
