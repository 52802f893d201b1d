# Leadbook's container image: the wheel built from this checkout, installed in a slim Python
# and run as a non-root user. Settings come from the environment (LEADBOOK_*, see
# docs/operations.md); compose.yaml runs it on PostgreSQL and Redis.
#   docker build -t leadbook .
#   docker run --rm -e LEADBOOK_DATABASE_URL=... leadbook migrate
#   docker run -p 8000:8000 -e LEADBOOK_DATABASE_URL=... leadbook
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
# the wheel and every dependency's, so the final stage installs without a compiler
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LEADBOOK_DATABASE_URL=sqlite:////var/lib/leadbook/leadbook.db
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/leadbook leadbook
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels leadbook && rm -rf /wheels
USER leadbook
WORKDIR /var/lib/leadbook
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
ENTRYPOINT ["leadbook"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
