# wardline's container image: built CLI, production dependencies only, runs as a non-root user.
#   docker build -t wardline .
#   docker run --rm -e DATABASE_URL=postgres://… -e REDIS_URL=redis://… -p 3000:3000 wardline
# The role is the command's argument: `start --role web` or `start --role worker` (default `all`).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY drizzle ./drizzle
COPY catalogue ./catalogue
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 WARDLINE_WORKSPACE=off WARDLINE_DATA_DIR=/var/lib/wardline
# With Node's default heap limit (a quarter of the machine's memory) V8 lets garbage grow to some
# 300 MB under a burst before collecting; a 512 MB limit makes it collect sooner (about 200 MB at
# 500 events/s) and still leaves the heaviest job, the intake retrain, ample room (under 160 MB).
ENV NODE_OPTIONS=--max-old-space-size=512
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/dist ./dist
COPY --from=build /app/drizzle ./drizzle
COPY --from=build /app/catalogue ./catalogue
RUN mkdir -p /var/lib/wardline && chown node:node /var/lib/wardline
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/wardline.js"]
CMD ["start", "--role", "all"]
