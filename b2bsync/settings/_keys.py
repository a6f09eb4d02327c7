"""Refusing keys no setting has: a misspelt ``rate_limt``, ``file_mdoe`` or ``[shedule]`` would
otherwise be ignored and its default used without a word.

The known keys are read off the models themselves (every field of :class:`Settings`, down
through nested models), so a new section needs nothing here. Three places are checked: the TOML
file, the environment (``B2BSYNC_<SECTION>__<KEY>``) and the ``.env`` file. A field that holds a
mapping or a list takes any keys below it. The first unknown key is reported in one line with
the closest known one (difflib), and the rest counted.
"""

from __future__ import annotations

import difflib
import tomllib
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Union

from dotenv import dotenv_values
from pydantic import BaseModel

from .._errors import ConfigError

#: ``B2BSYNC_`` variables that are not settings but read by the command line itself.
PROCESS_VARIABLES = frozenset({"CONFIG", "DEBUG"})

Tree = dict[str, "Tree | None"]  # a key's subtree; None: any value (a leaf, a mapping, a list)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        models = [m for a in typing.get_args(annotation) if (m := _model_in(a)) is not None]
        return models[0] if len(models) == 1 else None
    return None


def known_keys(model: type[BaseModel]) -> Tree:
    """Every key ``model`` accepts, nested models as subtrees."""
    tree: Tree = {}
    for name, info in model.model_fields.items():
        nested = _model_in(info.annotation)
        tree[name] = known_keys(nested) if nested is not None else None
    return tree


def _paths(tree: Tree, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, sub in tree.items():
        yield (*prefix, name)
        if sub is not None:
            yield from _paths(sub, (*prefix, name))


def _closest(word: str, where: tuple[str, ...], tree: Tree) -> tuple[str, ...] | None:
    """The known key most like ``word``: the same name in another section (a key put in the
    wrong place), else a close sibling, else a close name anywhere."""
    level: Tree | None = tree
    for part in where:
        level = level.get(part) if level is not None else None
    siblings = list(level) if level is not None else []
    everywhere = {path[-1]: path for path in sorted(_paths(tree), key=len, reverse=True)}
    if word in everywhere and everywhere[word][:-1] != where:
        return everywhere[word]
    near = difflib.get_close_matches(word, siblings, n=1, cutoff=0.6)
    if near:
        return (*where, near[0])
    near = difflib.get_close_matches(word, list(everywhere), n=1, cutoff=0.8)
    return everywhere[near[0]] if near else None


def _unknown(
    data: Mapping[str, Any], tree: Tree, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    for key, value in data.items():
        if key not in tree:
            yield (*prefix, key)
            continue
        sub = tree[key]
        if sub is not None and isinstance(value, Mapping):
            yield from _unknown(value, sub, (*prefix, key))


def _env_path(name: str, prefix: str) -> tuple[str, ...]:
    return tuple(name[len(prefix) :].lower().split("__"))


def _env_unknown(names: Iterable[str], prefix: str, tree: Tree) -> Iterator[tuple[str, str]]:
    """(variable, the first unknown part's path) for every variable no setting takes."""
    for name in sorted(names):
        if not name.upper().startswith(prefix.upper()):
            continue
        path = _env_path(name, prefix)
        if len(path) == 1 and path[0].upper() in PROCESS_VARIABLES:
            continue
        level: Tree | None = tree
        for depth, part in enumerate(path):
            if level is None:  # below a mapping or list field: pydantic takes any key
                break
            if part not in level:
                yield name, "__".join(path[: depth + 1])
                break
            level = level[part]


def _env_name(prefix: str, path: tuple[str, ...]) -> str:
    return prefix + "__".join(part.upper() for part in path)


def _more(count: int) -> str:
    return f" (and {count} more unknown)" if count else ""


def check_toml(path: Path, tree: Tree) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # the loader reports what is wrong with the file itself
    unknown = list(_unknown(data, tree))
    if not unknown:
        return
    first = unknown[0]
    near = _closest(first[-1], first[:-1], tree)
    if len(first) == 1 and isinstance(data.get(first[0]), Mapping):
        what = f"unknown section [{first[0]}]"
        hint = f"; did you mean [{'.'.join(near)}]?" if near else ""
    else:
        what = f"unknown key {'.'.join(first)}"
        hint = f"; did you mean {'.'.join(near)}?" if near else ""
    raise ConfigError(f"{what} in {path}{hint}{_more(len(unknown) - 1)}")


def check_environment(names: Iterable[str], prefix: str, tree: Tree, *, source: str) -> None:
    unknown = list(_env_unknown(names, prefix, tree))
    if not unknown:
        return
    name, bad = unknown[0]
    parts = tuple(bad.split("__"))
    near = _closest(parts[-1], parts[:-1], tree)
    hint = f"; did you mean {_env_name(prefix, near)}?" if near else ""
    raise ConfigError(f"unknown setting {name} ({source}){hint}{_more(len(unknown) - 1)}")


def check_keys(
    model: type[BaseModel],
    *,
    toml: Path | None,
    environ: Mapping[str, str],
    env_file: Path | None,
) -> None:
    """Raise :class:`ConfigError` for the first key in the TOML file, the environment or the
    ``.env`` file that ``model`` has no setting for."""
    tree = known_keys(model)
    prefix = str(model.model_config.get("env_prefix") or "")
    check_environment(environ, prefix, tree, source="environment")
    if env_file is not None and env_file.is_file():
        values = dotenv_values(env_file)
        check_environment(values, prefix, tree, source=str(env_file))
    if toml is not None:
        check_toml(toml, tree)
