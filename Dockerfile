# The app image: API or workers, chosen by the command (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
USER node
EXPOSE 3000
CMD ["npm", "run", "start:api"]
