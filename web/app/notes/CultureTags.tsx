import { Link } from 'react-router';

/** A note's culture tags, each a link to the notes carrying it. */
export function CultureTags({ tags, label }: { tags: readonly string[]; label?: string }) {
  return (
    <ul className="tag-list" aria-label={label}>
      {tags.map((name) => (
        <li key={name}>
          <Link className="badge" to={`/notes?tag=${encodeURIComponent(name)}`}>
            #{name}
          </Link>
        </li>
      ))}
    </ul>
  );
}
