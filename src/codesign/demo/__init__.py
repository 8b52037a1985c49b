"""The demo workshop: synthetic content written for this project, so every screen shows something on first start."""

from codesign.demo.service import (
    ACCEPTED_PAIN_POINTS,
    ANSWER_LETTERS,
    DEMO_FILE,
    DEMO_SEED,
    DemoResult,
    add_agreement_round,
    add_demo_journey,
    add_demo_rounds,
    add_demo_stories,
    add_ideas_round,
    create_demo_workshop,
    demo_data,
    demo_device,
    find_demo,
    load_demo,
)

__all__ = [
    "ACCEPTED_PAIN_POINTS",
    "ANSWER_LETTERS",
    "DEMO_FILE",
    "DEMO_SEED",
    "DemoResult",
    "add_agreement_round",
    "add_demo_journey",
    "add_demo_rounds",
    "add_demo_stories",
    "add_ideas_round",
    "create_demo_workshop",
    "demo_data",
    "demo_device",
    "find_demo",
    "load_demo",
]
