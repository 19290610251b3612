"""/api/v1/openapi.json: the OpenAPI 3.1 document, assembled from every API module.

Each module in the tracker.api package describes its own endpoints in a module-level
OPENAPI_PATHS dict, next to the code. This module only adds the shared parts (the as_of, state,
page and per_page parameters, the paging envelope, the error format) and merges the paths of
every tracker.api module that has been imported, which endpoints.py guarantees for all of them.
Paths may be written in full ("/api/v1/summary") or relative to the blueprint ("/briefings").
"""

from __future__ import annotations

import sys

from flask import jsonify

from tracker.api import bp

API_VERSION = "1"

COMPONENTS: dict = {
    "parameters": {
        "as_of": {
            "name": "as_of",
            "in": "query",
            "required": False,
            "description": "The date the answer is for (YYYY-MM-DD, 2000-01-01 to 2100-12-31); "
            "default today. Only facts dated on or before it count.",
            "schema": {"type": "string", "format": "date"},
        },
        "known_at": {
            "name": "known_at",
            "in": "query",
            "required": False,
            "description": "Read the records as they stood at this moment (DESIGN's second "
            "time axis): only facts recorded, and corrections made, at or before it count. "
            "YYYY-MM-DD means the end of that day in the office's time zone (TRACKER_TIMEZONE); "
            "a full ISO 8601 timestamp is taken as written. Default: now. With as_of and "
            "known_at on the same day, the answer is what the records said that day, even after "
            "backdated entries and corrections.",
            "schema": {"type": "string", "examples": ["2010-08-31", "2010-08-31T17:00:00-04:00"]},
        },
        "state": {
            "name": "state",
            "in": "query",
            "required": False,
            "description": "One state or territory: postal code (TX) or state FIPS code (48).",
            "schema": {"type": "string"},
        },
        "page": {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Page number, from 1.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1},
        },
        "per_page": {
            "name": "per_page",
            "in": "query",
            "required": False,
            "description": "Items per page.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
        },
    },
    "schemas": {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["status", "code", "message"],
                    "properties": {
                        "status": {"type": "integer", "description": "The HTTP status."},
                        "code": {
                            "type": "string",
                            "description": "invalid, not_found, conflict, unauthorized, ...",
                        },
                        "message": {"type": "string", "description": "What went wrong."},
                        "parameter": {
                            "type": "string",
                            "description": "The query parameter or field at fault, if any.",
                        },
                    },
                }
            },
        },
        "Page": {
            "type": "object",
            "description": "The envelope of every list endpoint.",
            "required": ["items", "page", "per_page", "total", "pages"],
            "properties": {
                "items": {"type": "array", "items": {}},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1},
                "total": {"type": "integer", "minimum": 0},
                "pages": {"type": "integer", "minimum": 1},
            },
        },
        "Activation": {
            "type": "object",
            "required": ["fips", "jurisdiction", "state", "state_name", "activated_on"],
            "properties": {
                "fips": {"type": "string", "pattern": "^[0-9]{5}$"},
                "jurisdiction": {"type": "string"},
                "state": {"type": "string", "description": "Postal code."},
                "state_name": {"type": "string"},
                "activated_on": {"type": "string", "format": "date"},
            },
        },
    },
    "responses": {
        "Error": {
            "description": "An error: bad parameter (400), sign-in needed (401), not allowed "
            "(403), not found (404) or conflict (409).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    },
}

OPENAPI_PATHS: dict = {
    "/api/v1/openapi.json": {
        "get": {
            "summary": "This document",
            "operationId": "getOpenApi",
            "tags": ["meta"],
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 description of the API.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }
}


def api_modules() -> list:
    """Every imported module of the tracker.api package that describes endpoints, by name."""
    return [
        module
        for name, module in sorted(sys.modules.items())
        if name.startswith("tracker.api.")
        and module is not None
        and isinstance(getattr(module, "OPENAPI_PATHS", None), dict)
    ]


def _full_path(path: str) -> str:
    """Modules may write "/api/v1/summary" or, relative to the blueprint, "/briefings"."""
    prefix = bp.url_prefix or ""
    return path if path.startswith(prefix + "/") else prefix + path


def build_document() -> dict:
    """The whole OpenAPI 3.1 document: shared components plus every module's paths, sorted."""
    paths: dict = {}
    for module in api_modules():
        for path, operations in module.OPENAPI_PATHS.items():
            paths.setdefault(_full_path(path), {}).update(operations)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Activation Tracker API",
            "version": API_VERSION,
            "description": "Read the rollout as of any date: summary figures, jurisdictions, "
            "activations and more. Anonymous callers get the public view; signed-in staff "
            "(session cookie) also see internal statuses. Every list is paged with the same "
            "envelope (items, page, per_page, total, pages) and every error has the same shape "
            '({"error": {"status", "code", "message", "parameter"}}). Every date parameter '
            "must lie within 2000-01-01 to 2100-12-31, the dates the tracker keeps; every page "
            "number within 1 to 1,000,000.",
        },
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": COMPONENTS,
    }


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_document())
