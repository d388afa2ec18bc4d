import { isSensitiveKey, REDACTED, scrubText, scrubValue } from '../../../layers/otel/src/pii';

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
