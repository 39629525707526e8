#!/usr/bin/env python3
"""Converts the kiosk API's OpenAPI YAML to JSON for the C++ tests.

Only plain JSON types come out: an unquoted YAML date or time (which YAML turns into a
datetime, and different tools print differently) is an error to fix in the document.
"""
import json
import sys

import yaml


def main(source, target):
    with open(source, encoding="utf-8") as f:
        document = yaml.safe_load(f)

    def refuse(value):
        raise TypeError(f"{source}: {value!r} is not plain JSON; quote dates and times in the YAML")

    with open(target, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=1, default=refuse)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: yaml_to_json.py <in.yaml> <out.json>")
    main(sys.argv[1], sys.argv[2])
