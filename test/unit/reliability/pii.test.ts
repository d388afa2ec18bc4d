/**
 * PII never leaves the process: e-mail addresses, account numbers, card numbers, names in known fields
 * and bearer tokens put into span attributes, span events, log fields and error messages are absent from
 * the exported spans (OTLP JSON, read from the span sink) and from the log lines. Fixed cases, a
 * property over generated PII (fixed seed), and a handler-level refusal that must not echo the PII.
 */
import fc from 'fast-check';
import { initTelemetry, instrument, logger, MemorySink, withSpan } from '../../../layers/otel/src';
import { lambdaContext, loadHandler } from '../../../scripts/local/runtime';
import { FUZZ_SEED } from '../../support/fuzz';

const PII = {
  email: 'jane.doe@example.com',
  cardSpaced: '4111 1111 1111 1111',
  cardPlain: '5500005555555559',
  cardDashed: '3782-822463-10005',
  account: '12345678901',
  iban: 'GB29NWBK60161331926819',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqZG9lIn0.c2lnbmF0dXJl',
  name: 'Jane Doe',
  userName: 'jdoe1984',
  trader: 'Bob Smith',
  apiKey: 'sk_live_51HxYz',
} as const;

function sinks() {
  const spans = new MemorySink();
  const logs = new MemorySink();
  initTelemetry({
    config: { mode: 'off', tracesSampler: 'always_on', samplingConfigTable: undefined, logLevel: 'DEBUG' },
    spanSink: spans,
    logSink: logs,
    metricsSink: new MemorySink(),
  });
  return { spans, logs };
}

function leaks(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => text.includes(secret));
}

describe('PII in spans, logs and errors never reaches the exports', () => {
  it('scrubs a handler that puts every kind of PII everywhere it can', async () => {
    const { spans, logs } = sinks();
    const handler = instrument(async () => {
      await withSpan(
        'trading.opportunity_analysis',
        {
          'finance.symbol': 'AAPL',
          opportunity_score: 72.5,
          customer_name: PII.name,
          'user.name': PII.userName,
          trader: PII.trader,
          email: PII.email,
          'customer.email_address': PII.email,
          account_number: PII.account,
          card_number: PII.cardPlain,
          authorization: `Bearer ${PII.bearer}`,
          note: `contact ${PII.email}, card ${PII.cardSpaced}, account ${PII.account}, iban ${PII.iban}`,
          'http.request.header': `Authorization: Bearer ${PII.bearer}`,
          tags: [PII.email, `api_key=${PII.apiKey}`, 'AAPL'],
        },
        async (span) => {
          span.setAttribute('payment.reference', `card ${PII.cardDashed}`);
          span.addEvent('customer contacted', { email: PII.email, detail: `wrote to ${PII.email}` });
          logger.info(`notified ${PII.email} about AAPL`, {
            customer_name: PII.name,
            user: { name: PII.userName, email: PII.email },
            trader: PII.trader,
            accountNumber: PII.account,
            card: PII.cardSpaced,
            headers: { authorization: `Bearer ${PII.bearer}` },
            detail: `card ${PII.cardSpaced} account ${PII.account} token=${PII.apiKey}`,
            symbol: 'AAPL',
            price: 187.25,
          });
          try {
            throw new Error(
              `payment for ${PII.email} with card ${PII.cardPlain} failed (Bearer ${PII.bearer})`,
            );
          } catch (error) {
            logger.warn('payment lookup failed', { error: (error as Error).message, symbol: 'AAPL' });
            logger.error('payment lookup failed', error as Error);
          }
        },
      );
      throw new Error(`could not settle account ${PII.account} for ${PII.email}`);
    });
    await expect(handler({ action: 'analyze' }, lambdaContext('trading-intelligence'))).rejects.toThrow();

    const exported = spans.lines.join('\n');
    const logged = logs.lines.join('\n');
    expect(exported.length).toBeGreaterThan(0);
    expect(logged.length).toBeGreaterThan(0);
    expect(leaks(exported, Object.values(PII))).toEqual([]);
    expect(leaks(logged, Object.values(PII))).toEqual([]);
    // The financial data and the shape survive.
    expect(exported).toContain('AAPL');
    expect(exported).toContain('trading.opportunity_analysis');
    expect(exported).toContain('exception');
    expect(logged).toContain('187.25');
    expect(logged).toContain('[REDACTED]');
  });

  it('does not leak through an Error object passed as a log field (its enumerable properties)', () => {
    const { logs } = sinks();
    const error = Object.assign(new Error(`lookup failed for ${PII.email}`), {
      email: PII.email,
      customer: { name: PII.name },
      detail: `card ${PII.cardSpaced}`,
    });
    logger.warn('lookup failed', { error, symbol: 'AAPL' });
    logger.error('lookup failed', { cause: error });
    expect(leaks(logs.lines.join('\n'), Object.values(PII))).toEqual([]);
  });

  it('keeps PII out of span names and event names too', async () => {
    const { spans } = sinks();
    const handler = instrument(async () => {
      await withSpan(`lookup ${PII.email}`, {}, (span) => {
        span.addEvent(`mailed ${PII.email}`);
        return 1;
      });
      return { ok: true };
    });
    await handler({}, lambdaContext('dual-accuracy-tracker'));
    expect(leaks(spans.lines.join('\n'), [PII.email])).toEqual([]);
  });
});

