"""Errors that cross layers: an input that cannot be read at all."""

from __future__ import annotations


class ReadError(Exception):
    """An input that cannot be read as a report. The message is one Chinese sentence for users."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}：{message}")
        self.path = path
        self.message = message
