#!/usr/bin/env python3
"""Checks kiosk-api.yaml as an OpenAPI 3.0 document, and every example against its schema.

Complements wireopenapitest (which parses the same examples with the C++ types): this one
proves the examples agree with the schemas the document states, so the document is
consistent with itself as well as with the code. Catalog files given after the document
(the kiosk's seed catalog) are checked against the Catalog schema too.
"""
import json
import sys

import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate


def main(path, catalogs):
    with open(path, encoding="utf-8") as f:
        document = yaml.safe_load(f)
    validate(document)

    def deref(node):
        while isinstance(node, dict) and "$ref" in node:
            target = document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    failures = []
    checked = 0
    failed = 0

    def check_media(where, media):
        nonlocal checked, failed
        schema = dict(deref(media["schema"]))
        schema["components"] = document["components"]  # so that $refs inside resolve
        examples = media.get("examples", {})
        if not examples:
            failures.append(f"{where}: no examples")
        validator = OAS30Validator(schema)
        for name, example in examples.items():
            errors = list(validator.iter_errors(deref(example)["value"]))
            for error in errors:
                failures.append(f"{where} example {name}: {error.message} at {list(error.absolute_path)}")
            checked += 1
            failed += bool(errors)

    for route, item in document["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {route}"
            body = operation.get("requestBody")
            if body:
                check_media(f"{where} request", deref(body)["content"]["application/json"])
            for status, response in operation["responses"].items():
                content = deref(response).get("content")
                if content:
                    check_media(f"{where} {status}", content["application/json"])

    catalog_schema = dict(document["components"]["schemas"]["Catalog"])
    catalog_schema["components"] = document["components"]
    for catalog in catalogs:
        with open(catalog, encoding="utf-8") as f:
            errors = list(OAS30Validator(catalog_schema).iter_errors(json.load(f)))
        for error in errors:
            failures.append(f"{catalog}: {error.message} at {list(error.absolute_path)}")
        checked += 1
        failed += bool(errors)

    for failure in failures:
        print(failure)
    print(f"{checked} examples and catalogs checked against their schemas")
    print(f"{checked - failed} passed, {failed} failed")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: lint_openapi.py <kiosk-api.yaml> [catalog.json ...]")
    sys.exit(main(sys.argv[1], sys.argv[2:]))
