# syntax=docker/dockerfile:1
# Shopwright: `shopwright serve` (API, GraphQL, GraphiQL; jobs in-process without Redis) by default, or
# `shopwright worker` (RQ jobs, with SHOPWRIGHT_REDIS_URL). See compose.yaml for PostgreSQL, Redis and both.

# --- build: the package and its dependencies, at the versions constraints.txt pins, in a virtualenv -------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/shopwright
WORKDIR /src
# Dependencies first, so that a source change does not reinstall them: the project's own metadata is all
# pip needs to resolve them (the runtime set only: the test extras stay out of the image).
COPY pyproject.toml constraints.txt README.md ./
RUN mkdir shopwright && touch shopwright/__init__.py \
    && /opt/shopwright/bin/pip install -c constraints.txt . \
    && /opt/shopwright/bin/pip uninstall -y shopwright
COPY shopwright ./shopwright
COPY schema ./schema
COPY resolvers ./resolvers
COPY domain ./domain
COPY workers ./workers
COPY migrations ./migrations
RUN /opt/shopwright/bin/pip install --no-deps -c constraints.txt .

# --- run: the virtualenv only, as an unprivileged user ------------------------------------------------
FROM python:3.11-slim
ENV PATH=/opt/shopwright/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SHOPWRIGHT_DATA_DIR=/data \
    SHOPWRIGHT_LOG_FORMAT=json
RUN useradd --system --uid 10001 --home-dir /data --no-create-home shopwright \
    && mkdir /data && chown shopwright:shopwright /data
COPY --from=build /opt/shopwright /opt/shopwright
USER shopwright
WORKDIR /data
# SQLite database (when no SHOPWRIGHT_DATABASE_URL), generated secret key (when no SHOPWRIGHT_SECRET_KEY), media.
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# serve migrates the database first (SHOPWRIGHT_AUTO_MIGRATE, on by default).
CMD ["shopwright", "serve", "--host", "0.0.0.0", "--port", "8000"]
