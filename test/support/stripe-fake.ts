import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Response } from 'express';
import Stripe from 'stripe';

/**
 * A local Stripe-compatible server for the subset of the API checkout calls: PaymentIntents,
 * Refunds, Connect accounts and account links, with Stripe's wire format (form-encoded bodies,
 * `object` fields, error envelopes) and its Idempotency-Key behaviour. Tests point the real SDK
 * at it and use the helpers to play Stripe's side (payments succeeding, webhooks).
 */
export interface RecordedCall {
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotencyKey: string | undefined;
}

interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: string;
  client_secret: string;
  metadata: Record<string, string>;
  transfer_data: { destination: string } | null;
  application_fee_amount: number | null;
  amount_refunded: number;
  created: number;
}

/** Stripe's form-encoded params, nested by `a[b]` keys. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FormBody = Record<string, any>;

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export class StripeFake {
  readonly calls: RecordedCall[] = [];
  readonly intents = new Map<string, PaymentIntent>();
  readonly accounts = new Map<string, Record<string, unknown>>();
  private readonly idempotent = new Map<
    string,
    { params: string; status: number; body: unknown }
  >();
  private readonly failures = new Map<string, { times: number; status: number }>();
  private readonly holds = new Map<string, Array<Promise<void>>>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    const app = express();
    app.use(express.urlencoded({ extended: true }));
    app.use(async (req, res, next) => {
      if (!/^Bearer sk_test_/.test(req.get('authorization') ?? '')) {
        res
          .status(401)
          .json({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
        return;
      }
      const key = req.get('idempotency-key');
      this.calls.push({
        method: req.method,
        path: req.path,
        params: req.body ?? {},
        idempotencyKey: key,
      });
      const held = this.holds.get(req.path)?.shift();
      if (held) await held;
      const failing = this.failures.get(req.path);
      if (failing && failing.times > 0) {
        failing.times -= 1;
        res.status(failing.status).json({
          error:
            failing.status >= 500
              ? { type: 'api_error', message: 'Injected failure' }
              : { type: 'invalid_request_error', message: 'Injected refusal' },
        });
        return;
      }
      if (req.method === 'POST' && key) {
        const stored = this.idempotent.get(key);
        const params = JSON.stringify(req.body ?? {});
        if (stored) {
          if (stored.params !== params) {
            res.status(400).json({
              error: {
                type: 'idempotency_error',
                message: 'Keys for idempotent requests can only be used with the same parameters',
              },
            });
            return;
          }
          res.status(stored.status).set('Idempotent-Replayed', 'true').json(stored.body);
          return;
        }
        const json = res.json.bind(res);
        res.json = (body: unknown) => {
          this.idempotent.set(key, { params, status: res.statusCode, body });
          return json(body);
        };
      }
      next();
    });

    app.post('/v1/payment_intents', (req, res) => {
      const body = req.body as FormBody;
      const intent: PaymentIntent = {
        id: id('pi'),
        object: 'payment_intent',
        amount: Number(body.amount),
        currency: String(body.currency),
        status: 'requires_payment_method',
        client_secret: '',
        metadata: body.metadata ?? {},
        transfer_data: body.transfer_data
          ? { destination: String(body.transfer_data.destination) }
          : null,
        application_fee_amount:
          body.application_fee_amount !== undefined ? Number(body.application_fee_amount) : null,
        amount_refunded: 0,
        created: Math.floor(Date.now() / 1000),
      };
      intent.client_secret = `${intent.id}_secret_${randomBytes(8).toString('hex')}`;
      if (!Number.isInteger(intent.amount) || intent.amount < 0)
        return fail(res, 400, 'Invalid integer: amount', 'parameter_invalid_integer');
      this.intents.set(intent.id, intent);
      res.json(intent);
    });
    app.get('/v1/payment_intents/:id', (req, res) => {
      const intent = this.intents.get(String(req.params.id));
      if (!intent) return fail(res, 404, 'No such payment_intent', 'resource_missing');
      res.json(intent);
    });
    app.post('/v1/payment_intents/:id/cancel', (req, res) => {
      const intent = this.intents.get(String(req.params.id));
      if (!intent) return fail(res, 404, 'No such payment_intent', 'resource_missing');
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        return fail(
          res,
          400,
          `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
          'payment_intent_unexpected_state',
        );
      }
      intent.status = 'canceled';
      res.json(intent);
    });
    app.post('/v1/refunds', (req, res) => {
      const body = req.body as FormBody;
      const intent = this.intents.get(String(body.payment_intent));
      if (!intent) return fail(res, 404, 'No such payment_intent', 'resource_missing');
      if (intent.status !== 'succeeded')
        return fail(res, 400, 'This PaymentIntent has not succeeded', 'charge_not_refundable');
      const amount =
        body.amount !== undefined ? Number(body.amount) : intent.amount - intent.amount_refunded;
      if (amount > intent.amount - intent.amount_refunded)
        return fail(
          res,
          400,
          'Refund amount is greater than unrefunded amount',
          'amount_too_large',
        );
      intent.amount_refunded += amount;
      res.json({
        id: id('re'),
        object: 'refund',
        amount,
        payment_intent: intent.id,
        status: 'succeeded',
        metadata: body.metadata ?? {},
      });
    });
    app.post('/v1/accounts', (req, res) => {
      const body = req.body as FormBody;
      const account = {
        id: id('acct'),
        object: 'account',
        type: body.type,
        country: body.country,
        email: body.email,
        charges_enabled: false,
        payouts_enabled: false,
        details_submitted: false,
        metadata: body.metadata ?? {},
      };
      this.accounts.set(account.id, account);
      res.json(account);
    });
    app.post('/v1/account_links', (req, res) => {
      const body = req.body as FormBody;
      if (!this.accounts.has(String(body.account)))
        return fail(res, 404, 'No such account', 'resource_missing');
      res.json({
        object: 'account_link',
        url: `https://connect.stripe.test/setup/e/${body.account}/${randomBytes(6).toString('hex')}`,
        created: Math.floor(Date.now() / 1000),
        expires_at: Math.floor(Date.now() / 1000) + 300,
      });
    });

    this.server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The next `times` calls to `path` answer 500, as a Stripe outage would (the SDK retries twice). */
  failNext(path: string, times = 1, status = 500): void {
    this.failures.set(path, { times: (this.failures.get(path)?.times ?? 0) + times, status });
  }

  /**
   * The next call to `path` is received and recorded but not answered until `release()`: a
   * request in flight when its caller dies. Answered then as any call would be.
   */
  holdNext(path: string): { release(): void } {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(path, [...(this.holds.get(path) ?? []), gate]);
    return { release };
  }

  callsTo(path: string): RecordedCall[] {
    return this.calls.filter((call) => call.path === path);
  }

  /** The customer paid: the PI succeeds, and this is the event Stripe would send. */
  succeed(paymentIntentId: string): Stripe.Event {
    const intent = this.intents.get(paymentIntentId)!;
    intent.status = 'succeeded';
    return this.event('payment_intent.succeeded', { ...intent });
  }

  fail(paymentIntentId: string): Stripe.Event {
    const intent = this.intents.get(paymentIntentId)!;
    intent.status = 'requires_payment_method';
    return this.event('payment_intent.payment_failed', {
      ...intent,
      last_payment_error: { code: 'card_declined', message: 'Your card was declined.' },
    });
  }

  refundEvent(paymentIntentId: string, amountRefunded: number): Stripe.Event {
    const intent = this.intents.get(paymentIntentId)!;
    intent.amount_refunded = amountRefunded;
    return this.event('charge.refunded', {
      id: id('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_refunded: amountRefunded,
      payment_intent: paymentIntentId,
      refunded: amountRefunded >= intent.amount,
    });
  }

  accountUpdated(
    accountId: string,
    flags: { charges_enabled: boolean; payouts_enabled: boolean; details_submitted: boolean },
  ): Stripe.Event {
    const account = { ...this.accounts.get(accountId), ...flags };
    this.accounts.set(accountId, account);
    return this.event('account.updated', account);
  }

  event(type: string, object: object): Stripe.Event {
    return {
      id: id('evt'),
      object: 'event',
      type,
      api_version: '2025-01-01',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object },
    } as unknown as Stripe.Event;
  }
}

function fail(res: Response, status: number, message: string, code: string): void {
  res.status(status).json({ error: { type: 'invalid_request_error', message, code } });
}

/** A webhook delivery as Stripe signs it. */
export function signedWebhook(
  event: Stripe.Event,
  secret: string,
): { body: string; signature: string } {
  const body = JSON.stringify(event);
  const stripe = new Stripe('sk_test_signing');
  return { body, signature: stripe.webhooks.generateTestHeaderString({ payload: body, secret }) };
}
