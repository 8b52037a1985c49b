"""Agreed actions: what the room will do about what it found, who owns it, by when, and how it is measured.

The package's public face: the rules are in ``rules``, the use cases in ``service``."""

from codesign.actions.rules import (
    LINK_KINDS,
    LINK_NAMES,
    MAX_ACTION_CHARS,
    MAX_MEASURE_CHARS,
    MAX_OWNER_CHARS,
    STATUSES,
    Action,
    ActionDraft,
    Link,
    LinkOption,
    answering,
    check_draft,
    describe_links,
    due_text,
    owner_text,
)
from codesign.actions.service import add_action, delete_action, link_options, list_actions, move_action, update_action

__all__ = [
    "LINK_KINDS",
    "LINK_NAMES",
    "MAX_ACTION_CHARS",
    "MAX_MEASURE_CHARS",
    "MAX_OWNER_CHARS",
    "STATUSES",
    "Action",
    "ActionDraft",
    "Link",
    "LinkOption",
    "add_action",
    "answering",
    "check_draft",
    "delete_action",
    "describe_links",
    "due_text",
    "link_options",
    "list_actions",
    "move_action",
    "owner_text",
    "update_action",
]
