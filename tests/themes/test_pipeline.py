"""The theme pipeline: text normalisation, grouping, labels, quotes and bad input."""

from __future__ import annotations

import pytest

from codesign.errors import ValidationFailed
from codesign.themes import METHODS, auto_k_range, cluster_stories
from codesign.themes import text as textnorm
from codesign.themes.embedding import load_static_model
from codesign.themes.pipeline import NO_WORDS_LABEL

# Three clear topics, synthetic, four stories each.
WAITING = [
    "I waited eight months for my first appointment with the mental health team.",
    "The waiting list for talking therapies was over a year long.",
    "Nobody told me how long the wait for an assessment would be.",
    "Waiting times for the crisis team were far too long at night.",
]
KIND_STAFF = [
    "The peer support worker was kind and really listened to me.",
    "Staff at the wellbeing hub were warm, kind and patient.",
    "My support worker listened without judging me and was so kind.",
    "The nurse was kind and took time to listen to my worries.",
]
MONEY = [
    "Debt and benefit letters made my anxiety much worse.",
    "Money worries about rent arrears kept me awake every night.",
    "The benefits advice service helped me sort out my debt.",
    "I could not pay the bills and the debt letters piled up.",
]
STORIES = WAITING + KIND_STAFF + MONEY


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        ("Nothing to improve", ["nothing", "improve"], ["to"]),
        ("Staff didn't listen", ["staff", "not", "listen"], ["didn"]),
        ("I can't get through", ["cannot"], ["can"]),
        ("They werent helpful", ["not", "helpful"], ["werent"]),
        ("Never again, no way", ["never", "no", "way"], []),
        ("Café staff — très bien", ["café", "staff", "très", "bien"], []),
    ],
)
def test_negations_survive_and_function_words_go(text: str, kept: list[str], dropped: list[str]) -> None:
    words = textnorm.content_words(text)
    for word in kept:
        assert word in words
    for word in dropped:
        assert word not in words


def test_phrases_never_start_or_end_on_a_stop_word_and_stay_in_their_clause() -> None:
    found = textnorm.phrases("Nothing to improve. The waiting times for an appointment were long")
    assert "nothing to improve" in found and "waiting times" in found
    assert "improve the waiting" not in found  # crosses a full stop
    for phrase in found:
        first, last = phrase.split()[0], phrase.split()[-1]
        assert first not in textnorm.STOP_WORDS and last not in textnorm.STOP_WORDS
        assert last not in textnorm.WEAK_WORDS


def test_the_static_model_loads_from_package_data_and_matches_similar_texts() -> None:
    model = load_static_model()
    vectors = model.encode(["long wait for an appointment", "waiting list was too long", "kind nurse"])
    assert vectors.shape == (3, model.dim) and model.dim == 384
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


# How many of each topic's 4 stories must share a theme. TF-IDF + KMeans is the baseline:
# on a dozen short texts with few shared words it is weak, which is why it is not the default; so is
# static-lsa, whose topics need a few hundred stories (the default uses it only then).
AGREEMENT = {"static-minilm": 3, "static-lsa": 2, "tfidf-nmf": 3, "lsa-kmeans": 3, "tfidf-kmeans": 2}


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_finds_the_three_topics(method: str) -> None:
    result = cluster_stories(STORIES, k=3, method=method, seed=0)
    for topic in (0, 4, 8):
        values = result.assignments[topic : topic + 4]
        assert max(values.count(v) for v in set(values)) >= AGREEMENT[method], (method, result.assignments)
    assert len(result.themes) == 3 and sum(t.size for t in result.themes) == 12


def test_same_seed_same_themes_and_labels_read_as_phrases() -> None:
    first = cluster_stories(STORIES, k=3, seed=7)
    again = cluster_stories(STORIES, k=3, seed=7)
    assert first == again
    labels = {t.label.lower() for t in first.themes}
    assert len(labels) == 3
    for label in labels:
        assert label.split()[-1] not in textnorm.STOP_WORDS | textnorm.WEAK_WORDS
    assert any("debt" in label or "money" in label or "benefit" in label for label in labels), labels


