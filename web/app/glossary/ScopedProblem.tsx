import { useTranslation } from 'react-i18next';
import { FormProblem, type Problem } from '../components/FormProblem';

/**
 * A refusal of the glossary or a challenge in the visitor's language: the feature's own words for
 * its codes (`glossary.problem.term_exists`), else the shared form problem.
 */
export function ScopedProblem({
  problem,
  scope,
}: {
  problem: Problem | undefined;
  scope: 'glossary' | 'challenges';
}) {
  const { t, i18n } = useTranslation();
  if (!problem) return null;
  const key = `${scope}.problem.${problem.code}`;
  if (!i18n.exists(key)) return <FormProblem problem={problem} />;
  return (
    <p id="form-problem" className="notice error" role="alert">
      {t(key)}
    </p>
  );
}
