#!/usr/bin/env python3
"""ctest vectors_schema_validation: every vector file and transcript validates against the JSON
Schema (draft 2020-12) its "schema" member names, and the schemas refuse a misspelt member, so a
consumer that validates first is protected from both (python3-jsonschema, a second implementation
next to tigress-vectors verify)."""
import copy
import json
import pathlib
import sys

import jsonschema


def main(folder: pathlib.Path) -> int:
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (folder / "schemas").glob("*.json")}
    files = sorted(p for p in folder.rglob("*.json") if "schemas" not in p.parts)
    failures = 0
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        schema = schemas.get(document.get("schema"))
        if schema is None:
            print(f"FAIL {path.relative_to(folder)}: unknown schema {document.get('schema')!r}")
            failures += 1
            continue
        validator = jsonschema.Draft202012Validator(schema)
        errors = list(validator.iter_errors(document))
        for error in errors[:5]:
            print(f"FAIL {path.relative_to(folder)}: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}")
        failures += len(errors)
        # A misspelt member must be refused wherever it appears: top level, group, test or step.
        misspelt = copy.deepcopy(document)
        if "testGroups" in misspelt:
            misspelt["testGroups"][0]["tests"][0]["comments"] = "misspelt"
        else:
            misspelt["steps"][-1]["expects"] = {}
        if validator.is_valid(misspelt):
            print(f"FAIL {path.relative_to(folder)}: the schema accepts a misspelt member")
            failures += 1
        if not errors:
            print(f"OK   {path.relative_to(folder)}")
    print(f"{len(files)} files, {failures} schema failures")
    return 0 if failures == 0 and files else 1


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))
