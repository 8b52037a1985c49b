"""Workshops: create one from a kit, join it by code, open and close it."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from codesign.errors import ClosedError, NotFoundError, ThrottledError, ValidationFailed
from codesign.kits import Kit, KitFile, get_builtin_kit, list_builtin_kits, parse_kit
from codesign.models import Workshop
from codesign.storage import workshops as repo

# No 0/O, 1/I/L or 5/S: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
# 29^6 is about 595 million codes: with join attempts throttled (below), guessing one
# of a handful of live workshops is impractical.
CODE_LENGTH = 6
JOIN_ATTEMPTS = 10
JOIN_WINDOW = timedelta(minutes=5)

UNKNOWN_CODE = "We couldn't find an open workshop with that code. Check the code on the screen and try again."


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Upper-case, fold full-width characters (NFKC), and drop spaces, dashes and anything else."""
    folded = unicodedata.normalize("NFKC", code).upper()
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())[:32]


def available_kits(engine: Engine | None = None) -> list[KitFile]:
    """Shipped kits, then kits uploaded by facilitators (an upload with a shipped id is skipped)."""
    kits = list_builtin_kits()
    if engine is not None:
        shipped = {k.kit.id for k in kits}
        for kit_id, _title, text in repo.list_uploaded_kits(engine):
            if kit_id not in shipped:
                kits.append(KitFile(path=f"uploaded:{kit_id}", kit=parse_kit(text, kit_id), text=text))
    return kits


def find_kit(engine: Engine, kit_id: str) -> KitFile:
    for kit_file in available_kits(engine):
        if kit_file.kit.id == kit_id:
            return kit_file
    raise NotFoundError(f"There is no workshop kit called {kit_id!r}.")


def upload_kit(engine: Engine, data: bytes, filename: str) -> Kit:
    """Validate an uploaded kit and store it. Nothing is stored if it is invalid.

    Raises:
        KitError: Naming the file, the field and the problem.
        ValidationFailed: If the kit's id is one of the shipped kits'.
    """
    kit = parse_kit(data, source=filename)
    if kit.id in {k.kit.id for k in list_builtin_kits()}:
        raise ValidationFailed(
            f"{filename}: the id {kit.id!r} belongs to a kit that ships with codesign; choose another id."
        )
    repo.save_uploaded_kit(engine, kit, data.decode("utf-8-sig"))
    return kit


def create_workshop(engine: Engine, title: str, kit_file: KitFile, *, is_demo: bool = False) -> Workshop:
    """Create a workshop from a kit, with a fresh join code.

    Raises:
        ValidationFailed: If the title is empty or too long.
    """
    title = " ".join(title.split())
    if not title:
        raise ValidationFailed("Give the workshop a title.")
    if len(title) > 200:
        raise ValidationFailed("The title is too long: keep it under 200 characters.")
    for _ in range(20):
        try:
            return repo.insert_workshop(
                engine, code=new_join_code(), title=title, kit=kit_file.kit, kit_yaml=kit_file.text, is_demo=is_demo
            )
        except IntegrityError:
            continue  # the code was taken; draw another
    raise RuntimeError("Could not draw an unused join code")  # pragma: no cover


def kit_of(engine: Engine, workshop: Workshop) -> Kit:
    """The kit a workshop was created with (as it was then)."""
    return _parse_cached(repo.workshop_kit_yaml(engine, workshop.id), workshop.kit_id)


@lru_cache(maxsize=64)
def _parse_cached(text: str, source: str) -> Kit:
    return parse_kit(text, source)


def join(engine: Engine, code: str, *, client_key: str = "anonymous") -> Workshop:
    """Find the open workshop a participant's code refers to.

    Every failure gives the same message, so a guess learns nothing about other workshops.

    Raises:
        ThrottledError: After too many attempts from one client in a few minutes.
        NotFoundError: If no open workshop has that code.
    """
    key = f"join:{client_key}"
    if repo.count_attempts(engine, key, JOIN_WINDOW) >= JOIN_ATTEMPTS:
        raise ThrottledError("Too many tries in a short time. Please wait a few minutes and try again.")
    cleaned = normalise_code(code)
    workshop = repo.find_workshop_by_code(engine, cleaned) if len(cleaned) == CODE_LENGTH else None
    if workshop is None or not workshop.is_open:
        repo.record_attempt(engine, key, JOIN_WINDOW)
        raise NotFoundError(UNKNOWN_CODE)
    return workshop


def require_open(workshop: Workshop) -> None:
    if not workshop.is_open:
        raise ClosedError("This workshop is closed, so it is not taking new contributions. Thank you for taking part.")


def close_workshop(engine: Engine, workshop_id: int) -> Workshop:
    return repo.set_workshop_status(engine, workshop_id, "closed")


def reopen_workshop(engine: Engine, workshop_id: int) -> Workshop:
    return repo.set_workshop_status(engine, workshop_id, "open")


def get_builtin(kit_id: str) -> KitFile:
    return get_builtin_kit(kit_id)
