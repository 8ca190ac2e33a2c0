# One image for every hotline12345 service; the command picks the process:
#
#   docker build -t hotline12345:local .
#   docker run --rm -p 8001:8000 hotline12345:local                 # serve intake (default)
#   docker run --rm -p 8002:8000 hotline12345:local serve routing
#   docker run --rm hotline12345:local topics create --replication-factor 1 --min-insync-replicas 1
#
# Needs BuildKit (the default builder since Docker 23) for RUN --mount.

ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: wheels for the distribution and every dependency ----------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
# .dockerignore keeps tests, deploy files, virtualenvs, caches and local data out.
COPY . .
RUN python -m pip wheel --wheel-dir /wheels . \
 && rm -rf build ./*.egg-info

# --- runtime ------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="hotline12345" \
      org.opencontainers.image.description="City 12345 citizen-hotline services (intake, routing, sla, feedback, publication)"

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOTLINE_DATA_DIR=/var/lib/hotline \
    HOTLINE_HTTP_HOST=0.0.0.0 \
    HOTLINE_HTTP_PORT=8000 \
    HOTLINE_LOG_FORMAT=json

# Numeric uid/gid so that Kubernetes' runAsNonRoot can verify the user without a lookup.
RUN groupadd --system --gid 10001 hotline \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin hotline \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/hotline

# The wheels are bind-mounted from the builder, so they never land in a layer.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    python -m pip install --no-index --find-links=/wheels hotline12345 \
 && rm -rf /root/.cache /tmp/*

USER 10001:10001
WORKDIR /var/lib/hotline

EXPOSE 8000
STOPSIGNAL SIGTERM

# Liveness only (/healthz); /readyz also checks the broker and the store and is what
# Kubernetes' readinessProbe uses.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('HOTLINE_HTTP_PORT', '8000') + '/healthz', timeout=4).close()"]

ENTRYPOINT ["hotline"]
CMD ["serve", "intake"]
