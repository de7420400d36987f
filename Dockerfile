# syntax=docker/dockerfile:1

# Image of the tdkt binary. The same image runs every production process; the
# subcommand is the container command (`api`, `worker`, `migrate`), see
# docker-compose.yml. internal/deploy checks this file against the compose file.

# ---- build ----------------------------------------------------------------
FROM golang:1.26 AS build
WORKDIR /src
ENV CGO_ENABLED=0
COPY . .
# The module and build caches live in cache mounts, so rebuilding after a code
# change neither downloads modules again nor recompiles unchanged packages.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -o /out/tdkt ./cmd/tdkt

# ---- runtime --------------------------------------------------------------
FROM debian:bookworm-slim
# ca-certificates: TLS to external services; tzdata: time zones such as
# Asia/Ho_Chi_Minh; curl: the api container's healthcheck (docker-compose.yml).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 tdkt \
    && useradd --system --uid 10001 --gid tdkt --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin tdkt
WORKDIR /app
# Created and chowned before VOLUME so that a fresh named volume mounted here
# starts out writable by the non-root user.
RUN mkdir -p /app/data && chown tdkt:tdkt /app/data
ENV DATA_DIR=/app/data
VOLUME ["/app/data"]
COPY --from=build /out/tdkt /usr/local/bin/tdkt
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/tdkt"]
