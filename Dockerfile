FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY domain domain
COPY application application
COPY adapters adapters
COPY entrypoints entrypoints
COPY migrations migrations
# bytecode compiled here: the app user cannot write it under /app, so every start would compile ~300 modules
RUN pip install --no-cache-dir -e . && python -m compileall -q domain application adapters entrypoints migrations \
    && useradd --create-home atrium
USER atrium
ENV ATRIUM_DATA_DIR=/tmp/atrium
EXPOSE 8000
CMD ["atrium", "serve", "--host", "0.0.0.0", "--port", "8000"]
