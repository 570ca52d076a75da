import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useRevalidator } from 'react-router';
import { Countdown } from '../format/Countdown';
import { LocalTime } from '../format/LocalTime';

interface Timing {
  status: 'scheduled' | 'live' | 'ended' | 'canceled';
  startsAt: string;
  endsAt: string;
}

/** "Opens in 01:59" or "Ends in 47:59:59", with the wall-clock time; reloads when it flips. */
export function DropTiming({ drop }: { drop: Timing }) {
  const { t } = useTranslation();
  const { revalidate } = useRevalidator();
  // The scheduled job flips the status within 2 s of the moment: ask again a little after.
  const flipped = useCallback(() => void setTimeout(() => void revalidate(), 2500), [revalidate]);
  if (drop.status === 'scheduled')
    return (
      <p className="timing">
        {t('drops.opensIn')} <Countdown until={drop.startsAt} onDone={flipped} /> (
        <LocalTime iso={drop.startsAt} />)
      </p>
    );
  if (drop.status === 'live')
    return (
      <p className="timing">
        {t('drops.endsIn')} <Countdown until={drop.endsAt} onDone={flipped} /> (
        <LocalTime iso={drop.endsAt} />)
      </p>
    );
  return null;
}