def test_quotes_only_from_quotable_stories_most_typical_first() -> None:
    quotable = [i % 2 == 0 for i in range(len(STORIES))]
    result = cluster_stories(STORIES, k=3, quotable=quotable)
    quoted = [q for t in result.themes for q in t.quotes]
    assert quoted and all(quotable[q] for q in quoted)
    assert all(len(t.quotes) <= 3 for t in result.themes)
    assert cluster_stories(STORIES, k=3).themes[0].quotes == ()  # no consent given: no quotes


def test_auto_k_scores_every_candidate_and_reports_quality() -> None:
    result = cluster_stories(STORIES)
    assert result.k_chosen_automatically
    assert [k for k, _ in result.k_scores] == list(auto_k_range(len(STORIES)))
    assert result.k in auto_k_range(len(STORIES))
    assert result.quality is not None and -1 <= result.quality <= 1


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, [2]), (10, [2, 3]), (72, [4, 5, 6, 7, 8]), (1_000, list(range(6, 13))), (10_000, list(range(6, 13)))],
)
def test_auto_k_range_suits_a_room(n: int, expected: list[int]) -> None:
    assert list(auto_k_range(n)) == expected


@pytest.mark.parametrize(
    ("texts", "themes", "message"),
    [
        ([], 0, "no stories"),
        (["Only one story about waiting."], 1, ""),
        (["Same words."] * 6, 1, "same thing"),
        (["😀😀", "🙏", "💔💔💔"], 1, "no words"),
        (["Long wait.", "🙏", "Kind staff.", "Kind nurse."], 3, "no words"),
        (
            ["Die Wartezeit war sehr lang.", "El personal fue muy amable.", "待ち時間が長かった", "Очень долго ждали"],
            2,
            "",
        ),
        (["word " * 12_500, "A short story about a long wait."], 2, ""),
        (["", "   ", "Kind staff"], 2, "no words"),
    ],
    ids=["empty", "one", "identical", "emoji-only", "some-emoji", "other-languages", "50k-chars", "blank"],
)
def test_bad_input_gives_a_sensible_result(texts: list[str], themes: int, message: str) -> None:
    result = cluster_stories(texts, k=2 if len(texts) > 3 else None)
    assert len(result.themes) == themes
    assert len(result.assignments) == len(texts)
    assert sum(t.size for t in result.themes) == len(texts)
    assert message in result.message.lower()
    if any(not any(c.isalpha() for c in t) for t in texts) and texts:
        assert result.themes[-1].label == NO_WORDS_LABEL


def test_asking_for_more_themes_than_different_stories_explains() -> None:
    result = cluster_stories(["A", "a", "b."] + ["Kind staff"] * 3, k=5)
    assert len(result.themes) <= 3
    assert "only" in result.message


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"k": 0}, "at least 1"), ({"method": "magic"}, "no method called 'magic'"), ({"quotable": [True]}, "one entry")],
)
def test_wrong_arguments_are_refused(kwargs: dict[str, object], error: str) -> None:
    with pytest.raises(ValidationFailed, match=error):
        cluster_stories(STORIES, **kwargs)  # type: ignore[arg-type]


def test_progress_is_reported_to_the_end() -> None:
    seen: list[float] = []
    cluster_stories(STORIES, k=3, progress=lambda fraction, _note: seen.append(fraction))
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_the_shipped_model_files_stay_small_and_carry_their_licence() -> None:
    from importlib import resources

    folder = resources.files("codesign.themes.static_model")
    names = {"tokens.txt", "head.npz", "tail.npz", "NOTICE.md", "LICENSE-all-MiniLM-L6-v2.txt"}
    for name in names:
        data = folder.joinpath(name).read_bytes()
        assert 0 < len(data) < 2_000_000, name
    assert "Apache License" in folder.joinpath("LICENSE-all-MiniLM-L6-v2.txt").read_text(encoding="utf-8")


