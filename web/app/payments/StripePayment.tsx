import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import type { Stripe, StripeElementLocale } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** How long Stripe.js may take to arrive before the page says it cannot be reached. */
const LOAD_TIMEOUT_MS = 15_000;

const STRIPE_LOCALES: Record<string, StripeElementLocale> = {
  en: 'en',
  'zh-Hans': 'zh',
  ja: 'ja',
  'pt-BR': 'pt-BR',
};

export interface StripePaymentProps {
  publishableKey: string;
  clientSecret: string;
  /** The button's words, e.g. "Pay ¥1,200". */
  payLabel: string;
}

type Loaded = { state: 'loading' } | { state: 'ready'; stripe: Stripe } | { state: 'failed' };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Stripe.js did not load in time')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Stripe.js from js.stripe.com (only this page's CSP allows it); `retry` asks again. */
function useStripeJs(publishableKey: string) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    withTimeout(loadStripe(publishableKey), LOAD_TIMEOUT_MS).then(
      (stripe) => {
        if (current) setLoaded(stripe ? { state: 'ready', stripe } : { state: 'failed' });
      },
      () => {
        if (current) setLoaded({ state: 'failed' });
      },
    );
    return () => {
      current = false;
    };
  }, [publishableKey, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { loaded, retry, fail: useCallback(() => setLoaded({ state: 'failed' }), []) };
}

function Unavailable({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice error" role="alert">
      <p>{t('order.stripe.unavailable')}</p>
      <p className="actions">
        <button type="button" onClick={onRetry}>
          {t('order.stripe.retry')}
        </button>
      </p>
    </div>
  );
}

function PayForm({ payLabel, onLoadError }: { payLabel: string; onLoadError: () => void }) {
  const { t } = useTranslation();
  const stripe = useStripe();
  const elements = useElements();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!stripe || !elements) return;
    setBusy(true);
    setMessage(null);
    // On success Stripe sends the buyer back here; the order turns paid when its webhook arrives.
    const { error } = await stripe.confirmPayment({
      elements,
      confirmParams: { return_url: window.location.href },
    });
    setBusy(false);
    setMessage(error.message ?? t('order.stripe.failed'));
  };
  return (
    <form className="stack" onSubmit={(event) => void submit(event)}>
      <PaymentElement onLoadError={onLoadError} />
      {message ? (
        <p className="notice error" role="alert">
          {message}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={!stripe || busy}>
        {payLabel}
      </button>
    </form>
  );
}

/**
 * Stripe's Payment Element for an order's PaymentIntent. Loaded only on this page, after it has
 * hydrated (its own chunk: no other page ships Stripe code). When js.stripe.com cannot be
 * reached the buyer is told so, with a button to try again, rather than shown an empty box.
 */
export default function StripePayment({
  publishableKey,
  clientSecret,
  payLabel,
}: StripePaymentProps) {
  const { t, i18n } = useTranslation();
  const { loaded, retry, fail } = useStripeJs(publishableKey);
  if (loaded.state === 'failed') return <Unavailable onRetry={retry} />;
  if (loaded.state === 'loading')
    return (
      <p className="hint" role="status">
        {t('order.stripe.loading')}
      </p>
    );
  return (
    <Elements
      stripe={loaded.stripe}
      options={{ clientSecret, locale: STRIPE_LOCALES[i18n.language] ?? 'auto' }}
    >
      <PayForm payLabel={payLabel} onLoadError={fail} />
    </Elements>
  );
}
