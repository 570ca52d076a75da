import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useRevalidator } from 'react-router';
import { Countdown } from '../format/Countdown';

export interface HeldReservation {
  expiresAt: string;
  /** The drop's purchase page on this site; null when the service no longer has the link. */
  purchasePath: string | null;
}

/** Units a returning member won and has not bought yet, each with its time left and buy link. */
export function DropReservations({ reservations }: { reservations: HeldReservation[] }) {
  const { t } = useTranslation();
  const { revalidate } = useRevalidator();
  // Stable, so the countdown calls it once at zero: the lapsed reservation then leaves the page.
  const lapsed = useCallback(() => void revalidate(), [revalidate]);
  return reservations.map((reservation) => (
    <div className="notice success" role="status" key={reservation.expiresAt}>
      <p>
        {t('drops.yourReservation')} <Countdown until={reservation.expiresAt} onDone={lapsed} />
      </p>
      {reservation.purchasePath ? (
        <p>
          <Link className="button primary" to={reservation.purchasePath}>
            {t('drops.buyNow')}
          </Link>
        </p>
      ) : (
        <p className="hint">{t('drops.reservationLinkGone')}</p>
      )}
    </div>
  ));
}
