# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 tppo \
 && install -d -o tppo /var/lib/tppo-beat

WORKDIR /app
COPY pyproject.toml ./
# .dockerignore lets in only the product's files: never .env, .venv or var/.
COPY . .
RUN pip install . \
 && DEBUG=1 SECRET_KEY=build python manage.py collectstatic --noinput \
 && DEBUG=1 SECRET_KEY=build python manage.py compilemessages --ignore=.venv

USER tppo
EXPOSE 8000
CMD ["gunicorn", "tppo.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--timeout", "120", "--access-logfile", "-"]
