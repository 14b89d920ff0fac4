"""The published OpenAPI states the problems any operation can answer, and the rules every request's text
follows, whoever wrote the route."""

from typing import Any

from fastapi import FastAPI

from entrypoints.api.problems import PROBLEM_JSON, Problem, responses

_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
NO_NUL_PATTERN = "^[^\\u0000]*$"  # what `bodies.refuse_nul_parameters` and `types.Strict` enforce


def document_common_problems(app: FastAPI) -> None:
    """Operations with a body document 400 (unparseable) and 413, /api/ ones 503; every error is problem+json."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()  # FastAPI keeps it as app.openapi_schema
            _add_common_problems(schema)
            _publish_no_nul(schema)
            return schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema


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


def _publish_no_nul(schema: dict[str, Any]) -> None:
    """Every text a request carries (a parameter, a body field, a list's item) refuses a NUL character: say so
    with a pattern wherever no pattern, format or enum already rules it out."""
    components = schema.get("components", {}).get("schemas", {})
    seen: set[int] = set()

    def visit(node: Any) -> None:
        if not isinstance(node, dict) or id(node) in seen:
            return
        seen.add(id(node))
        if "$ref" in node:
            visit(components.get(node["$ref"].rsplit("/", 1)[1]))
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const", "contentMediaType"} & set(node):
            node["pattern"] = NO_NUL_PATTERN
        for key in ("anyOf", "oneOf", "allOf"):
            for alternative in node.get(key, ()):
                visit(alternative)
        visit(node.get("items"))
        for child in node.get("properties", {}).values():
            visit(child)

    for item in schema.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") in ("query", "path"):
                    visit(parameter.get("schema"))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                visit(content.get("schema"))
