"""JSON Schema snapshots of every payload and the rule that a version may only grow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.contracts.registry import REGISTRY, EventRegistry

SNAPSHOT_DIR = Path(__file__).parent / "schemas"


def snapshot_name(event_type: str, version: int) -> str:
    """File name of the snapshot of one event version."""
    return f"{event_type}.v{version}.json"


def current_schemas(registry: EventRegistry = REGISTRY) -> dict[str, dict[str, Any]]:
    """The JSON Schema of every registered payload, by snapshot file name."""
    return {
        snapshot_name(t, v): cls.model_json_schema(mode="serialization")
        for (t, v), cls in sorted(registry.classes.items())
    }


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _resolve(root["$defs"][ref.removeprefix("#/$defs/")], root)
    return schema


def _types(schema: dict[str, Any], root: dict[str, Any]) -> set[str]:
    schema = _resolve(schema, root)
    if "anyOf" in schema:
        found: set[str] = set()
        for option in schema["anyOf"]:
            found |= _types(option, root)
        return found
    if "enum" in schema:
        return {f"enum:{v}" for v in schema["enum"]}
    if "const" in schema:
        return {f"enum:{schema['const']}"}
    kind = schema.get("type", "any")
    return {kind} if isinstance(kind, str) else set(kind)


def breaking_changes(
    old: dict[str, Any],
    new: dict[str, Any],
    path: str = "",
    old_root: dict[str, Any] | None = None,
    new_root: dict[str, Any] | None = None,
) -> list[str]:
    """Every change from `old` to `new` that an existing consumer or producer could not absorb."""
    old_root = old_root or old
    new_root = new_root or new
    old = _resolve(old, old_root)
    new = _resolve(new, new_root)
    problems: list[str] = []
    old_types, new_types = _types(old, old_root), _types(new, new_root)
    if not old_types <= new_types and "any" not in new_types:
        problems.append(f"{path or '<root>'}: type changed from {sorted(old_types)} to {sorted(new_types)}")
    old_props = old.get("properties", {})
    new_props = new.get("properties", {})
    for name, old_prop in old_props.items():
        where = f"{path}.{name}" if path else name
        if name not in new_props:
            problems.append(f"{where}: removed")
            continue
        problems.extend(breaking_changes(old_prop, new_props[name], where, old_root, new_root))
    newly_required = set(new.get("required", [])) - set(old.get("required", []))
    for name in sorted(newly_required):
        problems.append(f"{path}.{name}: became required" if path else f"{name}: became required")
    if "items" in old and "items" in new:
        problems.extend(breaking_changes(old["items"], new["items"], f"{path}[]", old_root, new_root))
    return problems


def write_snapshots(registry: EventRegistry = REGISTRY, directory: Path = SNAPSHOT_DIR) -> list[str]:
    """Write snapshots for new events or additive changes; return the names written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in current_schemas(registry).items():
        target = directory / name
        text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if target.exists():
            old = json.loads(target.read_text(encoding="utf-8"))
            problems = breaking_changes(old, schema)
            if problems:
                raise SystemExit(f"{name} changed incompatibly, add a new version instead: {problems}")
            if target.read_text(encoding="utf-8") == text:
                continue
        target.write_text(text, encoding="utf-8")
        written.append(name)
    return written


def main() -> None:
    """Refresh the committed snapshots (run after adding an event or an optional field)."""
    import shared.contracts.catalog  # noqa: F401  (registers every payload class)

    for name in write_snapshots():
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
