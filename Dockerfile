FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY factcheck ./factcheck
COPY claims ./claims
COPY manage.py ./
RUN pip install --no-cache-dir . \
 && DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --create-home factcheck && mkdir -p /app/var && chown factcheck /app/var
USER factcheck
EXPOSE 8000
CMD ["gunicorn", "factcheck.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
