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
  let text: string;
  if (problem.status === 401) text = t('problem.credentials');
  else if (problem.status === 409 && problem.code !== 'unknown')
    text = t([`problem.${problem.code}`, 'problem.conflict']);
  else if (problem.status === 429) text = t('problem.rateLimited');
  else if (problem.status === 400) text = t('problem.invalid', { message: problem.message });
  else text = t('problem.unavailable');
  return (
    <p id="form-problem" className="notice error" role="alert">
      {text}
    </p>
  );
}
