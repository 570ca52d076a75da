/**
 * A job's progress: a native progress bar (read by screen readers as a percentage) with the
 * counts written beside it. Without a total it is indeterminate and shows what is done.
 */
export function Progress({
  id,
  label,
  done,
  total,
  text,
}: {
  id: string;
  label: string;
  done: number;
  total: number | null;
  text: string;
}) {
  return (
    <div className="job-progress">
      <label htmlFor={id}>{label}</label>
      {total === null ? (
        <progress id={id} aria-describedby={`${id}-text`} />
      ) : (
        <progress id={id} max={Math.max(total, 1)} value={done} aria-describedby={`${id}-text`} />
      )}
      <span id={`${id}-text`} className="card-meta" role="status">
        {text}
      </span>
    </div>
  );
}
