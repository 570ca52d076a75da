# syntax=docker/dockerfile:1
# One image for every role: docker-compose runs it as the API and as the worker (ROLE).

# Build: every dependency, then `npm run build` (the service's TypeScript into dist/, and
# whatever else the build grows to produce, such as the web app into web/build), then the
# development dependencies are pruned.
FROM node:24-slim AS build
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && mkdir -p web/build

# Run: only what the service reads at run time, owned by root and read-only to the process.
# The folders it writes (finance exports, photos) belong to the unprivileged `node` user; the
# volumes docker-compose mounts there start from them, ownership included.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The web app: its build (web/build, made by `npm run build`; empty if not, and the service then
# serves the API alone and says so in its log) beside the package.json that marks it ESM.
COPY --from=build /app/web ./web
RUN mkdir -p var/exports var/media && chown -R node:node var
USER node
EXPOSE 3000
# glibc hands blocks of 1 MB and more straight back to the kernel when freed (README, "memory").
ENV MALLOC_MMAP_THRESHOLD_=1048576
# A small young generation keeps RSS flat while exports stream; a 160 MB old generation makes
# V8 collect a drop burst's garbage before an API process passes 200 MB (README, bench/RESULTS.md).
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=160", "dist/src/server.js"]
