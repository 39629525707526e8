#!/usr/bin/env python3
"""Convert one of LINE's OpenAPI YAML documents to JSON for the LINE platform emulator.

The emulator validates with Qt's JSON classes, which cannot read YAML. Limits that LINE
documents on developers.line.biz but leaves out of the YAML are added from a second file
(--limits); the build fails when one of its JSON pointers no longer resolves, so a change
to LINE's document is noticed instead of silently dropping a check.
"""

import argparse
import datetime
import json
import os
import sys

import yaml


def jsonable(node):
    """YAML turns unquoted timestamps into datetimes and may key maps by integers."""
    if isinstance(node, dict):
        return {str(key): jsonable(value) for key, value in node.items()}
    if isinstance(node, list):
        return [jsonable(item) for item in node]
    if isinstance(node, (datetime.datetime, datetime.date)):
        return node.isoformat()
    return node


def resolve(document, pointer):
    node = document
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        else:
            node = node[token]
    return node


def apply_limits(document, limits, document_name):
    for entry in limits.get(document_name, []) or []:
        pointer = entry["pointer"]
        try:
            target = resolve(document, pointer)
        except (KeyError, IndexError, ValueError):
            sys.exit(f"{document_name}: {pointer} no longer exists; update documented-limits.yml")
        if not isinstance(target, dict):
            sys.exit(f"{document_name}: {pointer} is not a schema object")
        target.update(entry["add"])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", help="LINE OpenAPI document (.yml)")
    parser.add_argument("output", help="JSON file to write")
    parser.add_argument("--limits", help="documented-limits.yml")
    args = parser.parse_args()

    with open(args.source, encoding="utf-8") as source:
        document = jsonable(yaml.safe_load(source))
    if args.limits:
        with open(args.limits, encoding="utf-8") as limits_file:
            limits = yaml.safe_load(limits_file) or {}
        apply_limits(document, limits, os.path.basename(args.source))

    temporary = args.output + ".tmp"
    with open(temporary, "w", encoding="utf-8") as output:
        json.dump(document, output, ensure_ascii=False, separators=(",", ":"))
    os.replace(temporary, args.output)


if __name__ == "__main__":
    main()
