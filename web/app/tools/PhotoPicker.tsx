import { useCallback, useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PHOTOS, type PhotoRef } from './photos';
import { uploadPhoto, type UploadOutcome } from './upload';

interface Item {
  key: string;
  /** Set once uploaded (or for photos the listing already had). */
  ref: string | null;
  preview: string;
  name: string;
  state: 'uploading' | 'ready' | Exclude<UploadOutcome, { ok: true }>['reason'];
}

let counter = 0;
const nextKey = () => `photo-${(counter += 1)}`;

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/**
 * Photos of a listing: chosen or dropped files are uploaded at once (one after another) and
 * previewed; they can be reordered (drag, or the arrow buttons for keyboard and touch) and
 * removed. The form posts their ids in order as `images`.
 */
export function PhotoPicker({
  initial,
  onBusyChange,
}: {
  initial: PhotoRef[];
  onBusyChange: (busy: boolean) => void;
}) {
  const { t } = useTranslation();
  const inputId = useId();
  const [items, setItems] = useState<Item[]>(() =>
    initial.map((photo, index) => ({
      key: `initial-${index}`,
      ref: photo.ref,
      preview: photo.preview,
      name: '',
      state: 'ready',
    })),
  );
  const [dragging, setDragging] = useState(false);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dragOver, setDragOver] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const queue = useRef(Promise.resolve());
  const uploading = items.some((item) => item.state === 'uploading');
  useEffect(() => onBusyChange(uploading), [uploading, onBusyChange]);

  const update = useCallback((key: string, change: Partial<Item>) => {
    setItems((current) =>
      current.map((item) => (item.key === key ? { ...item, ...change } : item)),
    );
  }, []);

  const addFiles = useCallback(
    (files: File[]) => {
      const room = MAX_PHOTOS - items.length;
      const accepted = files.slice(0, Math.max(0, room));
      if (files.length > accepted.length) setAnnouncement(t('photos.tooMany', { max: MAX_PHOTOS }));
      const added = accepted.map((file) => ({
        key: nextKey(),
        ref: null,
        preview: URL.createObjectURL(file),
        name: file.name,
        state: 'uploading' as const,
        file,
      }));
      setItems((current) => [...current, ...added.map(({ file: _file, ...item }) => item)]);
      for (const item of added) {
        queue.current = queue.current.then(async () => {
          const outcome = await uploadPhoto(item.file);
          if (outcome.ok) {
            update(item.key, { ref: outcome.photo.id, state: 'ready' });
            setAnnouncement(t('photos.uploaded', { name: item.name }));
          } else {
            update(item.key, { state: outcome.reason });
            setAnnouncement(t(`photos.error.${outcome.reason}`, { name: item.name }));
          }
        });
      }
    },
    [items.length, t, update],
  );

  const remove = (index: number) => setItems((current) => current.filter((_, i) => i !== index));
  const reorder = (from: number, to: number) => setItems((current) => move(current, from, to));

  const onDropFiles = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (dragFrom !== null) return;
    const files = [...event.dataTransfer.files].filter((file) => file.type.startsWith('image/'));
    if (files.length > 0) addFiles(files);
  };

  return (
    <fieldset className="stack">
      <legend>{t('photos.legend')}</legend>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          if (dragFrom !== null) return;
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDropFiles}
      >
        <span>{t('photos.drop')}</span>
        <label htmlFor={inputId} className="button">
          {t('photos.choose')}
        </label>
        <input
          id={inputId}
          type="file"
          accept="image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif"
          multiple
          className="visually-hidden"
          disabled={items.length >= MAX_PHOTOS}
          onChange={(event) => {
            addFiles([...(event.target.files ?? [])]);
            event.target.value = '';
          }}
        />
        <span className="hint">{t('photos.hint', { max: MAX_PHOTOS })}</span>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {items.length > 0 ? (
        <ol className="photos" aria-label={t('photos.listLabel')}>
          {items.map((item, index) => (
            <li
              key={item.key}
              className={`photo${dragOver === index ? ' drag-over' : ''}`}
              draggable={item.state !== 'uploading'}
              onDragStart={(event) => {
                setDragFrom(index);
                event.dataTransfer.effectAllowed = 'move';
              }}
              onDragOver={(event) => {
                if (dragFrom === null) return;
                event.preventDefault();
                setDragOver(index);
              }}
              onDrop={(event) => {
                if (dragFrom === null) return;
                event.preventDefault();
                event.stopPropagation();
                reorder(dragFrom, index);
                setDragFrom(null);
                setDragOver(null);
              }}
              onDragEnd={() => {
                setDragFrom(null);
                setDragOver(null);
              }}
            >
              <img src={item.preview} alt={t('photos.alt', { index: index + 1 })} />
              <span
                className={`photo-state${item.state === 'ready' || item.state === 'uploading' ? '' : ' error'}`}
              >
                {item.state === 'ready'
                  ? index === 0
                    ? t('photos.cover')
                    : t('photos.number', { index: index + 1 })
                  : item.state === 'uploading'
                    ? t('photos.uploading')
                    : t(`photos.error.${item.state}`, { name: item.name })}
              </span>
              {item.ref && item.state === 'ready' ? (
                <input type="hidden" name="images" value={item.ref} />
              ) : null}
              <div className="actions">
                <button
                  type="button"
                  onClick={() => reorder(index, index - 1)}
                  disabled={index === 0}
                  aria-label={t('photos.earlier', { index: index + 1 })}
                >
                  ←
                </button>
                <button
                  type="button"
                  onClick={() => reorder(index, index + 1)}
                  disabled={index === items.length - 1}
                  aria-label={t('photos.later', { index: index + 1 })}
                >
                  →
                </button>
                <button
                  type="button"
                  onClick={() => remove(index)}
                  disabled={item.state === 'uploading'}
                  aria-label={t('photos.remove', { index: index + 1 })}
                >
                  ✕
                </button>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </fieldset>
  );
}