// ------------------------------------------------------------------------------- generated PII

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9._%+-]{0,15}$/),
    fc.stringMatching(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,8}){0,2}$/),
    fc.stringMatching(/^[a-z]{2,6}$/),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/**
 * A Luhn-valid card number of 13–19 digits, plain or grouped by fours with spaces or dashes. Its first digit
 * is an issuer's (2–9; 1 is only UATP's 15 digits): a 13- or 16-digit run starting with 1 is an epoch time.
 */
const card = fc
  .tuple(
    fc.integer({ min: 12, max: 18 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }),
    fc.integer({ min: 2, max: 9 }),
    fc.constantFrom('', ' ', '-'),
  )
  .map(([bodyLength, digits, first, separator]) => {
    const body = [first, ...digits.slice(0, bodyLength - 1)];
    let sum = 0;
    for (let i = 0; i < body.length; i++) {
      let digit = body[body.length - 1 - i] as number;
      if (i % 2 === 0) {
        digit *= 2;
        if (digit > 9) digit -= 9;
      }
      sum += digit;
    }
    const all = [...body, (10 - (sum % 10)) % 10].join('');
    return separator ? (all.match(/.{1,4}/g) ?? [all]).join(separator) : all;
  });

const bearer = fc.stringMatching(/^[A-Za-z0-9._~+/-]{12,40}$/).map((token) => `Bearer ${token}`);
const account = fc.stringMatching(/^[1-9]\d{5,11}$/).map((digits) => ({ text: `account ${digits}`, digits }));

/** Harmless words and numbers around the PII (prices, symbols, quantities: what real messages carry). */
const filler = fc.array(
  fc.constantFrom('AAPL', 'order', 'at', '187.25', 'qty', '12', 'for', 'failed', '-', ':'),
  {
    maxLength: 4,
  },
);

describe('generated PII in free text and known fields never reaches the exports (property)', () => {
  it('scrubs e-mails, Luhn-valid card numbers, bearer tokens and named account numbers', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          email,
          card,
          bearer,
          account,
          before: filler,
          after: filler,
          name: fc.constantFrom(PII.name, 'Ana Lima'),
        }),
        async ({ email: mail, card: cardNumber, bearer: token, account: acct, before, after, name }) => {
          const { spans, logs } = sinks();
          const text = (secret: string) => [...before, secret, ...after].join(' ');
          const handler = instrument(async () => {
            await withSpan(
              'ml.prediction_validation',
              { note: text(mail), card_ref: text(cardNumber) },
              (span) => {
                span.setAttribute('detail', text(token));
                span.setAttribute('customer_name', name);
                logger.info(text(acct.text), { reason: text(cardNumber), trader: name, 'user.name': name });
                return 1;
              },
            );
            throw new Error(text(`${mail} ${token}`));
          });
          await handler({ action: 'validate_all' }, lambdaContext('dual-accuracy-tracker')).catch(
            () => undefined,
          );
          const out = `${spans.lines.join('\n')}\n${logs.lines.join('\n')}`;
          const found = leaks(out, [mail, cardNumber, token.slice('Bearer '.length), acct.digits, name]);
          cases += 1;
          if (found.length > 0) throw new Error(`leaked ${JSON.stringify(found)}`);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 200 },
    );
    expect(cases).toBe(200);
  });
});

describe('a handler refuses a payload with PII-looking extra fields without echoing the PII', () => {
  it('answers INVALID_PAYLOAD naming the field, not its value, and logs and spans carry neither', async () => {
    const { spans, logs } = sinks();
    process.env.DATA_NAMESPACE = 'pii-test';
    const handler = await loadHandler('dual-accuracy-tracker');
    const result = await handler(
      {
        action: 'report',
        customer_email: PII.email,
        trader: PII.trader,
        authorization: `Bearer ${PII.bearer}`,
        note: `card ${PII.cardSpaced}`,
      },
      lambdaContext('dual-accuracy-tracker'),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const answer = JSON.stringify(result);
    expect(answer).toContain('customer_email');
    expect(leaks(answer, Object.values(PII))).toEqual([]);
    expect(leaks(`${spans.lines.join('\n')}\n${logs.lines.join('\n')}`, Object.values(PII))).toEqual([]);
    expect(spans.lines.join('\n')).toContain('INVALID_PAYLOAD');
  });
});
