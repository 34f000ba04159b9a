# Standin in a container: listens on 0.0.0.0:9011, keeps its database in the /data volume.
# Build: docker build -t standin .   Run: docker run -p 9011:9011 -v standin-data:/data standin

# Production dependencies only; better-sqlite3 and argon2 build their native parts here.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The TypeScript build, with the dev dependencies it needs.
FROM deps AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/
# The build starts each bundle once to write its V8 code cache (docs/performance.md): it needs the migrations,
# views and package.json the running server reads.
COPY migrations ./migrations
COPY views ./views
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    STANDIN_HOST=0.0.0.0 \
    STANDIN_PORT=9011 \
    STANDIN_DB=/data/standin.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
COPY views ./views
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME ["/data"]
EXPOSE 9011
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9011/api/status').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/standin.cjs"]