def test_labels_keep_the_capitals_of_acronyms() -> None:
    cmht = [
        "The CMHT said I was not unwell enough for the CMHT.",
        "I was referred to the CMHT and waited months.",
        "Nobody at the CMHT called me back after the referral.",
        "The CMHT discharged me without telling my GP.",
    ]
    result = cluster_stories(cmht + MONEY, k=2, seed=0)
    labels = [t.label for t in result.themes]
    assert any("CMHT" in label for label in labels), labels
    assert not any("Cmht" in label or "cmht" in label for label in labels), labels


def test_many_long_stories_take_the_rarity_weighted_path_and_keep_centres_in_the_model_space() -> None:
    from codesign.themes.methods import HYBRID_MIN_STORIES, embed_static, is_long

    def long(text: str, n: int) -> str:
        return f"{text} It was week {n} and I told my family about it later, and they listened to me for an hour."

    few = [long(text, 0) for text in STORIES]
    assert not is_long(few) and not is_long(STORIES * 20)  # too few, or too short
    many = [long(text, n) for n in range(HYBRID_MIN_STORIES // len(STORIES) + 1) for text in STORIES]
    assert is_long(many)
    assert embed_static(many, 0).shape[1] > load_static_model().dim  # the static half beside the stories' topics
    result = cluster_stories(many, k=3, quotable=[True] * len(many))
    # Quality on real long stories is measured by bench/bench_themes.py (Care Opinion, k = 40);
    # here: every story placed once, and centres in the space late stories are placed in.
    assert sorted(i for t in result.themes for i in t.members) == list(range(len(many)))
    for theme in result.themes:
        assert len(theme.centroid) == load_static_model().dim and theme.label


@pytest.mark.parametrize("min_df", [1, 2])
def test_tf_idf_is_scikit_learns_to_the_last_digit(min_df: int) -> None:
    # The pipeline builds TF-IDF in scipy alone (scikit-learn's import is slower than grouping);
    # it must be exactly the vectoriser it stands in for, on ordinary and awkward texts.
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from codesign.themes.methods import _tfidf

    texts = [
        *STORIES,
        "",
        "🙂🙂",
        "Waiting, waiting and WAITING again: the wait!",
        "Kind kind kind staff",
        "A&E at 3am",
    ]
    ours = _tfidf(texts, min_df)
    theirs = TfidfVectorizer(analyzer=textnorm.analyse, min_df=min_df, sublinear_tf=True, dtype=np.float32)
    expected = theirs.fit_transform(texts)
    assert ours.shape == expected.shape
    assert np.allclose(ours.toarray(), expected.toarray(), atol=1e-6)
    assert _tfidf(["", "🙂"], 1).shape == (2, 1)


def test_the_default_method_never_imports_scikit_learn_for_long_stories() -> None:
    # Its import alone costs more CPU than grouping 1,000 long stories (bench/bench_themes.py).
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from codesign.themes import cluster_stories\n"
        "texts = [(f'story {i} about waiting lists and no word from anyone ' * 8) + str(i % 7) for i in range(240)]\n"
        "cluster_stories(texts, k=4, seed=0)\n"
        "print(any(name.startswith('sklearn') for name in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_key_phrases_read_as_the_stories_write_them() -> None:
    carers = [
        "As a carer I'm reminded every day that nobody asks about my son's plan.",
        "As a carer I'm reminded that the plan is never shared with me.",
        "Talking Therapies said my son's needs were too complex.",
        "Talking Therapies turned my son away, and nobody asked about my son's plan.",
    ]
    result = cluster_stories(carers + MONEY, k=2, seed=0, quotable=[False] * 8)
    phrases = [p for t in result.themes for p in t.key_phrases]
    assert any("son's" in p for p in phrases) or any("I'm" in p for p in phrases), phrases
    assert not any(" im " in f" {p} " or "sons" in p.split() for p in phrases), phrases
    assert any("Talking Therapies" in p for p in phrases) or not any("talking therapies" in p.lower() for p in phrases)
