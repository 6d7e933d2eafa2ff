#!/usr/bin/env python3
"""jsonschema.py SCHEMA DOCUMENT...: checks each JSON document against a JSON Schema.

A small validator for the subset of JSON Schema (2020-12) that lpsim's
schemas (plots/schemas/) use: type, enum, const, properties, required,
additionalProperties, minProperties, items, minItems, minimum, maximum,
minLength, pattern and local $ref ("#/$defs/NAME"). A keyword outside that
subset is an error, so a schema cannot rely on a check this validator
silently skips. Written here because the test machines have no pip.
Prints "PATH: WHERE: what is wrong" per violation; exits 1 on any, 2 on a
bad schema or unreadable document. Used by tests/cli/schema.sh.
"""
import json
import re
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs"}
KNOWN = ANNOTATIONS | {"type", "enum", "const", "properties", "required", "additionalProperties",
                       "minProperties", "items", "minItems", "minimum", "maximum", "minLength",
                       "pattern", "$ref"}


class SchemaError(Exception):
    pass


def type_ok(value, t):
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    if t == "string":
        return isinstance(value, str)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "null":
        return value is None
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    raise SchemaError("unknown type %r" % t)


def check(root, schema, value, where, errors):
    if not isinstance(schema, dict):
        raise SchemaError("%s: a schema must be an object" % where)
    unknown = set(schema) - KNOWN
    if unknown:
        raise SchemaError("%s: keywords this validator does not check: %s" % (where, sorted(unknown)))
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/") or ref[8:] not in root.get("$defs", {}):
            raise SchemaError("%s: unresolvable $ref %r" % (where, ref))
        check(root, root["$defs"][ref[8:]], value, where, errors)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(type_ok(value, t) for t in types):
            errors.append("%s: %s is not of type %s" % (where, json.dumps(value)[:60], "/".join(types)))
            return
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %s is not one of %s" % (where, json.dumps(value), schema["enum"]))
    if "const" in schema and value != schema["const"]:
        errors.append("%s: %s is not %s" % (where, json.dumps(value), json.dumps(schema["const"])))
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and "minimum" in schema and value < schema["minimum"]:
        errors.append("%s: %s is below %s" % (where, value, schema["minimum"]))
    if number and "maximum" in schema and value > schema["maximum"]:
        errors.append("%s: %s is above %s" % (where, value, schema["maximum"]))
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append("%s: shorter than %d characters" % (where, schema["minLength"]))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append("%s: %r does not match %s" % (where, value, schema["pattern"]))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append("%s: lacks %r" % (where, key))
        if len(value) < schema.get("minProperties", 0):
            errors.append("%s: fewer than %d members" % (where, schema["minProperties"]))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, sub in value.items():
            if key in props:
                check(root, props[key], sub, "%s.%s" % (where, key), errors)
            elif extra is False:
                errors.append("%s: unexpected member %r" % (where, key))
            elif isinstance(extra, dict):
                check(root, extra, sub, "%s.%s" % (where, key), errors)
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append("%s: fewer than %d items" % (where, schema["minItems"]))
        if "items" in schema:
            for i, sub in enumerate(value):
                check(root, schema["items"], sub, "%s[%d]" % (where, i), errors)


def main(argv):
    if len(argv) < 3:
        print("usage: jsonschema.py SCHEMA DOCUMENT...", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as ex:
        print("%s: %s" % (argv[1], ex), file=sys.stderr)
        return 2
    bad = False
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as ex:
            print("%s: %s" % (path, ex))
            return 2
        errors = []
        try:
            check(schema, schema, doc, "$", errors)
        except SchemaError as ex:
            print("%s: bad schema: %s" % (argv[1], ex))
            return 2
        for e in errors[:20]:
            print("%s: %s" % (path, e))
        bad = bad or bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
