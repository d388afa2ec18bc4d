import { isSensitiveKey, REDACTED, scrubText, scrubValue } from '../../../../../layers/otel/src/pii';

describe('PII scrubber', () => {
  it.each([
    'email',
    'user.email',
    'customer_email_address',
    'accountNumber',
    'account_id',
    'card_number',
    'user.name',
    'firstName',
    'full_name',
    'authorization',
    'api_key',
    'access_token',
    'password',
    'phone',
    'trader',
  ])('drops the key %s', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'finance.symbol',
    'ml.model',
    'ml.confidence',
    'opportunity_score',
    'service.name',
    'faas.name',
    'market.session',
    'price',
    'predictedPrice',
    'cloud.account.id',
  ])('keeps the financial or technical key %s', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });

  it('masks e-mails, bearer tokens, card numbers and named account numbers in free text', () => {
    const text =
      'order for jane.doe@example.com with Bearer abcdefghijklmnop1234 card 4111 1111 1111 1111 ' +
      'account 12345678 api_key=sk_live_123 failed at 2026-11-25T13:11:00Z for AAPL at 187.25';
    const scrubbed = scrubText(text);
    expect(scrubbed).not.toContain('jane.doe@example.com');
    expect(scrubbed).not.toContain('abcdefghijklmnop1234');
    expect(scrubbed).not.toContain('4111 1111 1111 1111');
    expect(scrubbed).not.toContain('12345678');
    expect(scrubbed).not.toContain('sk_live_123');
    expect(scrubbed).toContain(REDACTED);
    // Financial data and timestamps survive.
    expect(scrubbed).toContain('2026-11-25T13:11:00Z');
    expect(scrubbed).toContain('AAPL at 187.25');
  });

  it('leaves digit runs that are not Luhn-valid card numbers (e.g. volumes) alone', () => {
    expect(scrubText('volume 1234567890123')).toBe('volume 1234567890123');
  });

  it('deep-scrubs nested contexts and keeps numbers under financial keys', () => {
    const scrubbed = scrubValue({
      symbol: 'MSFT',
      price: 412.5,
      customer: { name: 'Jane Doe', email: 'jane@example.com' },
      note: 'contact jane@example.com',
      items: [{ owner: 'Bob', quantity: 3 }],
    });
    expect(scrubbed).toEqual({
      symbol: 'MSFT',
      price: 412.5,
      note: `contact ${REDACTED}`,
      items: [{ quantity: 3 }],
    });
  });
});

describe('PII scrubber: phone numbers, IP addresses, AWS keys, SSNs (red-team findings)', () => {
  it.each([
    ['an international phone number', '+1 (555) 867-5309'],
    ['a UK mobile number', '07700900123'],
    ['a UK number written in groups', '020 7946 0958'],
    ['an international number in groups', '+44 20 7946 0958'],
    ['a North American number', '555-867-5309'],
    ['a North American number with area code in brackets', '(555) 867-5309'],
    ['an IPv4 address', '192.168.1.20'],
    ['a full IPv6 address', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
    ['a compressed IPv6 address', '2001:db8::1'],
    ['a link-local IPv6 address with a zone', 'fe80::1ff:fe23:4567:890a%eth0'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a temporary AWS access key id', 'ASIAY34FZKBOKMUTVV7A'],
    ['a US social security number', '123-45-6789'],
    ['a US social security number with spaces', '123 45 6789'],
  ])('masks %s in free text and inside an identifier', (_label, secret) => {
    for (const text of [secret, `failed for ${secret} at 187.25`, `lstm_${secret}`, `model-${secret}.v2`]) {
      const scrubbed = scrubText(text);
      expect(scrubbed).not.toContain(secret);
      expect(scrubbed).toContain(REDACTED);
    }
  });

  it.each([
    [
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
    ['AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG', 'wJalrXUtnFEMI/K7MDENG'],
    ['{"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG"}', 'wJalrXUtnFEMI/K7MDENG'],
    ['x-api-key: 3f9a77c2d1', '3f9a77c2d1'],
    ['client_secret=s3cr3t-value&grant=1', 's3cr3t-value'],
  ])('masks the value of a secret assignment: %s', (text, secret) => {
    const scrubbed = scrubText(text);
    expect(scrubbed).not.toContain(secret);
    expect(scrubbed).toContain(REDACTED);
  });

  it('keeps what the product writes: prices, signed moves, ISO times, epoch times, trace ids, symbols, model ids', () => {
    const kept = [
      'AAPL at 187.25 (+2.5 %, -1.75 %) qty 12',
      'price 0.0000012345 and 10000000',
      '2026-11-25T13:11:00.000Z',
      '2026-11-25T09:30:00-05:00 and 2026-11-25T20:00:00+14:00',
      '2026-11-25',
      'session 09:30-16:00, lookback 13:11:00',
      'trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7',
      'epoch 1732460000 s, 1732460000000 ms, 1732460000000000 µs',
      'BRK.B RDS-A MSFT NVDA',
      'lstm-v3 xgb_2026.11 transformer-1.2.3-beta v1.2.3.4',
      'ot=th:0a3d;rv:0123456789abcd',
      'sampling.probability=0.25 ece: 0.15 ratio 3:2',
      '5000 of 10000 predictions, 2325 stored',
      'version 0.1.0',
    ];
    for (const text of kept) expect(scrubText(text)).toBe(text);
  });
});
