# One image for web, worker, search-worker and beat; the command differs per service.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Static files are collected at build time with a throwaway key; WhiteNoise serves them.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 helpdesk && mkdir -p /app/var && chown -R helpdesk /app/var
USER helpdesk
EXPOSE 8000
CMD ["gunicorn", "helpdesk.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
