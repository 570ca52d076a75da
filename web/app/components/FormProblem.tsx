import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client.server';

/** What a form action returns when the API refused: shown above the form, read out at once. */
export interface Problem {
  status: number;
  code: string;
  message: string;
  param: string | null;
}

export function problemOf(response: Response, error: unknown): Problem {
  const body = (error as { error?: ApiError } | undefined)?.error;
  return {
    status: response.status,
    code: body?.code ?? 'unknown',
    message: body?.message ?? '',
    param: body?.param ?? null,
  };
}

/** Known refusals in the visitor's language; anything else with the API's own sentence. */
export function FormProblem({ problem }: { problem: Problem | undefined }) {
  const { t } = useTranslation();
  if (!problem) return null;
  const fallback =
    problem.status === 401
      ? 'problem.credentials'
      : problem.status === 429
        ? 'problem.rateLimited'
        : problem.status === 400
          ? 'problem.invalid'
          : problem.status === 409
            ? 'problem.conflict'
            : 'problem.unavailable';
  const text = t([`problem.${problem.code}`, fallback], { message: problem.message });
  return (
    <p id="form-problem" className="notice error" role="alert">
      {text}
    </p>
  );
}
