import type { TermsOnNotes } from '../glossary';
import type { ApiRoutes } from '../http/route';
import type { MediaLinks } from '../media';
import { feedQuery, feedSchema } from './feed.schema';
import type { FeedService } from './feed.service';

export function feedRoutes(
  routes: ApiRoutes,
  feed: FeedService,
  media: MediaLinks,
  terms: TermsOnNotes,
): void {
  routes.add({
    method: 'get',
    path: '/v1/feed',
    operationId: 'getFeed',
    summary:
      "The community feed: on Fridays in the viewer's zone every published note in a random order fixed for the viewer and that Friday; other days ranked by recent likes, at most 2 notes an author a page",
    tag: 'Notes',
    access: 'public',
    query: feedQuery,
    response: feedSchema,
    handler: async ({ auth, query }) => {
      const page = await feed.page(query, auth);
      return { ...page, data: await terms.annotate(await media.present(page.data)) };
    },
  });
}
