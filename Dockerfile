# One image for the web app (gunicorn) and the build workers (celery).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DEBUG=0 \
    VAR_DIR=/var/lib/designer \
    PLUGINS_OUT=/srv/plugins_out

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN mkdir -p "$VAR_DIR" "$PLUGINS_OUT" \
    && SECRET_KEY=build-only python manage.py collectstatic --no-input \
    && useradd --system --home /app designer \
    && chown -R designer "$VAR_DIR" "$PLUGINS_OUT"
USER designer

EXPOSE 8000
# Web by default; the worker service runs: celery -A designer.celery worker
CMD ["gunicorn", "-c", "python:designer.gunicorn_conf", "designer.wsgi:application"]
