"""typer command classes of wikitools: plain help, and option values converted without pydantic."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


class PlainCommand(TyperCommand):
    """A command whose help lists arguments by name, without typer's ``<list[str]>`` types,
    and whose options of plain types are converted without pydantic (see
    :func:`convert_plainly`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse the arguments (plain types converted without pydantic)."""
        convert_plainly(self.get_params(ctx))  # --help too
        return super().parse_args(ctx, args)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The Arguments and Options sections (as typer writes them, types of arguments cut)."""
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_TYPE_SUFFIX.sub("", record[0]), record[1]))
            else:
                options.append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)


_TYPE_SUFFIX = re.compile(r" <[^>]*>$")


class PlainGroup(TyperGroup):
    """A command group whose options of plain types are converted without pydantic."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse the group's own options (with --help and the completion options)."""
        convert_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)


def convert_plainly(params: Sequence[Any]) -> None:
    """Give parameters of plain types (str, int, bool, Path, lists of them) a converter of
    their own.

    typer converts every value through a pydantic ``TypeAdapter``; importing pydantic costs
    more than the rest of the command line, for values that need at most ``int()`` or
    ``Path()``. Parameters of any other type keep typer's conversion.
    """
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", "absent") is not None:
            continue  # not a typer parameter, or one whose conversion is set already
        item, many = _plain_type(descriptor.annotation)
        if item is not None:
            info = descriptor.parameter_info
            param._runtime_param = _PlainConversion(item, many, info.min, info.max)


def _plain_type(annotation: Any) -> tuple[type | None, bool]:
    """``(item type, is a list)`` of a plain annotation, ``(None, False)`` for any other."""
    import types
    import typing

    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [arg for arg in args if arg is not type(None)]
        if len(rest) != 1:
            return None, False
        return _plain_type(rest[0])
    many = origin is list
    item = args[0] if many and len(args) == 1 else annotation
    return (item, many) if item in (str, int, bool, Path) else (None, False)


class _PlainConversion:
    """Converts one parameter's value(s) to ``item`` (an int within ``low``/``high``)."""

    def __init__(self, item: type, many: bool, low: Any, high: Any) -> None:
        self.item = item
        self.many = many
        self.low = low
        self.high = high

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """The value typer would give the command function."""
        if value is None:
            return () if (param.multiple or param.nargs == -1) else None
        if self.many:
            if isinstance(value, str):
                raise typer.BadParameter("Value must be an iterable.", ctx=ctx, param=param)
            return [self._one(item, param, ctx) for item in value]
        return self._one(value, param, ctx)

    def _one(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.item is Path:
            return value if isinstance(value, Path) else Path(value)
        if self.item is bool:
            if isinstance(value, bool):
                return value
            raise typer.BadParameter(f"{value!r} is not a valid boolean.", ctx=ctx, param=param)
        if self.item is int:
            try:
                number = int(value)
            except (TypeError, ValueError):
                message = f"{value!r} is not a valid integer."
                raise typer.BadParameter(message, ctx=ctx, param=param) from None
            if (self.low is not None and number < self.low) or (
                self.high is not None and number > self.high
            ):
                bounds = " and ".join(
                    part
                    for part in (
                        f">= {self.low}" if self.low is not None else "",
                        f"<= {self.high}" if self.high is not None else "",
                    )
                    if part
                )
                message = f"{number} is not in the range: it must be {bounds}."
                raise typer.BadParameter(message, ctx=ctx, param=param)
            return number
        return str(value)
