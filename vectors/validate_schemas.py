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


checked_symbolic = [0]


def symbolic_mutations(document):
    """Copies of a transcript, each with one symbolic timing member broken: (what, copy)."""
    out = []
    for index, step in enumerate(document.get("steps", [])):
        def broken(change, label):
            copy_ = copy.deepcopy(document)
            change(copy_["steps"][index])
            out.append((f"step {index + 1}: {label}", copy_))
        if "waitUntil" in step:
            broken(lambda s: s["waitUntil"].update(plusGrace=True), "a misspelt waitUntil member")
            broken(lambda s: s["waitUntil"].update(plusSeconds=11), "waitUntil.plusSeconds 11")
            broken(lambda s: s["waitUntil"].pop("mark"), "a waitUntil without mark")
            broken(lambda s: s["waitUntil"].update(plusExpiryGrace="yes"), "a string plusExpiryGrace")
        if "marks" in step:
            name = next(iter(step["marks"]))
            broken(lambda s: s["marks"][name].update(pointr="/x"), "a misspelt marks member")
        if "beforeInstant" in step.get("expect", {}):
            broken(lambda s: s["expect"]["beforeInstant"].update(statuses=[200]), "a misspelt beforeInstant member")
            broken(lambda s: s["expect"]["beforeInstant"]["instant"].update(plus=1), "a misspelt instant member")
            broken(lambda s: s["expect"]["beforeInstant"].update(status=[]), "an empty beforeInstant.status")
            broken(lambda s: s["expect"]["beforeInstant"].update(readings=["AMB-7"]), "a malformed beforeInstant reading")
    return out


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
        # The symbolic timing members (marks, waitUntil, beforeInstant and their instants) refuse a
        # misspelt member and a value out of range too.
        for label, broken in symbolic_mutations(document):
            checked_symbolic[0] += 1
            if validator.is_valid(broken):
                print(f"FAIL {path.relative_to(folder)}: the schema accepts {label}")
                failures += 1
        if not errors:
            print(f"OK   {path.relative_to(folder)}")
    print(f"{len(files)} files, {checked_symbolic[0]} symbolic-member mutations, {failures} schema failures")
    # The transcripts use every symbolic member, so their mutations must have been tried.
    return 0 if failures == 0 and files and checked_symbolic[0] > 0 else 1


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))
