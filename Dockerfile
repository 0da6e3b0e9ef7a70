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
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /tracklane /tracklane
USER node
