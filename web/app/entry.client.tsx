import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { HydratedRouter } from 'react-router/dom';

/**
 * React Router's default client entry, run once the server's HTML has been painted: hydrating
 * a page is a few hundred ms of script on a slow phone, and started before the first frame it
 * held the paint back until it was done (Lighthouse saw the first paint ~1 s after the
 * document was parsed). One frame later is all it costs. A hidden tab (opened in the
 * background) gets no animation frames, so it hydrates at once.
 */
function afterFirstPaint(run: () => void): void {
  if (document.visibilityState === 'hidden') return run();
  requestAnimationFrame(() => setTimeout(run, 0));
}

afterFirstPaint(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <HydratedRouter />
      </StrictMode>,
    );
  }),
);
