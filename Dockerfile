# One image for every Tracklane service; docker-compose.yml picks the service
# with its command. Built from the same lockfile and scripts as a local run.
FROM node:24-bookworm-slim AS build
WORKDIR /tracklane
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run db:generate \
 && npx nx run-many -t build --projects=tag:type:app --outputStyle=static

FROM node:24-bookworm-slim
WORKDIR /tracklane
# TRACKLANE_STATE_DIR is the only place a service writes (click-ingest's spool): a volume owned by the
# unprivileged user. The rest is root-owned and meant to run with a read-only root filesystem
# (docker-compose.yml's read_only, Kubernetes' readOnlyRootFilesystem), as e2e/test/confined-services proves.
ENV NODE_ENV=production HOST=0.0.0.0 TRACKLANE_STATE_DIR=/var/lib/tracklane
COPY --from=build /tracklane /tracklane
# Debian's offline GeoIP country database, which click-ingest reads from /usr/share/GeoIP (CLICK_GEOIP_DIR).
RUN apt-get update && apt-get install -y --no-install-recommends geoip-database && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/tracklane && chown 1000:1000 /var/lib/tracklane
VOLUME /var/lib/tracklane
# The image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric user.
USER 1000:1000
