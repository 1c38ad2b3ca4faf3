# The app image: API or workers, chosen by the command (see docker-compose.yml).
# Build stage: compile TypeScript to dist/ (the image runs the compiled code, never tsx).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: production dependencies, the compiled code and the files it reads at run time
# (migrations, the UI, the API docs' bootstrap), as the unprivileged user `node`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/app/data
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force && mkdir -p /app/data && chown node:node /app/data
COPY --from=build /app/dist ./dist
COPY drizzle ./drizzle
COPY web ./web
COPY src/docs ./src/docs
USER node
EXPOSE 3000
# The API's liveness; the workers service has no port and turns it off (docker-compose.yml).
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The same flags as `npm run start:api` (node directly: it gets the signals, not npm).
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=8", "--enable-source-maps", "dist/src/server.js"]
