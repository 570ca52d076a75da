// What other features may use of the feed (none yet); the composition roots import the rest directly.
export type { FeedPage, FeedService } from './feed.service';
