# syntax=docker/dockerfile:1
#
# One image for every Netia process: gateway (default CMD), worker and migrate.
# TypeScript runs through `tsx` at runtime (a production dependency), so there is
# no compile step; `npm ci --omit=dev` is all the install we need.
#
#   docker build -t netia:local .
#   docker run --rm -e ... netia:local                                  # gateway
#   docker run --rm -e ... netia:local node --import tsx bin/worker.ts  # worker

##### 1. Production dependencies #####
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# Toolchain only for native modules without a prebuilt binary for this
# platform; this stage is thrown away, so it never reaches the runtime image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

##### 2. Sources (whatever .dockerignore lets through) #####
# A separate stage so the runtime stage can copy a fixed list of folders even
# when some of them are absent from the checkout (empty folders are not tracked
# by git; ui/dist and widget/dist only exist after the front-end builds).
FROM node:20-bookworm-slim AS sources
WORKDIR /src
COPY . .
RUN mkdir -p bin infra workflows activities gateway temporal services migrations ui/dist widget/dist

##### 3. Runtime #####
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000
WORKDIR /app

# Files stay root-owned and read-only for the `node` user; tsx keeps its
# transform cache under the OS temp dir, which `node` can write.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=sources /src/package.json /src/package-lock.json /src/tsconfig.json /src/temporal.config.ts ./
COPY --from=sources /src/bin ./bin
COPY --from=sources /src/infra ./infra
COPY --from=sources /src/workflows ./workflows
COPY --from=sources /src/activities ./activities
COPY --from=sources /src/gateway ./gateway
COPY --from=sources /src/temporal ./temporal
COPY --from=sources /src/services ./services
COPY --from=sources /src/migrations ./migrations
COPY --from=sources /src/ui/dist ./ui/dist
COPY --from=sources /src/widget/dist ./widget/dist

# Uploads (UPLOAD_DIR in docker-compose.yml): a named volume mounted here starts
# with this folder's owner, so the `node` user can write it.
RUN mkdir -p /var/lib/netia/uploads && chown node:node /var/lib/netia/uploads

USER node
EXPOSE 4000

# The slim image has no curl/wget; Node 20 has fetch. Shell form so ${PORT:-4000}
# expands at check time. Workers and one-shot jobs disable this in compose.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:${PORT:-4000}/api/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

CMD ["node", "--import", "tsx", "bin/gateway.ts"]
