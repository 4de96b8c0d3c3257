FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first, from the hashed lock, so code changes reuse this layer.
COPY requirements-prod.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements-prod.lock

COPY pyproject.toml README.md LICENSE manage.py ./
COPY factcheck ./factcheck
COPY claims ./claims
RUN pip install --no-cache-dir --no-deps . \
 && DEBUG=false SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput -v 0

# The app user owns var/ and media/: a named volume mounted on /app/media takes
# this ownership when first created, so uploads work.
RUN useradd --create-home factcheck \
 && mkdir -p /app/var /app/media \
 && chown factcheck:factcheck /app/var /app/media
USER factcheck
EXPOSE 8000
# Liveness: /healthz answers while the process is up (readiness, /readyz, is for
# the compose file and load balancers). Any ALLOWED_HOSTS entry works as Host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os,urllib.request as u; h=os.environ.get('ALLOWED_HOSTS','localhost').split(',')[0].lstrip('.').replace('*','localhost'); u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"
CMD ["gunicorn", "factcheck.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
