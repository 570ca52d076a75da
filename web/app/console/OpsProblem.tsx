import { useTranslation } from 'react-i18next';
import { FormProblem, type Problem } from '../components/FormProblem';
import { CONSOLE_NS } from './i18n';

/** A refusal on a console form: the console's own words when it has them, else the site's. */
export function OpsProblem({ problem }: { problem: Problem | undefined }) {
  const { t, i18n } = useTranslation(CONSOLE_NS);
  if (!problem) return null;
  const key = `ops.problem.${problem.code}`;
  if (!i18n.exists(key, { ns: CONSOLE_NS })) return <FormProblem problem={problem} />;
  return (
    <p className="notice error" role="alert">
      {t(key)}
    </p>
  );
}
