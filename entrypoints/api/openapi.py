"""The published OpenAPI states the problems any operation can answer, whoever wrote the route."""

from typing import Any

from fastapi import FastAPI

from entrypoints.api.problems import PROBLEM_JSON, Problem, responses

_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def document_common_problems(app: FastAPI) -> None:
    """Operations with a body document 400 (unparseable) and 413, /api/ ones 503; every error is problem+json."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _add_common_problems(build())
        return app.openapi_schema

    app.openapi = openapi


def _add_common_problems(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem.pop("$defs", {}))
    components["Problem"] = problem
    for path, item in schema.get("paths", {}).items():
        for operation in item.values():
            statuses = operation.setdefault("responses", {})
            common = ([400, 413] if "requestBody" in operation else []) + ([503] if path.startswith("/api/") else [])
            for status, entry in responses(*common).items():
                statuses.setdefault(str(status), {"description": entry["description"]})
            for status, entry in statuses.items():
                if status.startswith(("4", "5")):
                    entry["content"] = dict(_PROBLEM)
                    if status == "422":
                        entry["description"] = responses(422)[422]["description"]
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
